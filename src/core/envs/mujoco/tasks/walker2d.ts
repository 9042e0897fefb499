/**
 * Walker2d-v2 (facts from gym's `walker2d.xml` and v2 `walker2d.py`; shared semantics in
 * planarWalking.ts): a planar biped — torso and two three-hinge legs (the left foot has friction
 * 1.9, the right 0.9), six motors of gear 100. Degrees, RK4, timestep 0.002, frame skip 4. gym
 * writes it in global coordinates; globalBodies.ts converts our copy of its numbers to local ones.
 *
 * Terminated unless the height qpos[1] ∈ (0.8, 2.0) and the torso angle qpos[2] ∈ (−1, 1); unlike
 * Hopper, gym v2 does not check finiteness here (a NaN height fails the comparisons anyway).
 */

import type { MujocoTask, SimState } from '../types.js';
import { localBody, type PlanarLeg, planarLeg, planarTorso } from './globalBodies.js';
import { mjcf } from './mjcf.js';
import { floorPlane, motor, renderModel } from './modelParts.js';
import { planarWalkingSemantics } from './planarWalking.js';

/** Motor gear [N·m per unit control]. */
const GEAR = 100;
/** Healthy height (exclusive) [m] and torso angle (exclusive) [rad]. */
const MIN_HEIGHT = 0.8;
const MAX_HEIGHT = 2.0;
const MAX_ANGLE = 1.0;

const FOOT: Omit<PlanarLeg, 'suffix' | 'footFriction'> = {
  footX: 0.2,
  footFromX: 0,
  footToX: 0.2,
  footRadius: 0.06,
};

/** The Walker2d MJCF. */
export function walker2dXml(): string {
  const right = planarLeg({ ...FOOT, suffix: '', footFriction: 0.9 });
  const left = planarLeg({ ...FOOT, suffix: '_left', footFriction: 1.9 });
  const joints = ['thigh', 'leg', 'foot', 'thigh_left', 'leg_left', 'foot_left'];
  return renderModel({
    name: 'walker2d',
    compiler: { angle: 'degree', inertiafromgeom: true },
    memory: '128K',
    option: { integrator: 'RK4', timestep: 0.002 },
    defaults: [
      mjcf('joint', { armature: 0.01, damping: 0.1, limited: true }),
      mjcf('geom', { contype: 1, conaffinity: 0, condim: 3, density: 1000, friction: [0.7, 0.1, 0.1] }),
    ],
    worldbody: [floorPlane([40, 40, 40]), localBody(planarTorso([right, left]))],
    actuators: joints.map((joint) => motor(`${joint}_joint`, GEAR)),
  });
}

/** gym v2's `done` for Walker2d. */
function terminated(state: SimState): boolean {
  const height = state.qpos[1]!;
  const angle = state.qpos[2]!;
  return !(height > MIN_HEIGHT && height < MAX_HEIGHT && angle > -MAX_ANGLE && angle < MAX_ANGLE);
}

/** Walker2d-v2 as gym defines it (observation 17). */
export function walker2dTask(): MujocoTask {
  return {
    scenario: 'Walker2d-v2',
    xml: walker2dXml(),
    sizes: { nq: 9, nv: 9, nu: 6, nbody: 8 },
    ...planarWalkingSemantics('Walker2d-v2', 9, terminated),
  };
}
