/**
 * Reward, termination and full observation of every task on fixed fake states, against numbers
 * worked out by hand from gym v2's formulas (docs/spec/bridges.md §1.7, §1.10). No MuJoCo here.
 */
import { describe, expect, it } from 'vitest';
import { mujocoTask } from '../../../../../src/core/envs/mujoco/tasks/index.js';
import type { SimState } from '../../../../../src/core/envs/mujoco/types.js';

/** A state with the given arrays; missing arrays are zeros of the task's sizes. */
function fakeState(
  sizes: { nq: number; nv: number; nbody: number },
  parts: { qpos?: number[]; qvel?: number[]; cfrcExt?: number[]; xpos?: number[] },
): SimState {
  const filled = (values: number[] | undefined, length: number) => {
    const out = new Float64Array(length);
    if (values !== undefined) out.set(values);
    return out;
  };
  return {
    qpos: filled(parts.qpos, sizes.nq),
    qvel: filled(parts.qvel, sizes.nv),
    cfrcExt: filled(parts.cfrcExt, 6 * sizes.nbody),
    xpos: filled(parts.xpos, 3 * sizes.nbody),
    qfrcActuator: new Float64Array(sizes.nv),
  };
}

function observe(scenario: string, state: SimState, agentConf = '1x2'): number[] {
  const task = mujocoTask(scenario, agentConf);
  const out = new Float64Array(task.fullObsDim);
  task.fullObservation(state, out);
  return Array.from(out);
}

describe('HalfCheetah-v2', () => {
  const task = mujocoTask('HalfCheetah-v2', '6x1');
  const qpos = [0.5, 0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8];
  const qvel = [1, 2, 3, 4, 5, 6, 7, 8, 9];
  const state = fakeState(task.sizes, { qpos, qvel });

  it('rewards Δx/dt and charges 0.1·Σa² on the unclipped action', () => {
    // Σa² = 1 + 1 + 0.25 + 4 + 0 + 9 = 15.25 → ctrl −1.525; run = 0.1 / 0.05 = 2.
    const { reward, terms } = task.reward(1, 1.1, 0.05, Float64Array.of(1, -1, 0.5, 2, 0, -3), state);
    expect(Object.keys(terms).sort()).toEqual(['reward_ctrl', 'reward_run']);
    expect(terms.reward_run).toBeCloseTo(2, 12);
    expect(terms.reward_ctrl).toBeCloseTo(-1.525, 12);
    expect(reward).toBeCloseTo(0.475, 12);
  });

  it('never terminates, reads x from qpos 0 and observes qpos[1:] ⊕ qvel (17)', () => {
    expect(task.terminated(fakeState(task.sizes, { qpos: [0, -5, 3] }))).toBe(false);
    expect(task.forwardX(state)).toBe(0.5);
    expect(task.fullObsDim).toBe(17);
    expect(observe('HalfCheetah-v2', state)).toEqual([0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8, ...qvel]);
    expect(task.frameSkip * task.timestep).toBeCloseTo(0.05, 12);
    expect(task.readsContactForces).toBe(false);
  });
});

describe('Ant-v2', () => {
  const task = mujocoTask('Ant-v2', '8x1');
  const qpos = Array.from({ length: 15 }, (_, i) => i / 10);
  const qvel = Array.from({ length: 14 }, (_, i) => -i);
  const cfrcExt = [2, -0.5, 0.3, -3];
  const state = fakeState(task.sizes, { qpos, qvel, cfrcExt, xpos: [9, 9, 9, 0.25, 0, 0.55] });

  it('reads x from the torso body origin (body 1) and contact forces from cfrc_ext', () => {
    expect(task.forwardX(state)).toBe(0.25);
    expect(task.readsContactForces).toBe(true);
  });

  it('rewards forward − 0.5·Σa² − 0.5e−3·Σclip(cfrc_ext)² + 1', () => {
    // forward 0.05 / 0.05 = 1; Σa² = 8 · 0.25 = 2 → −1; clipped 1, −0.5, 0.3, −1 → 2.34 · 0.5e−3.
    const { reward, terms } = task.reward(0, 0.05, 0.05, new Float64Array(8).fill(0.5), state);
    expect(terms.reward_forward).toBeCloseTo(1, 12);
    expect(terms.reward_ctrl).toBeCloseTo(-1, 12);
    expect(terms.reward_contact).toBeCloseTo(-0.00117, 12);
    expect(terms.reward_survive).toBe(1);
    expect(reward).toBeCloseTo(0.99883, 12);
  });

  it('terminates when the torso height leaves [0.2, 1] or the state is not finite', () => {
    const at = (height: number, extra: { qvel?: number[] } = {}) =>
      task.terminated(fakeState(task.sizes, { qpos: [0, 0, height], ...extra }));
    expect([at(0.55), at(0.2), at(1.0), at(0.19), at(1.01)]).toEqual([false, false, false, true, true]);
    expect(at(0.55, { qvel: [0, 0, Number.NaN] })).toBe(true);
    expect(at(0.55, { qvel: [Number.POSITIVE_INFINITY] })).toBe(true);
  });

  it('observes qpos[2:] ⊕ qvel ⊕ clip(cfrc_ext, ±1) of 14 bodies (111)', () => {
    const obs = observe('Ant-v2', state);
    expect(obs).toHaveLength(111);
    expect(obs.slice(0, 13)).toEqual(qpos.slice(2));
    expect(obs.slice(13, 27)).toEqual(qvel);
    expect(obs.slice(27, 31)).toEqual([1, -0.5, 0.3, -1]);
    expect(obs.slice(31).every((v) => v === 0)).toBe(true);
  });
});

describe('Hopper-v2', () => {
  const task = mujocoTask('Hopper-v2', '3x1');
  const qpos = [3, 1.25, 0.1, -0.5, -1, 0.3];
  const qvel = [12, -15, 0.5, 1, 2, -3];
  const healthy = fakeState(task.sizes, { qpos, qvel });

  it('rewards forward + 1 − 1e−3·Σa²', () => {
    const { reward, terms } = task.reward(0, 0.008, 0.008, Float64Array.of(1, 2, -1), healthy);
    expect(terms.reward_forward).toBeCloseTo(1, 12);
    expect(terms.reward_ctrl).toBeCloseTo(-0.006, 12);
    expect(terms.reward_survive).toBe(1);
    expect(reward).toBeCloseTo(1.994, 12);
  });

  it('observes qpos[1:] ⊕ clip(qvel, ±10) (11)', () => {
    expect(observe('Hopper-v2', healthy)).toEqual([1.25, 0.1, -0.5, -1, 0.3, 10, -10, 0.5, 1, 2, -3]);
  });

  it('terminates on height ≤ 0.7, |angle| ≥ 0.2, |qpos[2:] ⊕ qvel| ≥ 100 or a non-finite state', () => {
    const at = (qposChange: Record<number, number>, qvelChange: Record<number, number> = {}) => {
      const p = [...qpos];
      const v = [...qvel];
      for (const [i, x] of Object.entries(qposChange)) p[Number(i)] = x;
      for (const [i, x] of Object.entries(qvelChange)) v[Number(i)] = x;
      return task.terminated(fakeState(task.sizes, { qpos: p, qvel: v }));
    };
    expect(at({})).toBe(false);
    expect(at({ 1: 0.7 })).toBe(true);
    expect(at({ 1: 0.71 })).toBe(false);
    expect(at({ 2: 0.2 })).toBe(true);
    expect(at({ 2: -0.19 })).toBe(false);
    expect(at({ 3: -100 })).toBe(true);
    expect(at({}, { 0: 100 })).toBe(true);
    // x and height are outside gym's s[2:] check: a far x or a high jump does not end the episode.
    expect(at({ 0: 1000, 1: 150 })).toBe(false);
    expect(at({ 0: Number.NaN })).toBe(true);
  });
});

describe('Walker2d-v2', () => {
  const task = mujocoTask('Walker2d-v2', '2x3');

  it('terminates unless the height is in (0.8, 2) and the angle in (−1, 1)', () => {
    const at = (height: number, angle: number) =>
      task.terminated(fakeState(task.sizes, { qpos: [50, height, angle], qvel: [500] }));
    expect([at(1.25, 0), at(0.81, 0.99), at(1.99, -0.99)]).toEqual([false, false, false]);
    expect([at(0.8, 0), at(2, 0), at(1.25, 1), at(1.25, -1), at(Number.NaN, 0)]).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
  });

  it('observes qpos[1:] ⊕ clip(qvel, ±10) (17) and rewards like Hopper', () => {
    const qpos = [7, 1.2, 0.3, -0.1, -0.2, 0.4, -0.5, -0.6, 0.7];
    const qvel = [11, -1, 2, -3, 4, -50, 6, -7, 8];
    const state = fakeState(task.sizes, { qpos, qvel });
    expect(observe('Walker2d-v2', state)).toEqual([...qpos.slice(1), 10, -1, 2, -3, 4, -10, 6, -7, 8]);
    const { reward } = task.reward(1, 0.992, 0.008, Float64Array.of(1, 1, 1, 1, 1, 1), state);
    expect(reward).toBeCloseTo(-1 + 1 - 0.006, 12);
  });
});

describe('Swimmer-v2 and manyagent_swimmer', () => {
  it('Swimmer-v2: forward − 1e−4·Σa², never terminates, observes qpos[2:] ⊕ qvel (8)', () => {
    const task = mujocoTask('Swimmer-v2', '2x1');
    const state = fakeState(task.sizes, { qpos: [5, 6, 0.1, 0.2, 0.3], qvel: [1, 2, 3, 4, 5] });
    const { reward, terms } = task.reward(0, 0.04, 0.04, Float64Array.of(2, -1), state);
    expect(Object.keys(terms).sort()).toEqual(['reward_ctrl', 'reward_fwd']);
    expect(terms.reward_ctrl).toBeCloseTo(-5e-4, 15);
    expect(reward).toBeCloseTo(1 - 5e-4, 12);
    expect(task.terminated(state)).toBe(false);
    expect(observe('Swimmer-v2', state)).toEqual([0.1, 0.2, 0.3, 1, 2, 3, 4, 5]);
    expect(task.frameSkip * task.timestep).toBeCloseTo(0.04, 12);
  });

  it('manyagent_swimmer 4x2: 8 hinges, observation 2·8 + 4 = 20, dt 0.02', () => {
    const task = mujocoTask('manyagent_swimmer', '4x2');
    expect(task.sizes).toEqual({ nq: 11, nv: 11, nu: 8, nbody: 10 });
    expect(task.fullObsDim).toBe(20);
    expect(task.frameSkip * task.timestep).toBeCloseTo(0.02, 12);
    const qpos = Array.from({ length: 11 }, (_, i) => i);
    const qvel = Array.from({ length: 11 }, (_, i) => 100 + i);
    expect(observe('manyagent_swimmer', fakeState(task.sizes, { qpos, qvel }), '4x2')).toEqual([
      ...qpos.slice(2),
      ...qvel,
    ]);
  });
});

describe('manyagent_ant', () => {
  it('2x3: 6 segments, observation 17 + 50·6 = 317, Ant-v2 reward and termination', () => {
    const task = mujocoTask('manyagent_ant', '2x3');
    expect(task.sizes).toEqual({ nq: 31, nv: 30, nu: 24, nbody: 43 });
    expect(task.fullObsDim).toBe(317);
    expect(task.frameSkip * task.timestep).toBeCloseTo(0.02, 12);
    expect(task.readsContactForces).toBe(true);
    const state = fakeState(task.sizes, { qpos: [0, 0, 0.6], xpos: [0, 0, 0, -0.4], cfrcExt: [0, 0, 5] });
    expect(task.forwardX(state)).toBe(-0.4);
    const { reward, terms } = task.reward(0, 0.02, 0.02, new Float64Array(24), state);
    expect(terms.reward_contact).toBeCloseTo(-0.5e-3, 15);
    expect(reward).toBeCloseTo(1 + 1 - 0.5e-3, 12);
    expect(task.terminated(state)).toBe(false);
    expect(task.terminated(fakeState(task.sizes, { qpos: [0, 0, 1.5] }))).toBe(true);
  });
});
