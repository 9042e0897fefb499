/**
 * The partitions and joint data of docs/spec/bridges.md §1.3: which joints each agent owns, where each
 * joint sits in qpos/qvel and in the task's actuator order, the variant default, and the errors.
 */
import { describe, expect, it } from 'vitest';
import {
  buildAgentLayout,
  MA_MUJOCO_SCENARIOS,
  partitionFor,
} from '../../../../../src/core/envs/mujoco/graph/index.js';

/** Each task's actuator order, by the graph's joint labels (docs/spec/bridges.md §1.3, §1.9). */
const ACTUATORS: Record<string, string[]> = {
  'HalfCheetah-v2': ['bthigh', 'bshin', 'bfoot', 'fthigh', 'fshin', 'ffoot'],
  'Ant-v2': ['hip4', 'ankle4', 'hip1', 'ankle1', 'hip2', 'ankle2', 'hip3', 'ankle3'],
  'Hopper-v2': ['thigh_joint', 'leg_joint', 'foot_joint'],
  'Walker2d-v2': [
    'thigh_joint',
    'leg_joint',
    'foot_joint',
    'thigh_left_joint',
    'leg_left_joint',
    'foot_left_joint',
  ],
  'Swimmer-v2': ['rot2', 'rot3'],
};

/** Each joint's qpos and qvel index (nq, nv: HalfCheetah 9, 9; Ant 15, 14; Hopper 6, 6; …). */
const INDICES: Record<string, Record<string, [number, number]>> = {
  'HalfCheetah-v2': {
    bthigh: [3, 3],
    bshin: [4, 4],
    bfoot: [5, 5],
    fthigh: [6, 6],
    fshin: [7, 7],
    ffoot: [8, 8],
  },
  'Ant-v2': {
    hip1: [7, 6],
    ankle1: [8, 7],
    hip2: [9, 8],
    ankle2: [10, 9],
    hip3: [11, 10],
    ankle3: [12, 11],
    hip4: [13, 12],
    ankle4: [14, 13],
  },
  'Hopper-v2': { thigh_joint: [3, 3], leg_joint: [4, 4], foot_joint: [5, 5] },
  'Walker2d-v2': {
    thigh_joint: [3, 3],
    leg_joint: [4, 4],
    foot_joint: [5, 5],
    thigh_left_joint: [6, 6],
    leg_left_joint: [7, 7],
    foot_left_joint: [8, 8],
  },
  'Swimmer-v2': { rot2: [3, 3], rot3: [4, 4] },
};

/** One partition per gym task, covering all its joints. */
const FULL_CONF: Record<string, string> = {
  'HalfCheetah-v2': '6x1',
  'Ant-v2': '8x1',
  'Hopper-v2': '3x1',
  'Walker2d-v2': '6x1',
  'Swimmer-v2': '2x1',
};

describe('joint data (docs/spec/bridges.md §1.3)', () => {
  it.each(Object.keys(INDICES))(
    '%s: hinges resolve to the qpos/qvel indices at the end of the state',
    (scenario) => {
      const joints = partitionFor(scenario, FULL_CONF[scenario]!).agents.flat();
      const found = Object.fromEntries(joints.map((joint) => [joint.label, [joint.qpos, joint.qvel]]));
      expect(found).toEqual(INDICES[scenario]);
    },
  );

  it.each(Object.keys(ACTUATORS))(
    '%s: "by-joint" sends each joint’s entry to its own actuator',
    (scenario) => {
      const layout = buildAgentLayout(scenario, FULL_CONF[scenario]!, 1, { actuatorMapping: 'by-joint' });
      const driven = layout.actuators.map((indices) => indices.map((index) => ACTUATORS[scenario]![index]));
      expect(driven).toEqual(layout.agentJoints);
    },
  );

  it('manyagent_swimmer NxM: hinge i is qpos/qvel 3 + i and actuator i; nq = nv = N·M + 3', () => {
    const { graph, agents } = partitionFor('manyagent_swimmer', '3x2');
    expect([graph.nq, graph.nv]).toEqual([9, 9]);
    expect(agents.map((joints) => joints.map((joint) => joint.label))).toEqual([
      ['rot0', 'rot1'],
      ['rot2', 'rot3'],
      ['rot4', 'rot5'],
    ]);
    const indices = agents.flat().map((joint) => [joint.qpos, joint.qvel, joint.actuator]);
    expect(indices).toEqual(Array.from({ length: 6 }, (_, i) => [3 + i, 3 + i, i]));
  });

  it('manyagent_ant NxM: segment j = hip1, ankle1, hip2, ankle2 at qpos 7 + 4j.., qvel 6 + 4j.., actuators 4j..', () => {
    const { graph, agents } = partitionFor('manyagent_ant', '2x3');
    expect([graph.nq, graph.nv]).toEqual([7 + 24, 6 + 24]);
    expect(agents[1]!.map((joint) => joint.label)).toEqual(
      [3, 4, 5].flatMap((j) => [`hip1_${j}`, `ankle1_${j}`, `hip2_${j}`, `ankle2_${j}`]),
    );
    const indices = agents.flat().map((joint) => [joint.qpos, joint.qvel, joint.actuator]);
    expect(indices).toEqual(Array.from({ length: 24 }, (_, i) => [7 + i, 6 + i, i]));
  });

  it('lists every scenario of ours', () => {
    expect([...MA_MUJOCO_SCENARIOS].sort()).toEqual(
      [
        'Ant-v2',
        'HalfCheetah-v2',
        'Hopper-v2',
        'Swimmer-v2',
        'Walker2d-v2',
        'manyagent_ant',
        'manyagent_swimmer',
      ].sort(),
    );
  });
});

describe('partitions (docs/spec/bridges.md §1.3)', () => {
  it.each([
    [
      'HalfCheetah-v2',
      '2x3',
      1,
      [
        ['bfoot', 'bshin', 'bthigh'],
        ['ffoot', 'fshin', 'fthigh'],
      ],
    ],
    [
      'HalfCheetah-v2',
      '3x2',
      2,
      [
        ['bfoot', 'bshin'],
        ['bthigh', 'ffoot'],
        ['fshin', 'fthigh'],
      ],
    ],
    [
      'Ant-v2',
      '2x4',
      1,
      [
        ['hip1', 'ankle1', 'hip2', 'ankle2'],
        ['hip3', 'ankle3', 'hip4', 'ankle4'],
      ],
    ],
    [
      'Ant-v2',
      '2x4d',
      1,
      [
        ['hip1', 'ankle1', 'hip3', 'ankle3'],
        ['hip2', 'ankle2', 'hip4', 'ankle4'],
      ],
    ],
    [
      'Ant-v2',
      '4x2',
      1,
      [
        ['hip1', 'ankle1'],
        ['hip2', 'ankle2'],
        ['hip3', 'ankle3'],
        ['hip4', 'ankle4'],
      ],
    ],
    ['Hopper-v2', '3x1', 1, [['thigh_joint'], ['leg_joint'], ['foot_joint']]],
    [
      'Walker2d-v2',
      '2x3',
      1,
      [
        ['foot_joint', 'leg_joint', 'thigh_joint'],
        ['foot_left_joint', 'leg_left_joint', 'thigh_left_joint'],
      ],
    ],
    [
      'Walker2d-v2',
      '3x2',
      2,
      [
        ['foot_joint', 'leg_joint'],
        ['thigh_joint', 'foot_left_joint'],
        ['leg_left_joint', 'thigh_left_joint'],
      ],
    ],
    ['Swimmer-v2', '2x1', 1, [['rot2'], ['rot3']]],
    [
      'manyagent_ant',
      '2x1',
      1,
      [
        ['hip1_0', 'ankle1_0', 'hip2_0', 'ankle2_0'],
        ['hip1_1', 'ankle1_1', 'hip2_1', 'ankle2_1'],
      ],
    ],
  ])('%s %s gives agents %j', (scenario, conf, k, joints) => {
    expect(buildAgentLayout(scenario, conf, k).agentJoints).toEqual(joints);
  });

  it('defaults to the state variant iff k = 2, as the training script', () => {
    expect(buildAgentLayout('HalfCheetah-v2', '6x1', 2).variant).toBe('state');
    for (const k of [0, 1, 3, null])
      expect(buildAgentLayout('HalfCheetah-v2', '6x1', k).variant).toBe('local');
    expect(buildAgentLayout('HalfCheetah-v2', '6x1', 2, { variant: 'local' }).variant).toBe('local');
    expect(buildAgentLayout('HalfCheetah-v2', '6x1', 1, { variant: 'state' }).variant).toBe('state');
  });

  it('leaves the observed lists empty when agents read the full observation (state variant, k = null)', () => {
    const empty = [[], [], [], [], [], []];
    expect(buildAgentLayout('HalfCheetah-v2', '6x1', 2).observed).toEqual(empty);
    expect(buildAgentLayout('HalfCheetah-v2', '6x1', null).observed).toEqual(empty);
    expect(buildAgentLayout('HalfCheetah-v2', '3x2', null, { variant: 'state' }).observed).toEqual([
      [],
      [],
      [],
    ]);
  });
});

describe('errors', () => {
  it.each([
    [
      'Humanoid-v2',
      '17x1',
      1,
      /unknown scenario "Humanoid-v2"; expected one of HalfCheetah-v2, Ant-v2, .*manyagent_ant/,
    ],
    [
      'HalfCheetah-v2',
      '4x2',
      1,
      /HalfCheetah-v2: unknown partition "4x2"; expected 2x3, 6x1, 3x2 \(state variant only\)/,
    ],
    ['Ant-v2', '3x2', 1, /Ant-v2: unknown partition "3x2"; expected 2x4, 2x4d, 4x2, 8x1$/],
    ['Walker2d-v2', '2X3', 1, /Walker2d-v2: unknown partition "2X3"; expected 2x3, 6x1, 3x2/],
    [
      'HalfCheetah-v2',
      '3x2',
      1,
      /HalfCheetah-v2: partition "3x2" exists only in the state variant.*agentObsk = 1/,
    ],
    ['Walker2d-v2', '3x2', null, /Walker2d-v2: partition "3x2" exists only in the state variant/],
    ['HalfCheetah-v2', '6x1', -1, /agentObsk: expected an integer in 0\.\.10 or null .*received -1/],
    ['HalfCheetah-v2', '6x1', 1.5, /agentObsk: expected an integer in 0\.\.10 or null .*received 1\.5/],
    ['HalfCheetah-v2', '6x1', 11, /agentObsk: expected an integer in 0\.\.10 or null .*received 11/],
    ['HalfCheetah-v2', '6x1', Number.NaN, /agentObsk: .*received NaN/],
    [
      'manyagent_swimmer',
      '4x',
      1,
      /manyagent_swimmer: unknown partition "4x"; expected NxM with positive integers/,
    ],
    ['manyagent_swimmer', '0x2', 1, /unknown partition "0x2"; expected NxM/],
    ['manyagent_ant', '2x3x1', 1, /manyagent_ant: unknown partition "2x3x1"; expected NxM/],
    ['manyagent_ant', ' 2x3', 1, /unknown partition " 2x3"; expected NxM/],
    ['manyagent_ant', '-2x3', 1, /unknown partition "-2x3"; expected NxM/],
    [
      'manyagent_swimmer',
      '1x1',
      1,
      /manyagent_swimmer: expected at least 2 hinges \(N·M ≥ 2\), received 1x1/,
    ],
  ])('refuses %s %s at k = %s, naming the problem', (scenario, conf, k, message) => {
    expect(() => buildAgentLayout(scenario, conf, k)).toThrow(message);
  });

  it('refuses unknown variants and actuator mappings from untyped configs', () => {
    const untyped = (options: object) => buildAgentLayout('HalfCheetah-v2', '6x1', 1, options as never);
    expect(() => untyped({ variant: 'global' })).toThrow(
      /variant: expected "local" or "state", received "global"/,
    );
    expect(() => untyped({ actuatorMapping: 'joint' })).toThrow(
      /actuatorMapping: expected "reference" or "by-joint", received "joint"/,
    );
  });

  it('accepts the 3x2 partitions with the state variant', () => {
    expect(buildAgentLayout('Walker2d-v2', '3x2', 2).agentJoints).toHaveLength(3);
  });
});
