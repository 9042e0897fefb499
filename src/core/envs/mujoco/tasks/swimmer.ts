/**
 * Swimmer-v2 and manyagent_swimmer (docs/spec/bridges.md §1.10, §1.13; facts from gym's `swimmer.xml` and
 * `swimmer.py`, the reference's `manyagent_swimmer.py` and `manyagent_swimmer.xml.template`). Both
 * are the same robot: a head capsule on slide x, slide y and hinge z root joints followed by a chain
 * of s unit capsules joined by hinges rot_i (±100°), one motor of gear 150 per hinge, in a viscous
 * medium (density 4000, viscosity 0.1), RK4, frame skip 4. Swimmer-v2 is the chain with s = 2 under
 * gym's names and timestep 0.01; manyagent_swimmer uses the template's names and timestep 0.005.
 *
 * The assets ask for `collision="predefined"` with no contact pairs, i.e. no contacts at all;
 * MuJoCo 3 dropped that option, so the models disable contacts with a flag instead.
 *
 * Task: reward = Δx/dt − 1e−4·Σa², never terminates, reset = qpos0 + U(±0.1) and qvel = U(±0.1),
 * observation = qpos[2:] ⊕ qvel (2s + 4).
 */

import type { Rng } from '../../../rng.js';
import type { MujocoTask, SimState, TaskReward } from '../types.js';
import { type MjcfElement, mjcf } from './mjcf.js';
import { floorPlane, motor, renderModel } from './modelParts.js';
import { addUniformNoise, appendValues, assertLength, setUniformNoise, sumOfSquares } from './taskMath.js';

/** Swimmer-v2's timestep and manyagent_swimmer's [s]. */
export const SWIMMER_TIMESTEP = 0.01;
export const MANYAGENT_SWIMMER_TIMESTEP = 0.005;
/** MuJoCo steps per env step (both tasks). */
export const SWIMMER_FRAME_SKIP = 4;
/** Motor gear [N·m per unit control]. */
const GEAR = 150;
/** Weight of Σa² in the reward. */
const CONTROL_COST = 1e-4;
/** Half-width of the uniform reset noise on qpos and qvel. */
const RESET_NOISE = 0.1;

/**
 * Arena per MjData [KiB]. Without contacts only the joint limits make constraints (at most one per
 * hinge), and their arrays grow with hinges × dofs, so the need is about quadratic. Peak arena +
 * stack over 30,000 random steps: 3.5K, 9.2K, 26K and 69K for 2, 8, 20 and 40 hinges; a 28K arena
 * once overflowed with 20 hinges (an exception in MuJoCo 3, not a warning). This gives 4–6 times
 * the peaks seen (docs/envs/mujoco-models.md).
 */
function arenaKiB(links: number): number {
  return 16 + Math.ceil((links * links) / 4);
}

/** Names that differ between gym's Swimmer and the reference's generator. */
interface SwimmerNames {
  readonly model: string;
  /** The head's hinge about z. */
  readonly rootHinge: string;
  /** Body name of link i of s (the last one is always "back"). */
  link(i: number, links: number): string;
  /** Hinge name of link i. */
  hinge(i: number): string;
}

const GYM_NAMES: SwimmerNames = {
  model: 'swimmer',
  rootHinge: 'free_body_rot',
  link: (i, links) => (i === links - 1 ? 'back' : 'mid'),
  hinge: (i) => `motor${i + 1}_rot`,
};

const MANYAGENT_NAMES: SwimmerNames = {
  model: 'swimmer',
  rootHinge: 'rot',
  link: (i, links) => (i === links - 1 ? 'back' : `mid${i}`),
  hinge: (i) => `rot${i}`,
};

/** Hinge axis sign of link i of s: + for the first and the last, (−1)^(i+1) in between. */
export function swimmerAxisSign(i: number, links: number): number {
  return i === 0 || i === links - 1 ? 1 : (-1) ** (i + 1);
}

function capsule(from: readonly number[], to: readonly number[]): MjcfElement {
  return mjcf('geom', { type: 'capsule', fromto: [...from, ...to], size: [0.1], density: 1000 });
}

/** Link i and, nested inside it, the links after it. */
function linkBody(i: number, links: number, names: SwimmerNames): MjcfElement {
  const children: MjcfElement[] = [
    capsule([0, 0, 0], [-1, 0, 0]),
    mjcf('joint', {
      name: names.hinge(i),
      type: 'hinge',
      axis: [0, 0, swimmerAxisSign(i, links)],
      pos: [0, 0, 0],
      limited: true,
      range: [-100, 100],
    }),
  ];
  if (i + 1 < links) children.push(linkBody(i + 1, links, names));
  return mjcf('body', { name: names.link(i, links), pos: i === 0 ? [0.5, 0, 0] : [-1, 0, 0] }, children);
}

/** The MJCF of a swimmer with `links` hinged links behind its head. */
function swimmerXml(links: number, timestep: number, names: SwimmerNames): string {
  const head = mjcf('body', { name: 'torso', pos: [0, 0, 0] }, [
    capsule([1.5, 0, 0], [0.5, 0, 0]),
    mjcf('joint', { name: 'slider1', type: 'slide', axis: [1, 0, 0], pos: [0, 0, 0] }),
    mjcf('joint', { name: 'slider2', type: 'slide', axis: [0, 1, 0], pos: [0, 0, 0] }),
    mjcf('joint', { name: names.rootHinge, type: 'hinge', axis: [0, 0, 1], pos: [0, 0, 0] }),
    linkBody(0, links, names),
  ]);
  return renderModel({
    name: names.model,
    compiler: { angle: 'degree', inertiafromgeom: true },
    memory: `${arenaKiB(links)}K`,
    option: { density: 4000, viscosity: 0.1, integrator: 'RK4', timestep },
    optionChildren: [mjcf('flag', { contact: 'disable' })],
    defaults: [mjcf('geom', { contype: 1, conaffinity: 1, condim: 1 }), mjcf('joint', { armature: 0.1 })],
    worldbody: [floorPlane([40, 40, 0.1], -0.1), head],
    actuators: Array.from({ length: links }, (_, i) => motor(names.hinge(i), GEAR)),
  });
}

function reward(xBefore: number, xAfter: number, dt: number, action: Float64Array): TaskReward {
  const forward = (xAfter - xBefore) / dt;
  const ctrl = -CONTROL_COST * sumOfSquares(action);
  return { reward: forward + ctrl, terms: { reward_fwd: forward, reward_ctrl: ctrl } };
}

function swimmerTask(scenario: string, links: number, timestep: number, names: SwimmerNames): MujocoTask {
  const fullObsDim = 2 * links + 4;
  return {
    scenario,
    xml: swimmerXml(links, timestep, names),
    sizes: { nq: 3 + links, nv: 3 + links, nu: links, nbody: 2 + links },
    frameSkip: SWIMMER_FRAME_SKIP,
    timestep,
    readsContactForces: false,
    forwardX: (state: SimState) => state.qpos[0]!,
    reward,
    terminated: () => false,
    resetState(qpos0: Float64Array, qpos: Float64Array, qvel: Float64Array, rng: Rng): void {
      addUniformNoise(qpos0, qpos, RESET_NOISE, rng);
      setUniformNoise(qvel, RESET_NOISE, rng);
    },
    fullObsDim,
    fullObservation(state: SimState, out: Float64Array): void {
      assertLength(`${scenario} observation`, out, fullObsDim);
      appendValues(out, appendValues(out, 0, state.qpos, 2), state.qvel);
    },
  };
}

/** Swimmer-v2 as gym defines it (observation 8). */
export function swimmerV2Task(): MujocoTask {
  return swimmerTask('Swimmer-v2', 2, SWIMMER_TIMESTEP, GYM_NAMES);
}

/** manyagent_swimmer with `links` ≥ 2 hinges (the reference's generator needs two). */
export function manyagentSwimmerTask(links: number): MujocoTask {
  if (!Number.isInteger(links) || links < 2) {
    throw new Error(`manyagent_swimmer: expected at least 2 segments (N·M ≥ 2), received ${links}`);
  }
  return swimmerTask('manyagent_swimmer', links, MANYAGENT_SWIMMER_TIMESTEP, MANYAGENT_NAMES);
}
