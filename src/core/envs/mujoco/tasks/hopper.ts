/**
 * Hopper-v2 (facts from gym's `hopper.xml` and v2 `hopper.py`; shared semantics in
 * planarWalking.ts): a planar one-legged robot — torso, thigh, leg and foot capsules, three hinges
 * with motors of gear 200 (control [−1, 1], which overrides the file's class default [−0.4, 0.4]).
 * Degrees, RK4, timestep 0.002, frame skip 4. gym writes it in global coordinates; globalBodies.ts
 * converts our copy of its numbers to local ones.
 *
 * Terminated unless the state is finite, every entry of qpos[2:] ⊕ qvel has magnitude < 100, the
 * height qpos[1] > 0.7 and the torso angle |qpos[2]| < 0.2.
 */

import type { MujocoTask, SimState } from '../types.js';
import { localBody, planarLeg, planarTorso } from './globalBodies.js';
import { mjcf } from './mjcf.js';
import { floorPlane, motor, renderModel } from './modelParts.js';
import { planarWalkingSemantics } from './planarWalking.js';
import { allFinite } from './taskMath.js';

/** Motor gear [N·m per unit control]. */
const GEAR = 200;
/** Healthy while all |qpos[2:]|, |qvel| < MAX_STATE, height > MIN_HEIGHT [m], |angle| < MAX_ANGLE [rad]. */
const MAX_STATE = 100;
const MIN_HEIGHT = 0.7;
const MAX_ANGLE = 0.2;

/** The Hopper MJCF. */
export function hopperXml(): string {
  const leg = planarLeg({
    suffix: '',
    footX: 0.13,
    footFromX: -0.13,
    footToX: 0.26,
    footRadius: 0.06,
    footFriction: 2,
  });
  return renderModel({
    name: 'hopper',
    compiler: { angle: 'degree', inertiafromgeom: true },
    memory: '128K',
    option: { integrator: 'RK4', timestep: 0.002 },
    defaults: [
      mjcf('joint', { armature: 1, damping: 1, limited: true }),
      mjcf('geom', {
        contype: 1,
        conaffinity: 1,
        condim: 1,
        margin: 0.001,
        solimp: [0.8, 0.8, 0.01],
        solref: [0.02, 1],
      }),
    ],
    worldbody: [floorPlane([20, 20, 0.125]), localBody(planarTorso([leg]))],
    actuators: ['thigh_joint', 'leg_joint', 'foot_joint'].map((joint) => motor(joint, GEAR)),
  });
}

function withinLimit(values: Float64Array, from: number): boolean {
  for (let i = from; i < values.length; i++) if (!(Math.abs(values[i]!) < MAX_STATE)) return false;
  return true;
}

/** gym v2's `done` for Hopper. */
function terminated(state: SimState): boolean {
  const height = state.qpos[1]!;
  const angle = state.qpos[2]!;
  const healthy =
    allFinite(state.qpos, state.qvel) &&
    withinLimit(state.qpos, 2) &&
    withinLimit(state.qvel, 0) &&
    height > MIN_HEIGHT &&
    Math.abs(angle) < MAX_ANGLE;
  return !healthy;
}

/** Hopper-v2 as gym defines it (observation 11). */
export function hopperTask(): MujocoTask {
  return {
    scenario: 'Hopper-v2',
    xml: hopperXml(),
    sizes: { nq: 6, nv: 6, nu: 3, nbody: 5 },
    ...planarWalkingSemantics('Hopper-v2', 6, terminated),
  };
}
