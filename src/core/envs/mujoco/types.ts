/**
 * The contracts between the three layers of the MA-MuJoCo env family (docs/envs/mujoco.md):
 *
 * - a task (src/core/envs/mujoco/tasks/): one single-agent MuJoCo task as gym's v2 defines it — its
 *   model (MJCF written here), frame skip, reward, termination, reset noise and full observation;
 * - a partition (src/core/envs/mujoco/graph/): how the reference splits the task's joints among
 *   agents, which joints each agent observes at distance k, and what its observation vector holds;
 * - the env (mujocoEnv.ts): steps a MuJoCo `MjData` through the task and assembles the agents'
 *   observations from the partition.
 *
 * Everything here is plain data and pure functions over `SimState`, so tasks and partitions are
 * tested without the wasm module.
 */

import type { Rng } from '../../rng.js';

/** What a task or an observation reads of the simulation; views fetched fresh after each step. */
export interface SimState {
  /** Joint positions, nq. */
  readonly qpos: Float64Array;
  /** Joint velocities, nv. */
  readonly qvel: Float64Array;
  /** External contact forces per body, nbody × 6 (body-major); all zero unless the task computes them. */
  readonly cfrcExt: Float64Array;
  /** Body origins in the world frame, nbody × 3. */
  readonly xpos: Float64Array;
  /** Actuator forces in joint space, nv. */
  readonly qfrcActuator: Float64Array;
}

/** The reward of one env step and its terms (logged as info). */
export interface TaskReward {
  readonly reward: number;
  /** Stable keys, e.g. { reward_run, reward_ctrl }. */
  readonly terms: Readonly<Record<string, number>>;
}

/** Sizes of the compiled model; a test compiles each task's MJCF and checks them. */
export interface ModelSizes {
  readonly nq: number;
  readonly nv: number;
  readonly nu: number;
  readonly nbody: number;
}

/** One single-agent MuJoCo task (gym v2 semantics, docs/spec/bridges.md §1.10). */
export interface MujocoTask {
  /** Name as the reference's scenario, e.g. "HalfCheetah-v2", "manyagent_swimmer". */
  readonly scenario: string;
  /** MJCF text of the model (local coordinates, explicit `<size memory>`). */
  readonly xml: string;
  readonly sizes: ModelSizes;
  /** MuJoCo steps per env step; dt = timestep × frameSkip. */
  readonly frameSkip: number;
  /** The model's timestep [s] (also in the MJCF). */
  readonly timestep: number;
  /** True when the reward or observation reads cfrc_ext (then the env calls mj_rnePostConstraint). */
  readonly readsContactForces: boolean;
  /** The x coordinate whose change is the forward reward (qpos 0, or a torso body's x). */
  forwardX(state: SimState): number;
  /** Reward of a step: x before/after it, dt, the action as sent (unclipped), the state after. */
  reward(xBefore: number, xAfter: number, dt: number, action: Float64Array, state: SimState): TaskReward;
  /** True when the episode ends before its limit (never for HalfCheetah and Swimmer). */
  terminated(state: SimState): boolean;
  /** Writes the reset state: `qpos0` plus the task's noise into qpos, the noise into qvel. */
  resetState(qpos0: Float64Array, qpos: Float64Array, qvel: Float64Array, rng: Rng): void;
  /** Length of gym's `_get_obs()` (the global state of the local variant). */
  readonly fullObsDim: number;
  /** Writes gym's `_get_obs()` into `out` (fullObsDim entries). */
  fullObservation(state: SimState, out: Float64Array): void;
}

/** Where one observed number comes from. */
export interface ObsSource {
  readonly array: 'qpos' | 'qvel' | 'qfrcActuator' | 'cfrcExt';
  /** Non-negative index into that array. */
  readonly index: number;
  /** Clip the value to ±clip (Hopper's velocities); absent = no clip. */
  readonly clip?: number;
}

/**
 * The multi-agent view of a task for one partition and k (docs/spec/bridges.md §1.3–§1.9): what each
 * agent observes (before padding, one-hot and standardisation) and which actuators its actions drive.
 */
export interface AgentLayout {
  /** The partition label, e.g. "6x1". */
  readonly agentConf: string;
  /** Neighbourhood depth k, or null for full observability (every agent gets the full task obs). */
  readonly agentObsk: number | null;
  /** "local" or "state" variant (§1.8); the reference uses "state" iff k = 2. */
  readonly variant: 'local' | 'state';
  /** Joint labels of each agent, in agent (priority) order. */
  readonly agentJoints: readonly (readonly string[])[];
  /** Per agent, its raw observation sources in order (local variant; empty lists for state/null). */
  readonly observed: readonly (readonly ObsSource[])[];
  /** Per agent, the task's action indices its action entries are sent to, in order. */
  readonly actuators: readonly (readonly number[])[];
}
