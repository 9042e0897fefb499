/**
 * Hopper and Walker2d are written in local coordinates from gym's global-coordinate files
 * (docs/spec/bridges.md §2.4). Compiled in their initial pose, bodies, joint anchors and capsules must sit
 * where gym's `hopper.xml` / `walker2d.xml` put them; the expected numbers below are gym's global
 * values, copied by hand from those files (a capsule's centre is the midpoint of its `fromto`).
 */
import type { MjData, MjModel } from 'mujoco-js';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  compileModel,
  loadMujoco,
  type MujocoModule,
} from '../../../../../src/core/envs/mujoco/mujocoModule.js';
import { mujocoTask } from '../../../../../src/core/envs/mujoco/tasks/index.js';

let mj: MujocoModule;
beforeAll(async () => {
  mj = await loadMujoco();
});

/** The initial pose (qpos0, mj_forward) of a task's model; every handle is deleted after `check`. */
function inInitialPose(scenario: string, check: (model: MjModel, data: MjData) => void): void {
  const model = compileModel(mj, mujocoTask(scenario, '1x1').xml, scenario);
  try {
    const data = new mj.MjData(model);
    try {
      mj.mj_forward(model, data);
      check(model, data);
    } finally {
      data.delete();
    }
  } finally {
    model.delete();
  }
}

type Vec = readonly [number, number, number];

function expectPoints(flat: Float64Array, want: readonly Vec[]): void {
  expect(flat.length).toBe(3 * want.length);
  for (const [i, point] of want.entries()) {
    for (const [k, value] of point.entries()) expect(flat[3 * i + k]!).toBeCloseTo(value, 12);
  }
}

function expectAllClose(got: readonly number[], want: readonly number[]): void {
  expect(got).toHaveLength(want.length);
  for (const [i, value] of want.entries()) expect(got[i]!).toBeCloseTo(value, 12);
}

/** Capsule half-lengths (geom_size[1]) of geoms 1.. (geom 0 is the floor). */
function halfLengths(model: MjModel): number[] {
  return Array.from(model.geom_size as Float64Array)
    .filter((_, i) => i % 3 === 1)
    .slice(1);
}

/** Per geom, the friction triple. */
function frictions(model: MjModel): number[][] {
  const flat = Array.from(model.geom_friction as Float64Array);
  return Array.from({ length: model.ngeom }, (_, g) => flat.slice(3 * g, 3 * g + 3));
}

describe('Hopper-v2 in its initial pose matches gym hopper.xml (global coordinates)', () => {
  it('puts body origins, joint anchors and capsule centres at gym’s positions', () => {
    inInitialPose('Hopper-v2', (model, data) => {
      expect(Array.from(model.qpos0 as Float64Array)).toEqual([0, 1.25, 0, 0, 0, 0]);
      // world, torso, thigh, leg, foot (the leg body's origin is at 0.35 m in gym, below its knee)
      expectPoints(data.xpos, [
        [0, 0, 0],
        [0, 0, 1.25],
        [0, 0, 1.05],
        [0, 0, 0.35],
        [0.13, 0, 0],
      ]);
      // rootx, rootz, rooty, thigh_joint, leg_joint, foot_joint
      expectPoints(data.xanchor, [
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 1.25],
        [0, 0, 1.05],
        [0, 0, 0.6],
        [0, 0, 0.1],
      ]);
      // floor, torso 1.45→1.05, thigh 1.05→0.6, leg 0.6→0.1, foot x −0.13→0.26 at z 0.1
      expectPoints(data.geom_xpos, [
        [0, 0, 0],
        [0, 0, 1.25],
        [0, 0, 0.825],
        [0, 0, 0.35],
        [0.065, 0, 0.1],
      ]);
      expectAllClose(halfLengths(model), [0.2, 0.225, 0.25, 0.195]);
    });
  });

  it('keeps gym’s radii and partial frictions (sliding only; the rest from MuJoCo’s defaults)', () => {
    inInitialPose('Hopper-v2', (model) => {
      const radii = Array.from(model.geom_size as Float64Array).filter((_, i) => i % 3 === 0);
      expect(radii.slice(1)).toEqual([0.05, 0.05, 0.04, 0.06]);
      expect(frictions(model).slice(1)).toEqual([
        [0.9, 0.005, 0.0001],
        [0.9, 0.005, 0.0001],
        [0.9, 0.005, 0.0001],
        [2, 0.005, 0.0001],
      ]);
    });
  });
});

describe('Walker2d-v2 in its initial pose matches gym walker2d.xml (global coordinates)', () => {
  it('puts body origins, joint anchors and capsule centres at gym’s positions', () => {
    inInitialPose('Walker2d-v2', (model, data) => {
      expect(Array.from(model.qpos0 as Float64Array)).toEqual([0, 1.25, 0, 0, 0, 0, 0, 0, 0]);
      // world, torso, thigh, leg, foot, thigh_left, leg_left, foot_left
      // biome-ignore format: one point per body
      expectPoints(data.xpos, [[0, 0, 0], [0, 0, 1.25], [0, 0, 1.05], [0, 0, 0.35], [0.2, 0, 0], [0, 0, 1.05], [0, 0, 0.35], [0.2, 0, 0]]);
      // rootx, rootz, rooty, then hip, knee, ankle of the right and the left leg
      // biome-ignore format: one point per joint
      expectPoints(data.xanchor, [[0, 0, 0], [0, 0, 0], [0, 0, 1.25], [0, 0, 1.05], [0, 0, 0.6], [0, 0, 0.1], [0, 0, 1.05], [0, 0, 0.6], [0, 0, 0.1]]);
      // floor, torso, then thigh, leg, foot (x 0→0.2 at z 0.1) of each leg
      // biome-ignore format: one point per geom
      expectPoints(data.geom_xpos, [[0, 0, 0], [0, 0, 1.25], [0, 0, 0.825], [0, 0, 0.35], [0.1, 0, 0.1], [0, 0, 0.825], [0, 0, 0.35], [0.1, 0, 0.1]]);
      const want = [0.2, 0.225, 0.25, 0.1, 0.225, 0.25, 0.1];
      expectAllClose(halfLengths(model), want);
      expect(frictions(model)[4]).toEqual([0.9, 0.1, 0.1]);
      expect(frictions(model)[7]).toEqual([1.9, 0.1, 0.1]);
    });
  });
});
