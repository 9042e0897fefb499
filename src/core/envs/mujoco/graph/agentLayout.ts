/**
 * The multi-agent view of one MA-MuJoCo configuration (scenario, partition, k, variant, actuator
 * mapping) as an `AgentLayout` (docs/spec/bridges.md §1.3–§1.9): each agent's joints, its raw
 * observation sources, and the actuators its actions drive.
 *
 * Variants (docs/spec/bridges.md §1.8): "local" observes the k-neighbourhood plus globals; "state"
 * observes the task's full observation, as does k = null (full observability) in either variant —
 * for both, the `observed` lists are empty and the env reads the task's full observation instead.
 * The reference's training script picks "state" iff k = 2, which is our default.
 */

import type { AgentLayout } from '../types.js';
import { type ActuatorMapping, actuatorIndices } from './actuatorMapping.js';
import { observedSources } from './observationLayout.js';
import { partitionFor } from './scenarios.js';

/** Largest neighbourhood depth accepted; rings are empty long before it for every task we have. */
export const MAX_AGENT_OBSK = 10;

/** Choices beside scenario, partition and k; each defaults to the reference's behaviour. */
export interface AgentLayoutOptions {
  /** "local" or "state" (docs/spec/bridges.md §1.8); default "state" iff k = 2, as the training script. */
  readonly variant?: AgentLayout['variant'];
  /** How agent actions reach actuators (docs/spec/bridges.md §1.9); default "reference". */
  readonly actuatorMapping?: ActuatorMapping;
}

/** The variant the reference's training script builds for k. */
export function defaultVariant(agentObsk: number | null): AgentLayout['variant'] {
  return agentObsk === 2 ? 'state' : 'local';
}

function assertObsk(agentObsk: number | null): void {
  if (agentObsk === null) return;
  if (!Number.isInteger(agentObsk) || agentObsk < 0 || agentObsk > MAX_AGENT_OBSK) {
    throw new Error(
      `MA-MuJoCo: agentObsk: expected an integer in 0..${MAX_AGENT_OBSK} or null (full observability), received ${agentObsk}`,
    );
  }
}

/** Options may come from a JSON config: refuse values the types would not allow. */
function assertOptions(options: AgentLayoutOptions): void {
  const { variant, actuatorMapping } = options;
  if (variant !== undefined && variant !== 'local' && variant !== 'state') {
    throw new Error(`MA-MuJoCo: variant: expected "local" or "state", received ${JSON.stringify(variant)}`);
  }
  if (actuatorMapping !== undefined && actuatorMapping !== 'reference' && actuatorMapping !== 'by-joint') {
    throw new Error(
      `MA-MuJoCo: actuatorMapping: expected "reference" or "by-joint", received ${JSON.stringify(actuatorMapping)}`,
    );
  }
}

/**
 * Builds the layout of `scenario` split by `agentConf` at depth `agentObsk`. Throws, naming the
 * problem, for an unknown scenario or partition, a malformed manyagent "NxM", k out of range, or a
 * state-variant-only partition (HalfCheetah/Walker2d 3x2) asked for with the local variant.
 */
export function buildAgentLayout(
  scenario: string,
  agentConf: string,
  agentObsk: number | null,
  options: AgentLayoutOptions = {},
): AgentLayout {
  assertObsk(agentObsk);
  assertOptions(options);
  const partition = partitionFor(scenario, agentConf);
  const variant = options.variant ?? defaultVariant(agentObsk);
  if (partition.stateVariantOnly && variant === 'local') {
    throw new Error(
      `${scenario}: partition "${agentConf}" exists only in the state variant (agentObsk = 2 or variant "state"); received the local variant with agentObsk = ${agentObsk}`,
    );
  }
  const { graph, agents } = partition;
  // k of the neighbourhood actually observed; null when the env reads the full observation.
  const depth = variant === 'local' ? agentObsk : null;
  return {
    agentConf,
    agentObsk,
    variant,
    agentJoints: agents.map((joints) => joints.map((joint) => joint.label)),
    observed: agents.map((joints) => (depth === null ? [] : observedSources(graph, joints, depth))),
    actuators: actuatorIndices(agents, options.actuatorMapping ?? 'reference'),
  };
}
