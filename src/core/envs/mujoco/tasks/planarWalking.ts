/**
 * The task semantics Hopper-v2 and Walker2d-v2 share (docs/spec/bridges.md §1.10; gym v2's `hopper.py`
 * and `walker2d.py`): reward = Δx/dt + 1 − 1e−3·Σa², reset = qpos0 + U(±0.005) and
 * qvel = U(±0.005), observation = qpos[1:] ⊕ clip(qvel, ±10). Only termination differs, so the task
 * files pass it in.
 *
 * gym v2 logs no reward terms for these two tasks; our keys name the same parts as Ant's
 * (reward_forward, reward_ctrl, reward_survive) so the dashboards treat them alike.
 */

import type { Rng } from '../../../rng.js';
import type { MujocoTask, SimState, TaskReward } from '../types.js';
import { addUniformNoise, appendValues, assertLength, setUniformNoise, sumOfSquares } from './taskMath.js';

/** Model timestep [s] and MuJoCo steps per env step of both (dt 0.008 s). */
export const PLANAR_WALKING_TIMESTEP = 0.002;
export const PLANAR_WALKING_FRAME_SKIP = 4;
/** Weight of Σa² in the reward. */
const CONTROL_COST = 1e-3;
/** gym's `alive_bonus`. */
const SURVIVE_REWARD = 1;
/** Half-width of the uniform reset noise on qpos and qvel. */
const RESET_NOISE = 0.005;
/** Velocities in the observation are clipped to ±10. */
const VELOCITY_CLIP = 10;

function reward(xBefore: number, xAfter: number, dt: number, action: Float64Array): TaskReward {
  const forward = (xAfter - xBefore) / dt;
  const ctrl = -CONTROL_COST * sumOfSquares(action);
  return {
    reward: forward + SURVIVE_REWARD + ctrl,
    terms: { reward_forward: forward, reward_ctrl: ctrl, reward_survive: SURVIVE_REWARD },
  };
}

/** The task part of Hopper or Walker2d with `nq` = `nv` joints and the given termination. */
export function planarWalkingSemantics(
  scenario: string,
  nq: number,
  terminated: (state: SimState) => boolean,
): Pick<
  MujocoTask,
  | 'frameSkip'
  | 'timestep'
  | 'readsContactForces'
  | 'forwardX'
  | 'reward'
  | 'terminated'
  | 'resetState'
  | 'fullObsDim'
  | 'fullObservation'
> {
  const fullObsDim = 2 * nq - 1;
  return {
    frameSkip: PLANAR_WALKING_FRAME_SKIP,
    timestep: PLANAR_WALKING_TIMESTEP,
    readsContactForces: false,
    forwardX: (state: SimState) => state.qpos[0]!,
    reward,
    terminated,
    resetState(qpos0: Float64Array, qpos: Float64Array, qvel: Float64Array, rng: Rng): void {
      addUniformNoise(qpos0, qpos, RESET_NOISE, rng);
      setUniformNoise(qvel, RESET_NOISE, rng);
    },
    fullObsDim,
    fullObservation(state: SimState, out: Float64Array): void {
      assertLength(`${scenario} observation`, out, fullObsDim);
      appendValues(out, appendValues(out, 0, state.qpos, 1), state.qvel, 0, VELOCITY_CLIP);
    },
  };
}
