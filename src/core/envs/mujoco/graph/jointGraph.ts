/**
 * The joint graph of an MA-MuJoCo task (docs/spec/bridges.md §1.2–§1.3): its actuated joints as
 * nodes, the hyperedges that make joints neighbours, the global (root or free) joints every agent
 * observes, and the partitions that hand joints to agents.
 *
 * Nodes are compared by identity, as in the reference: two nodes with the same label are still two
 * nodes (manyagent_ant relies on this, see manyAgentGraphs.ts). Indices are always non-negative; the
 * reference's negative indices (counted from the end of qpos/qvel) are resolved here, given the
 * task's nq and nv, by `hingeFromEnd`.
 */

import type { ObsSource } from '../types.js';

/** A quantity a node can contribute to an observation (docs/spec/bridges.md §1.5). */
export type ObsCategory = 'qpos' | 'qvel' | 'qfrcActuator' | 'cfrcExt';

/**
 * Sources that replace a node's plain reading of a category (the reference's `extra_obs`): an
 * empty list hides the category (HalfCheetah's root_x has no qpos), a longer one widens it (the Ant
 * free joint reports qpos 0..6).
 */
export type ObsOverrides = Readonly<Partial<Record<'qpos' | 'qvel', readonly ObsSource[]>>>;

/** One joint of the graph (the reference's `Node`). */
export interface JointNode {
  /** The reference's label; rings are sorted by it (docs/spec/bridges.md §1.4). */
  readonly label: string;
  /** Index into qpos (non-negative). */
  readonly qpos: number;
  /** Index into qvel (non-negative); also the index read for qfrcActuator. */
  readonly qvel: number;
  /** Index in the task's actuator order, or null for an unactuated root or free joint. */
  readonly actuator: number | null;
  /** Body ids read by the body categories; kept as data, never observed (docs/spec/bridges.md §1.5). */
  readonly bodies?: readonly number[];
  readonly overrides?: ObsOverrides;
}

/** A task's joints, how they connect, and what every agent observes in addition to its own. */
export interface JointGraph {
  /** The reference's scenario name, e.g. "HalfCheetah-v2". */
  readonly scenario: string;
  /** Sizes of qpos and qvel the indices were resolved against. */
  readonly nq: number;
  readonly nv: number;
  /** Sets of mutually adjacent joints. */
  readonly hyperedges: readonly (readonly JointNode[])[];
  /** Root or free joints whose values follow every agent's own and neighbouring joints. */
  readonly globals: readonly JointNode[];
  /** Observed categories per distance; the last list repeats for larger distances. */
  readonly categoriesByDistance: readonly (readonly ObsCategory[])[];
}

/** One way of splitting a task's joints among agents. */
export interface Partition {
  readonly graph: JointGraph;
  /** Joints of each agent, in agent (priority) order; each agent's joints in the reference's order. */
  readonly agents: readonly (readonly JointNode[])[];
  /** True for the partitions only the state variant's code defines (HalfCheetah and Walker2d 3x2). */
  readonly stateVariantOnly: boolean;
}

/** The partitions of one scenario, looked up by the reference's `agent_conf` label. */
export interface ScenarioPartitions {
  readonly scenario: string;
  /** The accepted labels, as an error message lists them, e.g. "2x3, 6x1, 3x2 (state variant only)". */
  readonly validPartitions: string;
  /** The partition for `agentConf`, or undefined if the scenario has none by that label. */
  partition(agentConf: string): Partition | undefined;
}

/** Categories of HalfCheetah, Hopper, Walker2d, Swimmer, manyagent_swimmer (docs/spec/bridges.md §1.5). */
export const PLAIN_CATEGORIES: readonly (readonly ObsCategory[])[] = [['qpos', 'qvel'], ['qpos']];

/** Categories of Ant and manyagent_ant (docs/spec/bridges.md §1.5); cfrcExt never reaches the vector. */
export const ANT_CATEGORIES: readonly (readonly ObsCategory[])[] = [['qpos', 'qvel', 'cfrcExt'], ['qpos']];

/** Sizes and extras a hinge node is built with. */
export interface HingeOptions {
  readonly nq: number;
  readonly nv: number;
  readonly bodies?: readonly number[];
  readonly overrides?: ObsOverrides;
}

/**
 * A hinge addressed as the reference does, `fromEnd` places before the end of qpos and of qvel
 * (−1 = last), resolved to non-negative indices nq + fromEnd and nv + fromEnd.
 */
export function hingeFromEnd(
  label: string,
  fromEnd: number,
  actuator: number,
  options: HingeOptions,
): JointNode {
  const { nq, nv } = options;
  if (!Number.isInteger(fromEnd) || fromEnd >= 0 || fromEnd < -Math.min(nq, nv)) {
    throw new Error(
      `hinge ${label}: expected an index from the end in -${Math.min(nq, nv)}..-1, received ${fromEnd}`,
    );
  }
  return withExtras({ label, qpos: nq + fromEnd, qvel: nv + fromEnd, actuator }, options);
}

/** A node at explicit non-negative indices (root joints, and joints of generated models). */
export function jointAt(
  label: string,
  qpos: number,
  qvel: number,
  actuator: number | null,
  extras: Omit<HingeOptions, 'nq' | 'nv'> = {},
): JointNode {
  return withExtras({ label, qpos, qvel, actuator }, extras);
}

function withExtras(node: JointNode, extras: Omit<HingeOptions, 'nq' | 'nv'>): JointNode {
  return {
    ...node,
    ...(extras.bodies === undefined ? {} : { bodies: extras.bodies }),
    ...(extras.overrides === undefined ? {} : { overrides: extras.overrides }),
  };
}

/** Sources reading `array` at each index of `from..to−1` (e.g. the free joint's qpos 0..6). */
export function sourceRange(array: ObsSource['array'], from: number, to: number): ObsSource[] {
  return Array.from({ length: to - from }, (_, offset) => ({ array, index: from + offset }));
}

/** The categories observed at `distance` (the last list repeats). */
export function categoriesAt(graph: JointGraph, distance: number): readonly ObsCategory[] {
  const lists = graph.categoriesByDistance;
  return lists[Math.min(distance, lists.length - 1)] ?? [];
}

/**
 * Partitions from a fixed table (the gym tasks). `local` holds those both variants define,
 * `stateOnly` those only the state variant's code defines.
 */
export function partitionTable(
  graph: JointGraph,
  local: Readonly<Record<string, readonly (readonly JointNode[])[]>>,
  stateOnly: Readonly<Record<string, readonly (readonly JointNode[])[]>> = {},
): ScenarioPartitions {
  const labels = [
    ...Object.keys(local),
    ...Object.keys(stateOnly).map((conf) => `${conf} (state variant only)`),
  ];
  return {
    scenario: graph.scenario,
    validPartitions: labels.join(', '),
    partition(agentConf) {
      if (Object.hasOwn(local, agentConf)) {
        return { graph, agents: local[agentConf]!, stateVariantOnly: false };
      }
      if (Object.hasOwn(stateOnly, agentConf)) {
        return { graph, agents: stateOnly[agentConf]!, stateVariantOnly: true };
      }
      return undefined;
    },
  };
}
