/**
 * Compactness (the issue: "an episode of 100 steps with 12 vehicles well under 100 KB"). HORM
 * spawns at most 9 vehicles (density 3: 4 CAVs + up to 5 HDVs, docs/spec/horm.md §5.1), so the
 * 12-vehicle episode is synthetic: smooth traffic driven by a seeded random walk, with full-precision
 * random rewards (incompressible), i.e. a pessimistic case. A real density-3 episode is checked too.
 */
import { describe, expect, it } from 'vitest';
import { decodeReplay, type ReplayHeader, ReplayWriter } from '../../../../src/core/replay/index.js';
import { Rng } from '../../../../src/core/rng.js';
import { CREATED_AT, plainFrame, recordEpisode } from './fixtures.js';

const BUDGET_BYTES = 100 * 1024;

/** 101 frames (100 decisions + terminal) of 12 vehicles, 4 agents. */
function syntheticEpisode(): { bytes: Uint8Array; frames: number } {
  const header: ReplayHeader = {
    env: 'horm:density-3',
    scenario: { name: 'twelve vehicles', seed: 1 },
    model: { name: 'random', seed: 1 },
    agents: 4,
    road: { beforeMergeM: 220, convergingM: 100, mergeM: 100, afterMergeM: 100 },
    lanes: ['a-b-0', 'b-c-0', 'b-c-1', 'c-d-0', 'j-k-0', 'k-b-0'],
    kinds: ['cav', 'hdv'],
    actions: ['LANE_LEFT', 'IDLE', 'LANE_RIGHT', 'FASTER', 'SLOWER'],
    stepS: 0.2,
    rewardType: 'regional',
    supervisor: true,
    priorityRule: 'index',
    createdAt: CREATED_AT,
  };
  const v = 12;
  const a = 4;
  const rng = Rng.fromSeed(42);
  const writer = new ReplayWriter(header);
  const frame = {
    decision: true,
    vehicleCount: v,
    x: Float64Array.from({ length: v }, (_, i) => 10 + 40 * (i % 6) + rng.uniform()),
    y: Float64Array.from({ length: v }, (_, i) => (i % 2 === 0 ? 0 : 10.5)),
    heading: new Float64Array(v),
    speed: Float64Array.from({ length: v }, () => 25 + 2 * rng.uniform()),
    kind: Uint8Array.from({ length: v }, (_, i) => (i < a ? 0 : 1)),
    lane: Uint8Array.from({ length: v }, (_, i) => (i % 2 === 0 ? 0 : 4)),
    crashed: new Uint8Array(v),
    proposed: new Int8Array(a),
    executed: new Int8Array(a),
    rank: Uint8Array.from({ length: a }, (_, j) => j),
    reward: new Float64Array(a),
    value: new Float32Array(a),
  };
  for (let t = 0; t <= 100; t++) {
    frame.decision = t < 100;
    for (let i = 0; i < v; i++) {
      frame.speed[i] = Math.max(0, frame.speed[i]! + 0.5 * rng.normal());
      frame.heading[i] = 0.02 * rng.normal();
      frame.x[i] = frame.x[i]! + 0.2 * frame.speed[i]!;
      frame.y[i] = frame.y[i]! + 0.05 * rng.normal();
    }
    for (let j = 0; j < a; j++) {
      frame.proposed[j] = rng.int(5);
      frame.executed[j] = rng.int(10) === 0 ? 1 : frame.proposed[j]!;
      frame.reward[j] = 2 * rng.uniform() - 1;
      frame.value[j] = 10 * rng.normal();
    }
    writer.writeFrame(frame);
  }
  return { bytes: writer.finish(), frames: 101 };
}

describe('replay size', () => {
  it('a 100-step episode of 12 vehicles is well under 100 KB', () => {
    const { bytes, frames } = syntheticEpisode();
    console.info(`replay size: 100 steps × 12 vehicles (synthetic) = ${bytes.length} bytes`);
    expect(bytes.length).toBeLessThan(BUDGET_BYTES / 3);
    expect(decodeReplay(bytes).frames).toHaveLength(frames);
  });

  it('a real 100-step density-3 HORM episode is well under 100 KB', () => {
    const episode = recordEpisode({ density: 3, seed: 0, policy: 'random' });
    const vehicles = episode.expected[0]!.vehicleCount;
    console.info(
      `replay size: 100 steps × ${vehicles} vehicles (horm:density-3) = ${episode.bytes.length} bytes`,
    );
    expect(episode.expected).toHaveLength(101);
    expect(episode.bytes.length).toBeLessThan(BUDGET_BYTES / 3);
    expect(decodeReplay(episode.bytes).frames.map(plainFrame)).toEqual(episode.expected);
  });
});
