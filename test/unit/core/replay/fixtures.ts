/**
 * Recorded HORM episodes for the replay tests, plus the frames expected in them, read from the
 * simulator independently of the recorder (floats rounded to float32 as the format stores them).
 */
import { HormEnv, type HormEnvConfig } from '../../../../src/core/envs/horm/index.js';
import {
  NO_ACTION,
  NO_RANK,
  type ReplayFrame,
  ReplayRecorder,
  type ReplayWriterOptions,
} from '../../../../src/core/replay/index.js';
import { Rng } from '../../../../src/core/rng.js';

/** A frame as plain numbers, for toEqual. */
export interface PlainFrame {
  index: number;
  decision: boolean;
  vehicleCount: number;
  x: number[];
  y: number[];
  heading: number[];
  speed: number[];
  kind: number[];
  lane: number[];
  crashed: number[];
  proposed: number[];
  executed: number[];
  rank: number[];
  reward: number[];
  value: number[];
}

/** A decoded frame as plain numbers. */
export function plainFrame(f: ReplayFrame): PlainFrame {
  return {
    index: f.index,
    decision: f.decision,
    vehicleCount: f.vehicleCount,
    x: Array.from(f.x),
    y: Array.from(f.y),
    heading: Array.from(f.heading),
    speed: Array.from(f.speed),
    kind: Array.from(f.kind),
    lane: Array.from(f.lane),
    crashed: Array.from(f.crashed),
    proposed: Array.from(f.proposed),
    executed: Array.from(f.executed),
    rank: Array.from(f.rank),
    reward: Array.from(f.reward),
    value: Array.from(f.value),
  };
}

/** How to play the recorded episode. */
export interface EpisodeOptions {
  density: 1 | 2 | 3;
  seed: number;
  /** 'random': seeded uniform actions; 'idle': IDLE for everyone (ramp CAVs crash). */
  policy: 'random' | 'idle';
  env?: Partial<HormEnvConfig>;
  writer?: ReplayWriterOptions;
  /** Call recorder.drain() after every step and collect the pieces. */
  drain?: boolean;
}

/** A recorded episode: file bytes (and drained pieces), the expected frames, the env. */
export interface RecordedEpisode {
  bytes: Uint8Array;
  pieces: Uint8Array[];
  expected: PlainFrame[];
  env: HormEnv;
}

/** The fixed creation time of test recordings. */
export const CREATED_AT = '2026-11-23T10:00:00.000Z';

/** Plays and records one episode: at most 100 steps, stops at the episode's end (crash or limit). */
export function recordEpisode(options: EpisodeOptions): RecordedEpisode {
  const env = new HormEnv(options.density, options.env);
  const n = env.spec.numAgents;
  const recorder = new ReplayRecorder(
    env,
    { scenario: { seed: options.seed }, model: { name: options.policy, seed: 99 }, createdAt: CREATED_AT },
    options.writer,
  );
  const rng = Rng.fromSeed(99);
  const t = env.sim.world.vehicles;
  const expected: PlainFrame[] = [];
  const pieces: Uint8Array[] = [];
  const f32 = (values: ArrayLike<number>) => Array.from(values, (v) => Math.fround(v));
  const state = (priority: Int32Array): PlainFrame => {
    const rank = new Array<number>(n);
    priority.forEach((agent, p) => {
      rank[agent] = p;
    });
    const c = t.count;
    return {
      index: expected.length,
      decision: false,
      vehicleCount: c,
      x: f32(t.x.subarray(0, c)),
      y: f32(t.y.subarray(0, c)),
      heading: f32(t.heading.subarray(0, c)),
      speed: f32(t.speed.subarray(0, c)),
      kind: Array.from(t.kind.subarray(0, c)),
      lane: Array.from(t.lane.subarray(0, c)),
      crashed: Array.from(t.crashed.subarray(0, c)),
      proposed: new Array(n).fill(NO_ACTION),
      executed: new Array(n).fill(NO_ACTION),
      rank,
      reward: new Array(n).fill(0),
      value: new Array(n).fill(Number.NaN),
    };
  };
  let step = env.reset(options.seed);
  recorder.start(step);
  let pending = state(step.priority);
  for (let k = 0; k < 100; k++) {
    const actions = Array.from({ length: n }, () => (options.policy === 'random' ? rng.int(5) : 1));
    const values = Array.from({ length: n }, () => rng.normal() * 10);
    const transition = env.step(actions);
    recorder.record(transition, values);
    if (options.drain) pieces.push(recorder.drain());
    expected.push({
      ...pending,
      decision: true,
      proposed: actions,
      executed: Array.from(env.executedActions),
      reward: Array.from(transition.rewards),
      value: f32(values),
    });
    pending = state(transition.priority);
    step = transition;
    if (transition.episodeDone) break;
  }
  expected.push({ ...pending, rank: new Array(n).fill(NO_RANK) }); // terminal: no decision, no rank
  const last = recorder.finish();
  pieces.push(last);
  const bytes = options.drain ? concat(pieces) : last;
  return { bytes, pieces, expected, env };
}

/** The pieces joined. */
export function concat(pieces: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(pieces.reduce((total, p) => total + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
