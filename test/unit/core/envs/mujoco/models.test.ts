/**
 * The task models compile in mujoco-js and hold what gym's assets and the reference's generators
 * say (docs/spec/bridges.md §1.10, §1.13, §1.14): sizes, masses, joints, gears, actuator order,
 * options. Values are read back from the compiled model's arrays; every handle is deleted.
 */
import type { MjModel } from 'mujoco-js';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  compileModel,
  loadMujoco,
  type MujocoModule,
} from '../../../../../src/core/envs/mujoco/mujocoModule.js';
import { MUJOCO_SCENARIOS, mujocoTask } from '../../../../../src/core/envs/mujoco/tasks/index.js';

let mj: MujocoModule;
beforeAll(async () => {
  mj = await loadMujoco();
});

/** Compiles the task's model, hands it to `check` and deletes it. */
function withModel(scenario: string, agentConf: string, check: (model: MjModel) => void): void {
  const model = compileModel(mj, mujocoTask(scenario, agentConf).xml, scenario);
  try {
    check(model);
  } finally {
    model.delete();
  }
}

function names(model: MjModel, kind: 'mjOBJ_BODY' | 'mjOBJ_JOINT', count: number): string[] {
  return Array.from({ length: count }, (_, i) => mj.mj_id2name(model, mj.mjtObj[kind].value, i));
}

/** The joint each actuator drives, by name, in actuator order. */
function actuatedJoints(model: MjModel): string[] {
  const trnid = Array.from(model.actuator_trnid as Int32Array);
  return Array.from({ length: model.nu }, (_, i) =>
    mj.mj_id2name(model, mj.mjtObj.mjOBJ_JOINT.value, trnid[2 * i]!),
  );
}

function expectAllClose(got: ArrayLike<number>, want: readonly number[], digits = 6): void {
  expect(got.length).toBe(want.length);
  for (const [i, value] of want.entries()) expect(got[i]!).toBeCloseTo(value, digits);
}

const DEG = Math.PI / 180;

describe('every task model', () => {
  const cases = [
    ...MUJOCO_SCENARIOS.map((scenario) => [scenario, '2x1'] as const),
    ['manyagent_swimmer', '10x2'] as const,
    ['manyagent_ant', '3x1'] as const,
    ['manyagent_ant', '2x3'] as const,
  ];
  for (const [scenario, agentConf] of cases) {
    it(`${scenario} ${agentConf} compiles with the declared sizes and timestep`, () => {
      const task = mujocoTask(scenario, agentConf);
      withModel(scenario, agentConf, (model) => {
        const { nq, nv, nu, nbody } = model;
        expect({ nq, nv, nu, nbody }).toEqual(task.sizes);
        expect(model.opt.timestep).toBe(task.timestep);
        expect(Array.from(model.actuator_ctrlrange as Float64Array)).toEqual(
          Array.from({ length: nu }, () => [-1, 1]).flat(),
        );
      });
    });
  }
});

describe('HalfCheetah-v2 model (docs/spec/bridges.md §1.14)', () => {
  it('has the probe masses (total 14 kg) and no rotation of the root', () => {
    withModel('HalfCheetah-v2', '6x1', (model) => {
      const mass = Array.from(model.body_mass as Float64Array);
      const want = [0, 6.2502, 1.5435, 1.5874, 1.0954, 1.4381, 1.2008, 0.8845];
      for (const [i, value] of mass.entries()) expect(Math.abs(value - want[i]!)).toBeLessThan(1e-3);
      expect(mass.reduce((a, b) => a + b, 0)).toBeCloseTo(14, 6);
      expect(names(model, 'mjOBJ_BODY', 8)).toEqual([
        'world',
        'torso',
        'bthigh',
        'bshin',
        'bfoot',
        'fthigh',
        'fshin',
        'ffoot',
      ]);
    });
  });

  it('has gym joint ranges, stiffness, damping, armature, limits and gears', () => {
    withModel('HalfCheetah-v2', '6x1', (model) => {
      expect(names(model, 'mjOBJ_JOINT', 9)).toEqual([
        'rootx',
        'rootz',
        'rooty',
        'bthigh',
        'bshin',
        'bfoot',
        'fthigh',
        'fshin',
        'ffoot',
      ]);
      expectAllClose(
        model.jnt_range as Float64Array,
        [0, 0, 0, 0, 0, 0, -0.52, 1.05, -0.785, 0.785, -0.4, 0.785, -1, 0.7, -1.2, 0.87, -0.5, 0.5],
      );
      expect(Array.from(model.jnt_limited as Uint8Array)).toEqual([0, 0, 0, 1, 1, 1, 1, 1, 1]);
      expectAllClose(model.jnt_stiffness as Float64Array, [0, 0, 0, 240, 180, 120, 180, 120, 60]);
      expectAllClose(model.dof_damping as Float64Array, [0, 0, 0, 6, 4.5, 3, 4.5, 3, 1.5]);
      expectAllClose(model.dof_armature as Float64Array, [0, 0, 0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]);
      const gear = Array.from(model.actuator_gear as Float64Array).filter((_, i) => i % 6 === 0);
      expect(gear).toEqual([120, 90, 60, 120, 60, 30]);
      expect(actuatedJoints(model)).toEqual(['bthigh', 'bshin', 'bfoot', 'fthigh', 'fshin', 'ffoot']);
      expectAllClose(model.qpos0 as Float64Array, new Array(9).fill(0));
      expect(model.opt.integrator).toBe(mj.mjtIntegrator.mjINT_EULER.value);
    });
  });
});

describe('Ant-v2 and manyagent_ant models', () => {
  it('Ant-v2: torso 0.75 m up, gym actuator order, ankle ranges in radians, gear 150', () => {
    withModel('Ant-v2', '8x1', (model) => {
      expectAllClose(model.qpos0 as Float64Array, [0, 0, 0.75, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
      expect(actuatedJoints(model)).toEqual([
        'hip_4',
        'ankle_4',
        'hip_1',
        'ankle_1',
        'hip_2',
        'ankle_2',
        'hip_3',
        'ankle_3',
      ]);
      const range = Array.from(model.jnt_range as Float64Array);
      // Joints: root, hip_1, ankle_1, hip_2, ankle_2, ...
      expectAllClose(range.slice(2, 10), [
        -30 * DEG,
        30 * DEG,
        30 * DEG,
        70 * DEG,
        -30 * DEG,
        30 * DEG,
        -70 * DEG,
        -30 * DEG,
      ]);
      expect(Array.from(model.actuator_gear as Float64Array).filter((_, i) => i % 6 === 0)).toEqual(
        new Array(8).fill(150),
      );
      expect(mj.mj_id2name(model, mj.mjtObj.mjOBJ_BODY.value, 1)).toBe('torso');
      expect(model.opt.integrator).toBe(mj.mjtIntegrator.mjINT_RK4.value);
    });
  });

  it('manyagent_ant 3x1: segments one metre apart, four motors per segment, timestep 0.005', () => {
    withModel('manyagent_ant', '3x1', (model) => {
      const bodies = names(model, 'mjOBJ_BODY', model.nbody);
      expect([bodies[1], bodies[8], bodies[15]]).toEqual(['torso_0', 'torso_1', 'torso_2']);
      expectAllClose(Array.from(model.body_pos as Float64Array).slice(3 * 8, 3 * 8 + 3), [-1, 0, 0]);
      // biome-ignore format: one segment per line
      expect(actuatedJoints(model)).toEqual([
        'hip1_0', 'ankle1_0', 'hip2_0', 'ankle2_0',
        'hip1_1', 'ankle1_1', 'hip2_1', 'ankle2_1',
        'hip1_2', 'ankle1_2', 'hip2_2', 'ankle2_2',
      ]);
      // hip1_j is qpos 7 + 4j.
      expect(Array.from(model.jnt_qposadr as Int32Array).slice(1)).toEqual([
        7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
      ]);
    });
  });
});

describe('Swimmer models', () => {
  it('Swimmer-v2: viscous medium, no contacts, gym joint names', () => {
    withModel('Swimmer-v2', '2x1', (model) => {
      expect(model.opt.density).toBe(4000);
      expect(model.opt.viscosity).toBe(0.1);
      expect(model.opt.disableflags & mj.mjtDisableBit.mjDSBL_CONTACT.value).not.toBe(0);
      expect(names(model, 'mjOBJ_JOINT', 5)).toEqual([
        'slider1',
        'slider2',
        'free_body_rot',
        'motor1_rot',
        'motor2_rot',
      ]);
      expectAllClose(Array.from(model.jnt_range as Float64Array).slice(6), [
        -100 * DEG,
        100 * DEG,
        -100 * DEG,
        100 * DEG,
      ]);
      expectAllClose(model.dof_armature as Float64Array, [0.1, 0.1, 0.1, 0.1, 0.1]);
    });
  });

  it("manyagent_swimmer 5x1: hinge axes +, +, −, +, + about z (the generator's alternation)", () => {
    withModel('manyagent_swimmer', '5x1', (model) => {
      const axisZ = Array.from(model.jnt_axis as Float64Array).filter((_, i) => i % 3 === 2);
      expect(axisZ.slice(3)).toEqual([1, 1, -1, 1, 1]);
      expect(names(model, 'mjOBJ_JOINT', 8).slice(2)).toEqual([
        'rot',
        'rot0',
        'rot1',
        'rot2',
        'rot3',
        'rot4',
      ]);
    });
  });
});
