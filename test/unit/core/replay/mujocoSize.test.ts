/**
 * Compactness of MuJoCo replays: a full 1000-step HalfCheetah 6x1 episode (8 bodies, 6 action
 * values: 257 bytes a frame before compression) under two policies, a smooth gait and uniformly
 * random actions (jittery joints, the pessimistic case), both read back whole.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMujoco, makeMujocoEnv } from '../../../../src/core/envs/mujoco/index.js';
import { decodeMujocoReplay, MujocoReplayRecorder } from '../../../../src/core/replay/index.js';
import { Rng } from '../../../../src/core/rng.js';

beforeAll(async () => {
  await loadMujoco();
});

/** A 1000-step episode's replay; `action(t, j, rng)` is agent j's action at step t. */
function cheetahReplay(action: (t: number, j: number, rng: Rng) => number): Uint8Array {
  const env = makeMujocoEnv('HalfCheetah-6x1');
  try {
    const recorder = new MujocoReplayRecorder(env, {
      seed: 1,
      model: { name: 'test' },
      createdAt: '2026-12-08T00:00:00.000Z',
    });
    recorder.start(env.reset(1));
    const rng = Rng.fromSeed(3);
    const actions = new Float64Array(6);
    for (let t = 0; ; t++) {
      for (let j = 0; j < 6; j++) actions[j] = action(t, j, rng);
      const transition = env.step(actions);
      recorder.record(actions, transition);
      if (transition.episodeDone) return recorder.finish();
    }
  } finally {
    env.close();
  }
}

/** Bytes of 1001 frames before compression: (8 + 28·8 bodies + 4·6 actions + 1) each. */
const INFLATED_BYTES = 1001 * 257;

describe('MuJoCo replay size', () => {
  it('a 1000-step HalfCheetah episode takes well under half its inflated size', () => {
    const gait = cheetahReplay((t, j) => 0.9 * Math.sin((2 * Math.PI * t) / 16 + j));
    const random = cheetahReplay((_t, _j, rng) => 2 * rng.uniform() - 1);
    console.info(
      `MuJoCo replay size: 1000 HalfCheetah steps = ${gait.length} bytes (sine gait), ${random.length} bytes (random actions), ${INFLATED_BYTES} inflated`,
    );
    expect(gait.length).toBeLessThan(INFLATED_BYTES / 4);
    expect(random.length).toBeLessThan(INFLATED_BYTES / 2);
    expect(decodeMujocoReplay(random).frames).toHaveLength(1001);
  });
});
