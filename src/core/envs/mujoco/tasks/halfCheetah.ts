/**
 * HalfCheetah-v2 (docs/spec/bridges.md §1.14 gives every number; facts from gym's `half_cheetah.xml` and
 * `half_cheetah.py`, which v2–v4 share). A planar runner: torso with slide x, slide z and hinge y
 * root joints, a back and a front leg of three hinges each, one motor per hinge.
 *
 * Task: reward = Δx/dt − 0.1·Σa², never terminates, reset = qpos0 + U(±0.1) and qvel = 0.1·N(0, 1),
 * observation = qpos[1:] ⊕ qvel (17).
 */

import type { Rng } from '../../../rng.js';
import type { MujocoTask, SimState, TaskReward } from '../types.js';
import { type MjcfElement, mjcf } from './mjcf.js';
import { floorPlane, motor, planarRootJoint, renderModel } from './modelParts.js';
import { addUniformNoise, appendValues, assertLength, setNormalNoise, sumOfSquares } from './taskMath.js';

/** Model timestep [s]. */
export const HALF_CHEETAH_TIMESTEP = 0.01;
/** MuJoCo steps per env step (dt = 0.05 s). */
export const HALF_CHEETAH_FRAME_SKIP = 5;
/** Weight of Σa² in the reward. */
const CONTROL_COST = 0.1;
/** Half-width of the uniform qpos reset noise [m or rad]. */
const QPOS_NOISE = 0.1;
/** Standard deviation of the qvel reset noise. */
const QVEL_NOISE = 0.1;
/** Capsule radius of every cheetah geom [m]. */
const LIMB_RADIUS = 0.046;

/** One leg segment: a body with one hinge about y, one capsule and one motor. */
interface CheetahLimb {
  readonly name: string;
  /** Body position relative to its parent [m]. */
  readonly pos: readonly [number, number, number];
  /** Joint range [rad]. */
  readonly range: readonly [number, number];
  /** Spring stiffness [N·m/rad] and damping [N·m·s/rad]. */
  readonly stiffness: number;
  readonly damping: number;
  /** Capsule centre relative to the body [m], its rotation about y [rad] and half-length [m]. */
  readonly geomPos: readonly [number, number, number];
  readonly geomAngle: number;
  readonly halfLength: number;
  /** Motor gear [N·m per unit control]. */
  readonly gear: number;
}

/** The back leg (thigh → shin → foot), each segment the child of the one before. */
// biome-ignore format: one table row per limb reads best
const BACK_LEG: readonly CheetahLimb[] = [
  { name: 'bthigh', pos: [-0.5, 0, 0], range: [-0.52, 1.05], stiffness: 240, damping: 6, geomPos: [0.1, 0, -0.13], geomAngle: -3.8, halfLength: 0.145, gear: 120 },
  { name: 'bshin', pos: [0.16, 0, -0.25], range: [-0.785, 0.785], stiffness: 180, damping: 4.5, geomPos: [-0.14, 0, -0.07], geomAngle: -2.03, halfLength: 0.15, gear: 90 },
  { name: 'bfoot', pos: [-0.28, 0, -0.14], range: [-0.4, 0.785], stiffness: 120, damping: 3, geomPos: [0.03, 0, -0.097], geomAngle: -0.27, halfLength: 0.094, gear: 60 },
];

/** The front leg (thigh → shin → foot). */
// biome-ignore format: one table row per limb reads best
const FRONT_LEG: readonly CheetahLimb[] = [
  { name: 'fthigh', pos: [0.5, 0, 0], range: [-1, 0.7], stiffness: 180, damping: 4.5, geomPos: [-0.07, 0, -0.12], geomAngle: 0.52, halfLength: 0.133, gear: 120 },
  { name: 'fshin', pos: [-0.14, 0, -0.24], range: [-1.2, 0.87], stiffness: 120, damping: 3, geomPos: [0.065, 0, -0.09], geomAngle: -0.6, halfLength: 0.106, gear: 60 },
  { name: 'ffoot', pos: [0.13, 0, -0.18], range: [-0.5, 0.5], stiffness: 60, damping: 1.5, geomPos: [0.045, 0, -0.07], geomAngle: -0.6, halfLength: 0.07, gear: 30 },
];

/** A leg as nested bodies: the first limb holds the second, which holds the third. */
function legBodies(limbs: readonly CheetahLimb[]): MjcfElement {
  const [limb, ...rest] = limbs;
  if (limb === undefined) throw new Error('HalfCheetah: a leg needs at least one limb');
  const children: MjcfElement[] = [
    mjcf('joint', {
      name: limb.name,
      type: 'hinge',
      axis: [0, 1, 0],
      pos: [0, 0, 0],
      range: limb.range,
      stiffness: limb.stiffness,
      damping: limb.damping,
    }),
    mjcf('geom', {
      name: limb.name,
      type: 'capsule',
      pos: limb.geomPos,
      axisangle: [0, 1, 0, limb.geomAngle],
      size: [LIMB_RADIUS, limb.halfLength],
    }),
  ];
  if (rest.length > 0) children.push(legBodies(rest));
  return mjcf('body', { name: limb.name, pos: limb.pos }, children);
}

function torso(): MjcfElement {
  return mjcf('body', { name: 'torso', pos: [0, 0, 0.7] }, [
    planarRootJoint('rootx', 'slide', [1, 0, 0]),
    planarRootJoint('rootz', 'slide', [0, 0, 1]),
    planarRootJoint('rooty', 'hinge', [0, 1, 0]),
    mjcf('geom', { name: 'torso', type: 'capsule', fromto: [-0.5, 0, 0, 0.5, 0, 0], size: [LIMB_RADIUS] }),
    mjcf('geom', {
      name: 'head',
      type: 'capsule',
      pos: [0.6, 0, 0.1],
      axisangle: [0, 1, 0, 0.87],
      size: [LIMB_RADIUS, 0.15],
    }),
    legBodies(BACK_LEG),
    legBodies(FRONT_LEG),
  ]);
}

/** The HalfCheetah MJCF: radians, inertia from geoms, total mass rescaled to 14 kg. */
export function halfCheetahXml(): string {
  return renderModel({
    name: 'cheetah',
    compiler: { angle: 'radian', inertiafromgeom: true, settotalmass: 14 },
    memory: '128K',
    option: { gravity: [0, 0, -9.81], timestep: HALF_CHEETAH_TIMESTEP },
    defaults: [
      mjcf('joint', {
        armature: 0.1,
        damping: 0.01,
        stiffness: 8,
        limited: true,
        solimplimit: [0, 0.8, 0.03],
        solreflimit: [0.02, 1],
      }),
      mjcf('geom', {
        contype: 1,
        conaffinity: 0,
        condim: 3,
        friction: [0.4, 0.1, 0.1],
        solimp: [0, 0.8, 0.01],
        solref: [0.02, 1],
      }),
      mjcf('motor', { ctrllimited: true, ctrlrange: [-1, 1] }),
    ],
    worldbody: [floorPlane([40, 40, 40]), torso()],
    actuators: [...BACK_LEG, ...FRONT_LEG].map((limb) => motor(limb.name, limb.gear, limb.name)),
  });
}

function reward(xBefore: number, xAfter: number, dt: number, action: Float64Array): TaskReward {
  const rewardRun = (xAfter - xBefore) / dt;
  const rewardCtrl = -CONTROL_COST * sumOfSquares(action);
  return { reward: rewardRun + rewardCtrl, terms: { reward_run: rewardRun, reward_ctrl: rewardCtrl } };
}

/** HalfCheetah-v2 as gym defines it. */
export function halfCheetahTask(): MujocoTask {
  return {
    scenario: 'HalfCheetah-v2',
    xml: halfCheetahXml(),
    sizes: { nq: 9, nv: 9, nu: 6, nbody: 8 },
    frameSkip: HALF_CHEETAH_FRAME_SKIP,
    timestep: HALF_CHEETAH_TIMESTEP,
    readsContactForces: false,
    forwardX: (state: SimState) => state.qpos[0]!,
    reward,
    terminated: () => false,
    resetState(qpos0: Float64Array, qpos: Float64Array, qvel: Float64Array, rng: Rng): void {
      addUniformNoise(qpos0, qpos, QPOS_NOISE, rng);
      setNormalNoise(qvel, QVEL_NOISE, rng);
    },
    fullObsDim: 17,
    fullObservation(state: SimState, out: Float64Array): void {
      assertLength('HalfCheetah-v2 observation', out, 17);
      appendValues(out, appendValues(out, 0, state.qpos, 1), state.qvel);
    },
  };
}
