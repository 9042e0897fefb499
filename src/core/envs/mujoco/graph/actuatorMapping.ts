/**
 * Which of the task's actuators each agent's action entries drive (docs/spec/bridges.md §1.9).
 *
 * - "reference": the reference concatenates the agents' actions in agent order and sends the result
 *   as the task's action vector, never consulting the joints' actuator ids. Agent i's entries go to
 *   consecutive indices starting at the total size of agents 0..i−1 — so in HalfCheetah 6x1 the agent
 *   observing bfoot drives bthigh. Default, for comparing numbers with the paper.
 * - "by-joint": each entry goes to the actuator of the joint it stands for.
 */

import type { JointNode } from './jointGraph.js';

/** How agent actions reach actuators. */
export type ActuatorMapping = 'reference' | 'by-joint';

/** Actuator indices per agent (`result[i][j]` = where agent i's entry j goes). */
export function actuatorIndices(
  agents: readonly (readonly JointNode[])[],
  mapping: ActuatorMapping,
): number[][] {
  if (mapping === 'by-joint') return agents.map((joints) => joints.map(actuatorOf));
  let next = 0;
  return agents.map((joints) => joints.map(() => next++));
}

function actuatorOf(joint: JointNode): number {
  if (joint.actuator === null)
    throw new Error(`joint ${joint.label}: has no actuator, cannot belong to an agent`);
  return joint.actuator;
}
