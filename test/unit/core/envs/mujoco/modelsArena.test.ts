/**
 * Each model's `<size memory>` is enough and not wasteful (mujoco-js pitfall, docs/spec/bridges.md §2.4).
 * Enough: over a bang-bang random rollout with contact forces computed (the costlier setting) the
 * high-water marks of arena and stack together (`maxuse_arena` + `maxuse_stack`, an upper bound of
 * their joint peak) stay under half the arena — running out is an exception in MuJoCo 3, not a
 * warning. Not wasteful: the arena is at most a
 * quarter of what MuJoCo reserves for the same model without a `<size>` element. The sizes
 * themselves come from longer stress runs (docs/envs/mujoco-models.md).
 */
import type { MjData, MjModel } from 'mujoco-js';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  compileModel,
  loadMujoco,
  type MujocoModule,
} from '../../../../../src/core/envs/mujoco/mujocoModule.js';
import { mujocoTask } from '../../../../../src/core/envs/mujoco/tasks/index.js';
import { Rng } from '../../../../../src/core/rng.js';

let mj: MujocoModule;
beforeAll(async () => {
  mj = await loadMujoco();
});

/** Runs `use` on a fresh model and data of `xml`; deletes both. */
function withData<T>(xml: string, label: string, use: (model: MjModel, data: MjData) => T): T {
  const model = compileModel(mj, xml, label);
  try {
    const data = new mj.MjData(model);
    try {
      return use(model, data);
    } finally {
      data.delete();
    }
  } finally {
    model.delete();
  }
}

/** High-water marks of arena plus stack [bytes] over `steps` env steps of ±1 random controls. */
function peakUse(model: MjModel, data: MjData, frameSkip: number, steps: number): number {
  const rng = Rng.fromSeed(11);
  for (let step = 0; step < steps; step++) {
    const ctrl = data.ctrl as Float64Array;
    for (let i = 0; i < model.nu; i++) ctrl[i] = rng.uniform() < 0.5 ? -1 : 1;
    for (let k = 0; k < frameSkip; k++) mj.mj_step(model, data);
    mj.mj_rnePostConstraint(model, data);
  }
  return Number(data.maxuse_arena) + Number(data.maxuse_stack);
}

const CASES = [
  ['HalfCheetah-v2', '6x1'],
  ['Ant-v2', '8x1'],
  ['Hopper-v2', '3x1'],
  ['Walker2d-v2', '6x1'],
  ['Swimmer-v2', '2x1'],
  ['manyagent_swimmer', '10x2'],
  ['manyagent_ant', '2x3'],
] as const;

describe('model arenas', () => {
  for (const [scenario, agentConf] of CASES) {
    it(`${scenario} ${agentConf}: peak use under half the arena, arena under a quarter of MuJoCo's default`, () => {
      const task = mujocoTask(scenario, agentConf);
      const { arena, peak } = withData(task.xml, scenario, (model, data) => ({
        arena: Number(data.narena),
        peak: peakUse(model, data, task.frameSkip, 300),
      }));
      const withoutSize = task.xml.replace(/^\s*<size [^>]*\/>\n/m, '');
      expect(withoutSize).not.toContain('<size');
      const defaultArena = withData(withoutSize, scenario, (_, data) => Number(data.narena));
      expect(peak).toBeGreaterThan(0);
      expect(peak).toBeLessThan(arena / 2);
      expect(arena).toBeLessThan(defaultArena / 4);
    });
  }
});
