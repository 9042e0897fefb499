/**
 * The MA-MuJoCo scenarios we can split among agents, and the lookup of a partition by scenario name
 * and `agent_conf` label with errors that list what is valid (docs/spec/bridges.md §1.3).
 *
 * Not here: Humanoid-v2, Reacher-v2 (no task of ours yet) and coupled_half_cheetah (the reference
 * cannot build it, docs/spec/bridges.md §1.1).
 */

import { GYM_SCENARIOS } from './gymGraphs.js';
import type { Partition, ScenarioPartitions } from './jointGraph.js';
import { MANY_AGENT_SCENARIOS } from './manyAgentGraphs.js';

const SCENARIOS: ReadonlyMap<string, ScenarioPartitions> = new Map(
  [...GYM_SCENARIOS, ...MANY_AGENT_SCENARIOS].map((entry) => [entry.scenario, entry]),
);

/** Scenario names, as the reference spells them: "HalfCheetah-v2", …, "manyagent_ant". */
export const MA_MUJOCO_SCENARIOS: readonly string[] = [...SCENARIOS.keys()];

/**
 * The partition `agentConf` of `scenario`. Throws, naming the valid choices, for an unknown scenario
 * or a partition the scenario does not have (for manyagent_*, a malformed "NxM").
 */
export function partitionFor(scenario: string, agentConf: string): Partition {
  const entry = SCENARIOS.get(scenario);
  if (entry === undefined) {
    throw new Error(
      `MA-MuJoCo: unknown scenario "${scenario}"; expected one of ${MA_MUJOCO_SCENARIOS.join(', ')}`,
    );
  }
  const partition = entry.partition(agentConf);
  if (partition === undefined) {
    throw new Error(`${scenario}: unknown partition "${agentConf}"; expected ${entry.validPartitions}`);
  }
  return partition;
}
