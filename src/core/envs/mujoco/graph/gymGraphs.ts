/**
 * Joint graphs and partitions of the five gym v2 tasks the reference splits among agents
 * (docs/spec/bridges.md §1.3, the reference's `obsk.py › get_parts_and_edges`): HalfCheetah-v2,
 * Ant-v2, Hopper-v2, Walker2d-v2 and Swimmer-v2.
 *
 * Hinges are written with the reference's index from the end (−1 = last entry of qpos/qvel) and
 * resolved against the task's nq/nv. Each node's actuator index is its place in the task's actuator
 * order, listed above each graph. Agent tuples keep the reference's order: it decides the priority
 * of agents and, under the reference's actuator mapping, which actuator each agent drives
 * (docs/spec/bridges.md §1.9).
 */

import type { ObsSource } from '../types.js';
import {
  ANT_CATEGORIES,
  hingeFromEnd,
  type JointGraph,
  jointAt,
  PLAIN_CATEGORIES,
  partitionTable,
  type ScenarioPartitions,
  sourceRange,
} from './jointGraph.js';

/** Hopper clips every velocity it reports to ±10 [rad/s or m/s] (docs/spec/bridges.md §1.5). */
export const HOPPER_VELOCITY_CLIP = 10;

/**
 * HalfCheetah-v2: qpos = qvel = [rootx, rootz, rooty, bthigh, bshin, bfoot, fthigh, fshin, ffoot]
 * (nq = nv = 9); actuators bthigh, bshin, bfoot, fthigh, fshin, ffoot. Globals root_x, root_y,
 * root_z in that order; root_x hides its qpos, so the x position is never observed.
 */
function halfCheetah(): ScenarioPartitions {
  const sizes = { nq: 9, nv: 9 };
  const bthigh = hingeFromEnd('bthigh', -6, 0, sizes);
  const bshin = hingeFromEnd('bshin', -5, 1, sizes);
  const bfoot = hingeFromEnd('bfoot', -4, 2, sizes);
  const fthigh = hingeFromEnd('fthigh', -3, 3, sizes);
  const fshin = hingeFromEnd('fshin', -2, 4, sizes);
  const ffoot = hingeFromEnd('ffoot', -1, 5, sizes);
  const graph: JointGraph = {
    scenario: 'HalfCheetah-v2',
    ...sizes,
    hyperedges: [
      [bfoot, bshin],
      [bshin, bthigh],
      [bthigh, fthigh],
      [fthigh, fshin],
      [fshin, ffoot],
    ],
    globals: [
      jointAt('root_x', 0, 0, null, { overrides: { qpos: [] } }),
      jointAt('root_y', 2, 2, null),
      jointAt('root_z', 1, 1, null),
    ],
    categoriesByDistance: PLAIN_CATEGORIES,
  };
  return partitionTable(
    graph,
    {
      '2x3': [
        [bfoot, bshin, bthigh],
        [ffoot, fshin, fthigh],
      ],
      '6x1': [[bfoot], [bshin], [bthigh], [ffoot], [fshin], [fthigh]],
    },
    {
      '3x2': [
        [bfoot, bshin],
        [bthigh, ffoot],
        [fshin, fthigh],
      ],
    },
  );
}

/**
 * Ant-v2: qpos = free joint (7) then hip1, ankle1, …, hip4, ankle4 (nq = 15); qvel = free joint
 * (6) then the same hinges (nv = 14). Actuators hip_4, ankle_4, hip_1, ankle_1, hip_2, ankle_2,
 * hip_3, ankle_3. The free joint reports qpos 0..6 and qvel 0..5; the reference also gives it a
 * cfrc_ext override, which its observation builder skips for globals, so it is left out here.
 */
function ant(): ScenarioPartitions {
  const sizes = { nq: 15, nv: 14 };
  const torso = 1;
  const leg = (label: string, fromEnd: number, actuator: number, bodies: readonly number[]) =>
    hingeFromEnd(label, fromEnd, actuator, { ...sizes, bodies });
  const hip1 = leg('hip1', -8, 2, [torso, 2]);
  const ankle1 = leg('ankle1', -7, 3, [2, 3, 4]);
  const hip2 = leg('hip2', -6, 4, [torso, 5]);
  const ankle2 = leg('ankle2', -5, 5, [5, 6, 7]);
  const hip3 = leg('hip3', -4, 6, [torso, 8]);
  const ankle3 = leg('ankle3', -3, 7, [8, 9, 10]);
  const hip4 = leg('hip4', -2, 0, [torso, 11]);
  const ankle4 = leg('ankle4', -1, 1, [11, 12, 13]);
  const free = jointAt('free', 0, 0, null, {
    overrides: { qpos: sourceRange('qpos', 0, 7), qvel: sourceRange('qvel', 0, 6) },
  });
  const graph: JointGraph = {
    scenario: 'Ant-v2',
    ...sizes,
    hyperedges: [
      [ankle4, hip4],
      [ankle1, hip1],
      [ankle2, hip2],
      [ankle3, hip3],
      [hip4, hip1, hip2, hip3],
    ],
    globals: [free],
    categoriesByDistance: ANT_CATEGORIES,
  };
  return partitionTable(graph, {
    '2x4': [
      [hip1, ankle1, hip2, ankle2],
      [hip3, ankle3, hip4, ankle4],
    ],
    '2x4d': [
      [hip1, ankle1, hip3, ankle3],
      [hip2, ankle2, hip4, ankle4],
    ],
    '4x2': [
      [hip1, ankle1],
      [hip2, ankle2],
      [hip3, ankle3],
      [hip4, ankle4],
    ],
    '8x1': [[hip1], [ankle1], [hip2], [ankle2], [hip3], [ankle3], [hip4], [ankle4]],
  });
}

/** A Hopper velocity read: qvel[index] clipped to ±HOPPER_VELOCITY_CLIP. */
function clippedVelocity(index: number): readonly ObsSource[] {
  return [{ array: 'qvel', index, clip: HOPPER_VELOCITY_CLIP }];
}

/**
 * Hopper-v2: qpos = qvel = [rootx, rootz, rooty, thigh, leg, foot] (nq = nv = 6); actuators thigh,
 * leg, foot. Every reported velocity is clipped, and the root overrides read qvel 1, 2, 1 for
 * root_x, root_y, root_z — reference quirk (docs/spec/bridges.md §1.5): the forward velocity qvel 0
 * is never observed and qvel 1 appears twice. Kept for parity.
 */
function hopper(): ScenarioPartitions {
  const sizes = { nq: 6, nv: 6 };
  const hinge = (label: string, fromEnd: number, actuator: number) =>
    hingeFromEnd(label, fromEnd, actuator, {
      ...sizes,
      overrides: { qvel: clippedVelocity(sizes.nv + fromEnd) },
    });
  const thigh = hinge('thigh_joint', -3, 0);
  const leg = hinge('leg_joint', -2, 1);
  const foot = hinge('foot_joint', -1, 2);
  const graph: JointGraph = {
    scenario: 'Hopper-v2',
    ...sizes,
    hyperedges: [
      [foot, leg],
      [leg, thigh],
    ],
    globals: [
      jointAt('root_x', 0, 0, null, { overrides: { qpos: [], qvel: clippedVelocity(1) } }),
      jointAt('root_y', 2, 2, null, { overrides: { qvel: clippedVelocity(2) } }),
      jointAt('root_z', 1, 1, null, { overrides: { qvel: clippedVelocity(1) } }),
    ],
    categoriesByDistance: PLAIN_CATEGORIES,
  };
  return partitionTable(graph, { '3x1': [[thigh], [leg], [foot]] });
}

/**
 * Walker2d-v2: qpos = qvel = [rootx, rootz, rooty, thigh, leg, foot, thigh_left, leg_left,
 * foot_left] (nq = nv = 9); actuators in the same hinge order. No globals: agents never see the
 * torso's height, angle or velocity (docs/spec/bridges.md §1.5).
 */
function walker2d(): ScenarioPartitions {
  const sizes = { nq: 9, nv: 9 };
  const thigh = hingeFromEnd('thigh_joint', -6, 0, sizes);
  const leg = hingeFromEnd('leg_joint', -5, 1, sizes);
  const foot = hingeFromEnd('foot_joint', -4, 2, sizes);
  const thighLeft = hingeFromEnd('thigh_left_joint', -3, 3, sizes);
  const legLeft = hingeFromEnd('leg_left_joint', -2, 4, sizes);
  const footLeft = hingeFromEnd('foot_left_joint', -1, 5, sizes);
  const graph: JointGraph = {
    scenario: 'Walker2d-v2',
    ...sizes,
    hyperedges: [
      [foot, leg],
      [leg, thigh],
      [footLeft, legLeft],
      [legLeft, thighLeft],
      [thigh, thighLeft],
    ],
    globals: [],
    categoriesByDistance: PLAIN_CATEGORIES,
  };
  return partitionTable(
    graph,
    {
      '2x3': [
        [foot, leg, thigh],
        [footLeft, legLeft, thighLeft],
      ],
      '6x1': [[foot], [leg], [thigh], [footLeft], [legLeft], [thighLeft]],
    },
    {
      '3x2': [
        [foot, leg],
        [thigh, footLeft],
        [legLeft, thighLeft],
      ],
    },
  );
}

/**
 * Swimmer-v2: qpos = qvel = [slider x, slider y, rot, rot2, rot3] (nq = nv = 5); actuators rot2,
 * rot3. No globals.
 */
function swimmer(): ScenarioPartitions {
  const sizes = { nq: 5, nv: 5 };
  const rot2 = hingeFromEnd('rot2', -2, 0, sizes);
  const rot3 = hingeFromEnd('rot3', -1, 1, sizes);
  const graph: JointGraph = {
    scenario: 'Swimmer-v2',
    ...sizes,
    hyperedges: [[rot2, rot3]],
    globals: [],
    categoriesByDistance: PLAIN_CATEGORIES,
  };
  return partitionTable(graph, { '2x1': [[rot2], [rot3]] });
}

/** The gym tasks' partitions, in the order of docs/spec/bridges.md §1.3. */
export const GYM_SCENARIOS: readonly ScenarioPartitions[] = [
  halfCheetah(),
  ant(),
  hopper(),
  walker2d(),
  swimmer(),
];
