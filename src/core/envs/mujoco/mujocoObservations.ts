/**
 * What the agents of a MuJoCo env observe, per variant (docs/envs/mujoco.md "Observations"):
 *
 * - local (k = 0 or 1 in the reference's training script): each agent's k-neighbourhood and the
 *   task's globals, padded to the longest agent, with a one-hot agent id, standardised by its own
 *   mean and std; the state is the task's full observation, standardised;
 * - state (k = 2 in the reference) and full observability (k = null): every agent observes the task's
 *   full observation with its one-hot id, standardised; the state is the full observation,
 *   standardised (the reference gives each agent its own copy with its id; our state is one vector
 *   shared by all, so the id is left out).
 *
 * `write` allocates nothing: it runs once per env step.
 */

import {
  assembleLocalObservations,
  assembleStateVariantObservations,
  localObsDim,
  standardiseInPlace,
} from './graph/index.js';
import type { AgentLayout, MujocoTask, SimState } from './types.js';

export interface MujocoObservations {
  /** Observation length per agent. */
  readonly obsDim: number;
  /** Global state length. */
  readonly stateDim: number;
  /** Writes every agent's observation (agent-major) and the state from the simulation. */
  write(state: SimState, obs: Float32Array, globalState: Float32Array): void;
}

export function mujocoObservations(task: MujocoTask, layout: AgentLayout): MujocoObservations {
  const numAgents = layout.agentJoints.length;
  const full = new Float64Array(task.fullObsDim);
  const local = layout.variant === 'local' && layout.agentObsk !== null;
  const writeState = (globalState: Float32Array) => {
    for (let i = 0; i < full.length; i++) globalState[i] = full[i]!;
    standardiseInPlace(globalState, 0, full.length);
  };
  if (local) {
    return {
      obsDim: localObsDim(layout),
      stateDim: task.fullObsDim,
      write(state, obs, globalState) {
        assembleLocalObservations(layout, state, obs);
        task.fullObservation(state, full);
        writeState(globalState);
      },
    };
  }
  return {
    obsDim: task.fullObsDim + numAgents,
    stateDim: task.fullObsDim,
    write(state, obs, globalState) {
      task.fullObservation(state, full);
      assembleStateVariantObservations(full, numAgents, obs);
      writeState(globalState);
    },
  };
}
