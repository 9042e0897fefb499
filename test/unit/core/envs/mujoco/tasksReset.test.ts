/**
 * Reset noise of every task (docs/spec/bridges.md §1.10): which distribution, its scale, the draw order
 * (all qpos entries, then all qvel entries, as gym's `reset_model`), and seeding.
 */
import { describe, expect, it } from 'vitest';
import { mujocoTask } from '../../../../../src/core/envs/mujoco/tasks/index.js';
import type { MujocoTask } from '../../../../../src/core/envs/mujoco/types.js';
import { Rng } from '../../../../../src/core/rng.js';

function reset(task: MujocoTask, qpos0: Float64Array, seed: number): { qpos: number[]; qvel: number[] } {
  const qpos = new Float64Array(task.sizes.nq);
  const qvel = new Float64Array(task.sizes.nv);
  task.resetState(qpos0, qpos, qvel, Rng.fromSeed(seed));
  return { qpos: Array.from(qpos), qvel: Array.from(qvel) };
}

/** gym's draws replayed on the same Rng stream: uniform(−q, q) per qpos, then the qvel noise. */
function expectedReset(
  qpos0: Float64Array,
  nv: number,
  seed: number,
  qposScale: number,
  qvel: (rng: Rng) => number,
): { qpos: number[]; qvel: number[] } {
  const rng = Rng.fromSeed(seed);
  const qpos = Array.from(qpos0, (base) => base + (-qposScale + 2 * qposScale * rng.uniform()));
  return { qpos, qvel: Array.from({ length: nv }, () => qvel(rng)) };
}

function expectClose(
  got: { qpos: number[]; qvel: number[] },
  want: { qpos: number[]; qvel: number[] },
): void {
  expect(got.qpos).toHaveLength(want.qpos.length);
  expect(got.qvel).toHaveLength(want.qvel.length);
  for (const [i, value] of got.qpos.entries()) expect(value).toBeCloseTo(want.qpos[i]!, 14);
  for (const [i, value] of got.qvel.entries()) expect(value).toBeCloseTo(want.qvel[i]!, 14);
}

const QPOS0: Record<string, number[]> = {
  'HalfCheetah-v2': [0, 0, 0, 0, 0, 0, 0, 0, 0],
  'Ant-v2': [0, 0, 0.75, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  'Hopper-v2': [0, 1.25, 0, 0, 0, 0],
  'Walker2d-v2': [0, 1.25, 0, 0, 0, 0, 0, 0, 0],
  'Swimmer-v2': [0, 0, 0, 0, 0],
};

/** qpos half-width and the qvel draw of each task. */
const NOISE: Record<string, { qpos: number; qvel: (rng: Rng) => number; qvelBound: number }> = {
  'HalfCheetah-v2': { qpos: 0.1, qvel: (rng) => 0.1 * rng.normal(), qvelBound: Number.POSITIVE_INFINITY },
  'Ant-v2': { qpos: 0.1, qvel: (rng) => 0.1 * rng.normal(), qvelBound: Number.POSITIVE_INFINITY },
  'Hopper-v2': { qpos: 0.005, qvel: (rng) => -0.005 + 0.01 * rng.uniform(), qvelBound: 0.005 },
  'Walker2d-v2': { qpos: 0.005, qvel: (rng) => -0.005 + 0.01 * rng.uniform(), qvelBound: 0.005 },
  'Swimmer-v2': { qpos: 0.1, qvel: (rng) => -0.1 + 0.2 * rng.uniform(), qvelBound: 0.1 },
};

describe('resetState', () => {
  for (const scenario of Object.keys(QPOS0)) {
    const task = mujocoTask(scenario, '1x1');
    const qpos0 = Float64Array.from(QPOS0[scenario]!);
    const noise = NOISE[scenario]!;

    it(`${scenario}: qpos0 + U(±${noise.qpos}) on every qpos, then the qvel noise`, () => {
      expectClose(reset(task, qpos0, 7), expectedReset(qpos0, task.sizes.nv, 7, noise.qpos, noise.qvel));
    });

    it(`${scenario}: same seed → same state, other seed → other state, noise within bounds`, () => {
      expect(reset(task, qpos0, 3)).toEqual(reset(task, qpos0, 3));
      expect(reset(task, qpos0, 3).qpos).not.toEqual(reset(task, qpos0, 4).qpos);
      for (let seed = 0; seed < 200; seed++) {
        const { qpos, qvel } = reset(task, qpos0, seed);
        const qposNoise = qpos.map((value, i) => Math.abs(value - qpos0[i]!));
        expect(Math.max(...qposNoise)).toBeLessThanOrEqual(noise.qpos + 1e-12);
        expect(Math.max(...qvel.map(Math.abs))).toBeLessThanOrEqual(noise.qvelBound);
      }
    });
  }

  it('HalfCheetah: qvel noise is normal with standard deviation 0.1', () => {
    const task = mujocoTask('HalfCheetah-v2', '6x1');
    const values: number[] = [];
    for (let seed = 0; seed < 1000; seed++) values.push(...reset(task, new Float64Array(9), seed).qvel);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    expect(Math.abs(mean)).toBeLessThan(0.005);
    expect(std).toBeGreaterThan(0.097);
    expect(std).toBeLessThan(0.103);
    // A normal draw exceeds 2σ about 4.6 % of the time; a uniform(±0.1) never would.
    expect(values.filter((v) => Math.abs(v) > 0.2).length / values.length).toBeGreaterThan(0.03);
  });

  it('manyagent tasks reset like their single-agent models (swimmer uniform, ant normal)', () => {
    const swimmer = mujocoTask('manyagent_swimmer', '3x2');
    const swimmerQpos0 = new Float64Array(swimmer.sizes.nq);
    const noise = NOISE['Swimmer-v2']!;
    expectClose(
      reset(swimmer, swimmerQpos0, 5),
      expectedReset(swimmerQpos0, swimmer.sizes.nv, 5, 0.1, noise.qvel),
    );
    const ant = mujocoTask('manyagent_ant', '2x1');
    const antQpos0 = new Float64Array(ant.sizes.nq);
    antQpos0[2] = 0.75;
    antQpos0[3] = 1;
    expectClose(
      reset(ant, antQpos0, 5),
      expectedReset(antQpos0, ant.sizes.nv, 5, 0.1, (rng) => 0.1 * rng.normal()),
    );
  });
});
