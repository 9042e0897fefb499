/**
 * Joint graphs of the reference's generated models, manyagent_swimmer and manyagent_ant
 * (docs/spec/bridges.md §1.3, §1.13). Their partition label "NxM" is also the model's size: N agents,
 * each with M consecutive hinges (swimmer) or segments (ant).
 *
 * Two departures from and one faithful copy of the reference's `get_parts_and_edges`:
 * - manyagent_ant indices: the reference gives every segment but the last indices counted from the
 *   wrong end (its "TODO: FIX!"; docs/spec/bridges.md §1.3). Ours read segment j's own joints,
 *   qpos 7 + 4j.. and qvel 6 + 4j.., in the order hip1, ankle1, hip2, ankle2. Sizes are unchanged.
 * - manyagent_ant actuators: the reference's node actuator ids follow Ant-v2's pattern (hip1 → 2,
 *   ankle1 → 3, hip2 → 0, ankle2 → 1 per segment) although its generated model declares the motors in
 *   joint order; ours use the model's order, 4j + 0..3. Only the "by-joint" mapping reads them.
 * - Kept for parity (the sizes of docs/spec/bridges.md §1.6 depend on it): the reference links two
 *   consecutive ant segments through deep copies of the earlier segment's hips. Copies are distinct
 *   nodes with the same label and indices, so segment j reaches copies of segment j−1's hips, while
 *   segment j−1 never reaches segment j, and an agent may see a copy of one of its own hips.
 */

import {
  ANT_CATEGORIES,
  type JointGraph,
  type JointNode,
  jointAt,
  type Partition,
  PLAIN_CATEGORIES,
  type ScenarioPartitions,
  sourceRange,
} from './jointGraph.js';

/** An "NxM" label: `agents` agents, each owning `perAgent` consecutive hinges or segments. */
export interface ManyAgentSize {
  readonly agents: number;
  readonly perAgent: number;
}

const NXM_HELP =
  'NxM with positive integers N (agents) and M (hinges or segments per agent), e.g. 4x2 or 10x2';

/** Parses "NxM" (positive integers, no signs or spaces); undefined if malformed. */
export function parseManyAgentSize(agentConf: string): ManyAgentSize | undefined {
  const match = /^([1-9][0-9]*)x([1-9][0-9]*)$/.exec(agentConf);
  if (match === null) return undefined;
  return { agents: Number(match[1]), perAgent: Number(match[2]) };
}

/** Gives each of `size.agents` agents `size.perAgent` consecutive groups (one group per hinge or segment). */
function consecutiveAgents(groups: readonly (readonly JointNode[])[], size: ManyAgentSize): JointNode[][] {
  return Array.from({ length: size.agents }, (_, agent) =>
    groups.slice(agent * size.perAgent, (agent + 1) * size.perAgent).flat(),
  );
}

/**
 * manyagent_swimmer with s = N·M hinges: qpos = qvel = [slide x, slide y, hinge z, rot0..rot(s−1)]
 * (nq = nv = s + 3); hinge i is qpos/qvel 3 + i and actuator i; a chain rot_i–rot_(i+1); no globals.
 */
export function manyAgentSwimmerPartition(size: ManyAgentSize): Partition {
  const hinges = size.agents * size.perAgent;
  if (hinges < 2) {
    // The reference's generator names the first and the last hinge separately: one hinge clashes.
    throw new Error(
      `manyagent_swimmer: expected at least 2 hinges (N·M ≥ 2), received ${size.agents}x${size.perAgent}`,
    );
  }
  const joints = Array.from({ length: hinges }, (_, i) => jointAt(`rot${i}`, 3 + i, 3 + i, i));
  const graph: JointGraph = {
    scenario: 'manyagent_swimmer',
    nq: hinges + 3,
    nv: hinges + 3,
    hyperedges: joints.slice(1).map((joint, i) => [joints[i]!, joint]),
    globals: [],
    categoriesByDistance: PLAIN_CATEGORIES,
  };
  return {
    graph,
    agents: consecutiveAgents(
      joints.map((joint) => [joint]),
      size,
    ),
    stateVariantOnly: false,
  };
}

/** The four hinges of ant segment j, in model (and actuator) order: hip1, ankle1, hip2, ankle2. */
function antSegment(j: number): JointNode[] {
  // Bodies of segment j: torso, front leg, its aux, its ankle, back leg, its aux, its ankle.
  const body = (offset: number) => 1 + 7 * j + offset;
  const hinge = (label: string, offset: number, bodies: readonly number[]) =>
    jointAt(`${label}_${j}`, 7 + 4 * j + offset, 6 + 4 * j + offset, 4 * j + offset, { bodies });
  return [
    hinge('hip1', 0, [body(0), body(1)]),
    hinge('ankle1', 1, [body(1), body(2), body(3)]),
    hinge('hip2', 2, [body(0), body(4)]),
    hinge('ankle2', 3, [body(4), body(5), body(6)]),
  ];
}

/** Hyperedges of the ant segments: each leg, the two hips, and each link to the previous segment. */
function antHyperedges(segments: readonly (readonly JointNode[])[]): JointNode[][] {
  const edges: JointNode[][] = [];
  segments.forEach(([hip1, ankle1, hip2, ankle2], j) => {
    edges.push([ankle1!, hip1!], [ankle2!, hip2!], [hip1!, hip2!]);
    if (j > 0) {
      const [previousHip1, , previousHip2] = segments[j - 1]!;
      // Reference quirk (see the header): copies, not the previous segment's own nodes.
      edges.push([{ ...previousHip1! }, { ...previousHip2! }, hip1!, hip2!]);
    }
  });
  return edges;
}

/**
 * manyagent_ant with s = N·M segments: qpos = free joint (7) then 4 hinges per segment
 * (nq = 7 + 4s), qvel = free joint (6) then the same (nv = 6 + 4s). The free joint is the global,
 * reporting qpos 0..6 and qvel 0..5, as in Ant-v2.
 */
export function manyAgentAntPartition(size: ManyAgentSize): Partition {
  const count = size.agents * size.perAgent;
  const segments = Array.from({ length: count }, (_, j) => antSegment(j));
  const free = jointAt('free', 0, 0, null, {
    overrides: { qpos: sourceRange('qpos', 0, 7), qvel: sourceRange('qvel', 0, 6) },
  });
  const graph: JointGraph = {
    scenario: 'manyagent_ant',
    nq: 7 + 4 * count,
    nv: 6 + 4 * count,
    hyperedges: antHyperedges(segments),
    globals: [free],
    categoriesByDistance: ANT_CATEGORIES,
  };
  return { graph, agents: consecutiveAgents(segments, size), stateVariantOnly: false };
}

function generated(scenario: string, build: (size: ManyAgentSize) => Partition): ScenarioPartitions {
  return {
    scenario,
    validPartitions: NXM_HELP,
    partition(agentConf) {
      const size = parseManyAgentSize(agentConf);
      return size === undefined ? undefined : build(size);
    },
  };
}

/** The generated models' partitions. */
export const MANY_AGENT_SCENARIOS: readonly ScenarioPartitions[] = [
  generated('manyagent_swimmer', manyAgentSwimmerPartition),
  generated('manyagent_ant', manyAgentAntPartition),
];
