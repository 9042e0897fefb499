/**
 * What Ant-v2 and manyagent_ant share (docs/spec/bridges.md §1.10, §1.13; facts from gym's `ant.xml` and
 * `ant.py` and the reference's `manyagent_ant.py` and `manyagent_ant.xml.template`): the physics
 * defaults, a leg of two hinges (hip about z, ankle about a diagonal), the free root joint, and the
 * task semantics, which the reference's manyagent_ant copies from Ant-v2 unchanged.
 *
 * Task: reward = Δx/dt − 0.5·Σa² − 0.5e−3·Σclip(cfrc_ext, ±1)² + 1, where x is the torso body's
 * origin (gym's `get_body_com`, which reads xpos); terminated when the state is not finite or the
 * torso height qpos[2] leaves [0.2, 1.0]; reset = qpos0 + U(±0.1) (quaternion included, as gym) and
 * qvel = 0.1·N(0, 1); observation = qpos[2:] ⊕ qvel ⊕ clip(cfrc_ext, ±1) of every body. The contact
 * terms read whatever `SimState.cfrcExt` holds: zeros unless the env computes contact forces.
 */

import type { Rng } from '../../../rng.js';
import type { MujocoTask, SimState, TaskReward } from '../types.js';
import { type MjcfElement, mjcf } from './mjcf.js';
import {
  addUniformNoise,
  allFinite,
  appendValues,
  assertLength,
  setNormalNoise,
  sumOfClippedSquares,
  sumOfSquares,
} from './taskMath.js';

/** Motor gear of every Ant joint [N·m per unit control]. */
export const ANT_GEAR = 150;
/** Capsule radius of the legs [m]. */
const LEG_RADIUS = 0.08;
/** Body id of the torso whose x is the forward coordinate (the first body after the world). */
const TORSO_BODY = 1;
/** Weights of the reward terms. */
const CONTROL_COST = 0.5;
const CONTACT_COST = 0.5e-3;
const SURVIVE_REWARD = 1;
/** Contact forces are clipped to ±1 in the cost and the observation. */
const CONTACT_CLIP = 1;
/** Healthy torso height range [m] (inclusive at both ends, as gym). */
const MIN_HEIGHT = 0.2;
const MAX_HEIGHT = 1.0;
/** Reset noise: qpos half-width, qvel standard deviation. */
const QPOS_NOISE = 0.1;
const QVEL_NOISE = 0.1;

/** gym's Ant defaults: joints armature 1, damping 1, limited; geoms density 5, margin 0.01. */
export function antDefaults(): MjcfElement[] {
  return [
    mjcf('joint', { armature: 1, damping: 1, limited: true }),
    mjcf('geom', { conaffinity: 0, condim: 3, density: 5, friction: [1, 0.5, 0.5], margin: 0.01 }),
  ];
}

/** The 6-dof root joint (no armature, no damping, unlimited). */
export function antRootJoint(): MjcfElement {
  return mjcf('joint', {
    name: 'root',
    type: 'free',
    pos: [0, 0, 0],
    armature: 0,
    damping: 0,
    limited: false,
  });
}

/** One leg: an upper capsule, the hip body, the ankle body (lengths in m, angles in degrees). */
export interface AntLeg {
  /** Name of the leg's first body (attached to the torso at its origin). */
  readonly body: string;
  /** Name of the body that carries the hip joint. */
  readonly hipBody: string;
  readonly hip: string;
  readonly ankle: string;
  /** Upper capsule from the torso origin; the hip body sits at its end (x, y) [m]. */
  readonly upper: readonly [number, number];
  /** Thigh capsule from the hip; the ankle body sits at its end; the shin is twice as long. */
  readonly thigh: readonly [number, number];
  readonly ankleAxis: readonly [number, number, number];
  /** Ankle range [deg]; the hip range is always ±30°. */
  readonly ankleRange: readonly [number, number];
}

function capsuleTo(x: number, y: number): MjcfElement {
  return mjcf('geom', { type: 'capsule', fromto: [0, 0, 0, x, y, 0], size: [LEG_RADIUS] });
}

/** The bodies of one leg, to be placed inside the torso body. */
export function antLegBody(leg: AntLeg): MjcfElement {
  const [ux, uy] = leg.upper;
  const [tx, ty] = leg.thigh;
  const ankleBody = mjcf('body', { pos: [tx, ty, 0] }, [
    mjcf('joint', {
      name: leg.ankle,
      type: 'hinge',
      axis: leg.ankleAxis,
      pos: [0, 0, 0],
      range: leg.ankleRange,
    }),
    capsuleTo(2 * tx, 2 * ty),
  ]);
  const hipBody = mjcf('body', { name: leg.hipBody, pos: [ux, uy, 0] }, [
    mjcf('joint', { name: leg.hip, type: 'hinge', axis: [0, 0, 1], pos: [0, 0, 0], range: [-30, 30] }),
    capsuleTo(tx, ty),
    ankleBody,
  ]);
  return mjcf('body', { name: leg.body, pos: [0, 0, 0] }, [capsuleTo(ux, uy), hipBody]);
}

function reward(
  xBefore: number,
  xAfter: number,
  dt: number,
  action: Float64Array,
  state: SimState,
): TaskReward {
  const forward = (xAfter - xBefore) / dt;
  const ctrl = -CONTROL_COST * sumOfSquares(action);
  const contact = -CONTACT_COST * sumOfClippedSquares(state.cfrcExt, CONTACT_CLIP);
  return {
    reward: forward + ctrl + contact + SURVIVE_REWARD,
    terms: {
      reward_forward: forward,
      reward_ctrl: ctrl,
      reward_contact: contact,
      reward_survive: SURVIVE_REWARD,
    },
  };
}

function terminated(state: SimState): boolean {
  const height = state.qpos[2]!;
  return !(allFinite(state.qpos, state.qvel) && height >= MIN_HEIGHT && height <= MAX_HEIGHT);
}

/** The task part of an Ant-like model with `nbody` bodies (obs 2 + … see the header). */
export function antSemantics(
  scenario: string,
  nq: number,
  nv: number,
  nbody: number,
): Pick<
  MujocoTask,
  | 'readsContactForces'
  | 'forwardX'
  | 'reward'
  | 'terminated'
  | 'resetState'
  | 'fullObsDim'
  | 'fullObservation'
> {
  const fullObsDim = nq - 2 + nv + 6 * nbody;
  return {
    readsContactForces: true,
    forwardX: (state: SimState) => state.xpos[3 * TORSO_BODY]!,
    reward,
    terminated,
    resetState(qpos0: Float64Array, qpos: Float64Array, qvel: Float64Array, rng: Rng): void {
      addUniformNoise(qpos0, qpos, QPOS_NOISE, rng);
      setNormalNoise(qvel, QVEL_NOISE, rng);
    },
    fullObsDim,
    fullObservation(state: SimState, out: Float64Array): void {
      assertLength(`${scenario} observation`, out, fullObsDim);
      let at = appendValues(out, 0, state.qpos, 2);
      at = appendValues(out, at, state.qvel);
      appendValues(out, at, state.cfrcExt, 0, CONTACT_CLIP);
    },
  };
}
