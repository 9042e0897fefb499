/**
 * Ant-v2 (facts from gym's `ant.xml` and `ant.py`; semantics in antParts.ts): a sphere torso on a
 * free joint 0.75 m above the floor with four two-hinge legs pointing along the diagonals, eight
 * motors of gear 150. Degrees, RK4, timestep 0.01, frame skip 5 (dt 0.05).
 *
 * Actuator order is gym's: leg 4, leg 1, leg 2, leg 3 (hip then ankle), which the reference's
 * partitions do not follow (docs/spec/bridges.md §1.9); the body order is legs 1–4.
 */

import type { MujocoTask } from '../types.js';
import { ANT_GEAR, type AntLeg, antDefaults, antLegBody, antRootJoint, antSemantics } from './antParts.js';
import { mjcf } from './mjcf.js';
import { floorPlane, motor, renderModel } from './modelParts.js';

/** Model timestep [s]. */
export const ANT_TIMESTEP = 0.01;
/** MuJoCo steps per env step. */
export const ANT_FRAME_SKIP = 5;

/** The four legs in body order; each points along one diagonal of the xy plane. */
// biome-ignore format: one row per leg reads best
const ANT_LEGS: readonly AntLeg[] = [
  { body: 'front_left_leg', hipBody: 'aux_1', hip: 'hip_1', ankle: 'ankle_1', upper: [0.2, 0.2], thigh: [0.2, 0.2], ankleAxis: [-1, 1, 0], ankleRange: [30, 70] },
  { body: 'front_right_leg', hipBody: 'aux_2', hip: 'hip_2', ankle: 'ankle_2', upper: [-0.2, 0.2], thigh: [-0.2, 0.2], ankleAxis: [1, 1, 0], ankleRange: [-70, -30] },
  { body: 'back_leg', hipBody: 'aux_3', hip: 'hip_3', ankle: 'ankle_3', upper: [-0.2, -0.2], thigh: [-0.2, -0.2], ankleAxis: [-1, 1, 0], ankleRange: [-70, -30] },
  { body: 'right_back_leg', hipBody: 'aux_4', hip: 'hip_4', ankle: 'ankle_4', upper: [0.2, -0.2], thigh: [0.2, -0.2], ankleAxis: [1, 1, 0], ankleRange: [30, 70] },
];

/** gym's actuator order: hip_4, ankle_4, hip_1, ankle_1, hip_2, ankle_2, hip_3, ankle_3. */
const ACTUATED_LEGS = [3, 0, 1, 2] as const;

/** The Ant MJCF. */
export function antXml(): string {
  const torso = mjcf('body', { name: 'torso', pos: [0, 0, 0.75] }, [
    mjcf('geom', { name: 'torso_geom', type: 'sphere', pos: [0, 0, 0], size: [0.25] }),
    antRootJoint(),
    ...ANT_LEGS.map(antLegBody),
  ]);
  return renderModel({
    name: 'ant',
    compiler: { angle: 'degree', inertiafromgeom: true },
    memory: '256K',
    option: { integrator: 'RK4', timestep: ANT_TIMESTEP },
    defaults: antDefaults(),
    worldbody: [floorPlane([40, 40, 40]), torso],
    actuators: ACTUATED_LEGS.flatMap((leg) => [
      motor(ANT_LEGS[leg]!.hip, ANT_GEAR),
      motor(ANT_LEGS[leg]!.ankle, ANT_GEAR),
    ]),
  });
}

/** Ant-v2 as gym defines it (observation 111 = 13 + 14 + 14 bodies × 6). */
export function antTask(): MujocoTask {
  const sizes = { nq: 15, nv: 14, nu: 8, nbody: 14 };
  return {
    scenario: 'Ant-v2',
    xml: antXml(),
    sizes,
    frameSkip: ANT_FRAME_SKIP,
    timestep: ANT_TIMESTEP,
    ...antSemantics('Ant-v2', sizes.nq, sizes.nv, sizes.nbody),
  };
}
