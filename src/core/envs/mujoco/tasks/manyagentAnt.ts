/**
 * manyagent_ant with s segments (docs/spec/bridges.md §1.13; facts from the reference's
 * `manyagent_ant.py › _generate_asset` and `assets/manyagent_ant.xml.template`; semantics as Ant-v2,
 * antParts.ts). Segment 0 is a torso body without a geom of its own on a free joint 0.75 m up, with
 * a front-left and a right-back leg; segment j ≥ 1 is a capsule torso one metre behind segment j−1
 * (welded to it: the template's spine joint is commented out) with a front-right and a back leg.
 * Four motors of gear 150 per segment: hip1, ankle1, hip2, ankle2. RK4, timestep 0.005 as in the
 * template (the reference's checked-in 3-segment file says 0.01), frame skip 4 (dt 0.02).
 *
 * Joint indices are plain here (segment j's hip1 is qpos 7 + 4j); the reference's graph reads wrong
 * indices for all but the last segment, which the graph layer handles, not the model.
 */

import type { MujocoTask } from '../types.js';
import { ANT_GEAR, type AntLeg, antDefaults, antLegBody, antRootJoint, antSemantics } from './antParts.js';
import { type MjcfElement, mjcf } from './mjcf.js';
import { floorPlane, motor, renderModel } from './modelParts.js';

/** Model timestep [s] (the template's). */
export const MANYAGENT_ANT_TIMESTEP = 0.005;
/** MuJoCo steps per env step. */
export const MANYAGENT_ANT_FRAME_SKIP = 4;
/** Density of the segment torsos j ≥ 1 [kg/m³] (legs use the default 5). */
const SPINE_DENSITY = 100;

/** The two legs of segment `j` (segment 0 differs from the rest, as in the template). */
function segmentLegs(j: number): readonly [AntLeg, AntLeg] {
  if (j === 0) {
    return [
      // biome-ignore format: one row per leg reads best
      { body: 'front_left_leg_0', hipBody: 'aux1_0', hip: 'hip1_0', ankle: 'ankle1_0', upper: [0.2, 0.2], thigh: [0.2, 0.2], ankleAxis: [-1, 1, 0], ankleRange: [30, 70] },
      // biome-ignore format: one row per leg reads best
      { body: 'right_back_leg_0', hipBody: 'aux2_0', hip: 'hip2_0', ankle: 'ankle2_0', upper: [0.2, -0.2], thigh: [0.2, -0.2], ankleAxis: [1, 1, 0], ankleRange: [30, 70] },
    ];
  }
  return [
    // biome-ignore format: one row per leg reads best
    { body: `front_right_leg_${j}`, hipBody: `aux_2_${j}`, hip: `hip1_${j}`, ankle: `ankle1_${j}`, upper: [0, 0.2], thigh: [-0.2, 0.2], ankleAxis: [1, 1, 0], ankleRange: [-70, -30] },
    // biome-ignore format: one row per leg reads best
    { body: `back_leg_${j}`, hipBody: `aux2_${j}`, hip: `hip2_${j}`, ankle: `ankle2_${j}`, upper: [0, -0.2], thigh: [-0.2, -0.2], ankleAxis: [-1, 1, 0], ankleRange: [-70, -30] },
  ];
}

/** Segment `j` and, nested inside it, every segment after it up to `segments − 1`. */
function segmentBody(j: number, segments: number): MjcfElement {
  const children: MjcfElement[] = [];
  if (j === 0) children.push(antRootJoint());
  else {
    children.push(
      mjcf('geom', { type: 'capsule', fromto: [1, 0, 0, 0, 0, 0], size: [0.1], density: SPINE_DENSITY }),
    );
  }
  children.push(...segmentLegs(j).map(antLegBody));
  if (j + 1 < segments) children.push(segmentBody(j + 1, segments));
  return mjcf('body', { name: `torso_${j}`, pos: j === 0 ? [0, 0, 0.75] : [-1, 0, 0] }, children);
}

/**
 * Arena per MjData [KiB]. The constraint arrays grow with contacts × dofs, both about linear in the
 * segments, so the need is about quadratic. Peak arena + stack over 30,000 bang-bang random steps
 * with contact forces computed: 39K, 58K, 114K, 274K and 737K for 1, 2, 3, 6 and 10 segments. Three
 * times a quadratic fit leaves about three times those peaks; running out is an exception in
 * MuJoCo 3, not a warning (docs/envs/mujoco-models.md).
 */
function arenaKiB(segments: number): number {
  return 3 * (32 + 8 * segments + 6 * segments * segments);
}

/** The manyagent_ant MJCF with `segments` segments. */
export function manyagentAntXml(segments: number): string {
  return renderModel({
    name: 'ant',
    compiler: { angle: 'degree', inertiafromgeom: true },
    memory: `${arenaKiB(segments)}K`,
    option: { integrator: 'RK4', timestep: MANYAGENT_ANT_TIMESTEP },
    defaults: antDefaults(),
    worldbody: [floorPlane([40, 40, 40]), segmentBody(0, segments)],
    actuators: Array.from({ length: segments }, (_, j) => segmentLegs(j)).flatMap(([first, second]) => [
      motor(first.hip, ANT_GEAR),
      motor(first.ankle, ANT_GEAR),
      motor(second.hip, ANT_GEAR),
      motor(second.ankle, ANT_GEAR),
    ]),
  });
}

/** manyagent_ant with `segments` ≥ 1 segments (observation 17 + 50·segments). */
export function manyagentAntTask(segments: number): MujocoTask {
  if (!Number.isInteger(segments) || segments < 1) {
    throw new Error(`manyagent_ant: expected at least 1 segment, received ${segments}`);
  }
  const sizes = { nq: 7 + 4 * segments, nv: 6 + 4 * segments, nu: 4 * segments, nbody: 1 + 7 * segments };
  return {
    scenario: 'manyagent_ant',
    xml: manyagentAntXml(segments),
    sizes,
    frameSkip: MANYAGENT_ANT_FRAME_SKIP,
    timestep: MANYAGENT_ANT_TIMESTEP,
    ...antSemantics('manyagent_ant', sizes.nq, sizes.nv, sizes.nbody),
  };
}
