/**
 * What each agent observes in the local variant (docs/spec/bridges.md §1.5–§1.6): the worked
 * examples' index lists and the size table, read through a fake state whose every value names its
 * source (qpos[i] = 100 + i, qvel[i] = 200 + i).
 */
import { describe, expect, it } from 'vitest';
import {
  buildAgentLayout,
  localObsDim,
  observedValue,
} from '../../../../../src/core/envs/mujoco/graph/index.js';
import type { AgentLayout, SimState } from '../../../../../src/core/envs/mujoco/types.js';

/** A state where qpos[i] = 100 + i and qvel[i] = 200 + i, so a value says where it came from. */
function namingState(nq: number, nv: number): SimState {
  return {
    qpos: Float64Array.from({ length: nq }, (_, i) => 100 + i),
    qvel: Float64Array.from({ length: nv }, (_, i) => 200 + i),
    qfrcActuator: Float64Array.from({ length: nv }, (_, i) => 300 + i),
    cfrcExt: new Float64Array(6 * 20),
    xpos: new Float64Array(3 * 20),
  };
}

/** Agent `agent`'s raw vector, each value decoded back to "qposI" / "qvelI". */
function rawNames(layout: AgentLayout, state: SimState, agent: number): string[] {
  return layout.observed[agent]!.map((source) => {
    const value = observedValue(state, source);
    if (value >= 100 && value < 200) return `qpos${value - 100}`;
    if (value >= 200 && value < 300) return `qvel${value - 200}`;
    return `unexpected ${value}`;
  });
}

const local = { variant: 'local' } as const;
const CHEETAH_TAIL = ['qpos2', 'qpos1', 'qvel0', 'qvel2', 'qvel1'];

describe('HalfCheetah worked example (docs/spec/bridges.md §1.6)', () => {
  const state = namingState(9, 9);

  it('6x1, k = 1: each agent sees its joint, its neighbours’ angles, then the root tail', () => {
    const layout = buildAgentLayout('HalfCheetah-v2', '6x1', 1);
    const expected = [
      ['qpos5', 'qvel5', 'qpos4', ...CHEETAH_TAIL],
      ['qpos4', 'qvel4', 'qpos5', 'qpos3', ...CHEETAH_TAIL],
      ['qpos3', 'qvel3', 'qpos4', 'qpos6', ...CHEETAH_TAIL],
      ['qpos8', 'qvel8', 'qpos7', ...CHEETAH_TAIL],
      ['qpos7', 'qvel7', 'qpos8', 'qpos6', ...CHEETAH_TAIL],
      ['qpos6', 'qvel6', 'qpos3', 'qpos7', ...CHEETAH_TAIL],
    ];
    expect(layout.variant).toBe('local');
    expect(layout.agentJoints).toEqual([['bfoot'], ['bshin'], ['bthigh'], ['ffoot'], ['fshin'], ['fthigh']]);
    expect(expected.map((_, agent) => rawNames(layout, state, agent))).toEqual(expected);
  });

  it('2x3, k = 1: each leg in label order, then the other leg’s nearest thigh, then the tail', () => {
    const layout = buildAgentLayout('HalfCheetah-v2', '2x3', 1);
    expect(rawNames(layout, state, 0)).toEqual([
      ...['qpos5', 'qvel5', 'qpos4', 'qvel4', 'qpos3', 'qvel3', 'qpos6'],
      ...CHEETAH_TAIL,
    ]);
    expect(rawNames(layout, state, 1)).toEqual([
      ...['qpos8', 'qvel8', 'qpos7', 'qvel7', 'qpos6', 'qvel6', 'qpos3'],
      ...CHEETAH_TAIL,
    ]);
  });

  it.each([0, 1, 2])('ends every agent’s vector with the root tail at k = %i and never reads qpos 0', (k) => {
    for (const conf of ['2x3', '6x1']) {
      const layout = buildAgentLayout('HalfCheetah-v2', conf, k, local);
      layout.agentJoints.forEach((_, agent) => {
        const names = rawNames(layout, state, agent);
        expect(names.slice(-5), `${conf} agent ${agent}`).toEqual(CHEETAH_TAIL);
        expect(names).not.toContain('qpos0');
      });
    }
  });

  it('k = 0 is each agent’s own joints (qpos, qvel per joint) and the tail', () => {
    const layout = buildAgentLayout('HalfCheetah-v2', '6x1', 0);
    expect(rawNames(layout, state, 2)).toEqual(['qpos3', 'qvel3', ...CHEETAH_TAIL]);
  });
});

describe('globals and overrides of the other tasks (docs/spec/bridges.md §1.5)', () => {
  it('Ant: the free joint adds qpos 0..6 and qvel 0..5; contact forces add nothing', () => {
    const layout = buildAgentLayout('Ant-v2', '8x1', 0);
    const free = [
      ...Array.from({ length: 7 }, (_, i) => `qpos${i}`),
      ...Array.from({ length: 6 }, (_, i) => `qvel${i}`),
    ];
    expect(rawNames(layout, namingState(15, 14), 0)).toEqual(['qpos7', 'qvel6', ...free]);
    expect(rawNames(layout, namingState(15, 14), 7)).toEqual(['qpos14', 'qvel13', ...free]);
    expect(layout.observed.flat().some((source) => source.array === 'cfrcExt')).toBe(false);
  });

  it('Hopper: velocities clipped to ±10, root velocities read qvel 1, 2, 1 (reference quirk)', () => {
    const layout = buildAgentLayout('Hopper-v2', '3x1', 0);
    const clipped = (index: number) => ({ array: 'qvel', index, clip: 10 });
    expect(layout.observed[0]).toEqual([
      { array: 'qpos', index: 3 },
      clipped(3),
      { array: 'qpos', index: 2 },
      { array: 'qpos', index: 1 },
      clipped(1),
      clipped(2),
      clipped(1),
    ]);
    const state = namingState(6, 6);
    state.qvel[5] = -250;
    expect(layout.observed[2]!.slice(0, 2).map((source) => observedValue(state, source))).toEqual([105, -10]);
  });

  it('Walker2d and Swimmer have no globals: k = 0 is the agent’s own joint only', () => {
    const walker = buildAgentLayout('Walker2d-v2', '6x1', 0);
    expect(rawNames(walker, namingState(9, 9), 3)).toEqual(['qpos8', 'qvel8']); // foot_left_joint
    const swimmer = buildAgentLayout('Swimmer-v2', '2x1', 0);
    expect(rawNames(swimmer, namingState(5, 5), 0)).toEqual(['qpos3', 'qvel3']);
    expect(rawNames(swimmer, namingState(5, 5), 1)).toEqual(['qpos4', 'qvel4']);
  });

  it('manyagent_swimmer: hinge i is qpos 3 + i', () => {
    const layout = buildAgentLayout('manyagent_swimmer', '4x2', 1);
    expect(rawNames(layout, namingState(11, 11), 1)).toEqual([
      'qpos5',
      'qvel5',
      'qpos6',
      'qvel6',
      'qpos4',
      'qpos7',
    ]);
  });

  it('manyagent_ant reads each segment’s own joints, qpos 7 + 4j.. and qvel 6 + 4j.. (fixed)', () => {
    const layout = buildAgentLayout('manyagent_ant', '3x1', 0);
    const state = namingState(19, 18);
    const free = [
      ...Array.from({ length: 7 }, (_, i) => `qpos${i}`),
      ...Array.from({ length: 6 }, (_, i) => `qvel${i}`),
    ];
    // Ring 0 in label order: ankle1_j, ankle2_j, hip1_j, hip2_j.
    const segment = (j: number) => {
      const [hip1, ankle1, hip2, ankle2] = [0, 1, 2, 3].map((offset) => 4 * j + offset);
      return [ankle1, ankle2, hip1, hip2].flatMap((hinge) => [`qpos${7 + hinge!}`, `qvel${6 + hinge!}`]);
    };
    expect([0, 1, 2].map((j) => rawNames(layout, state, j))).toEqual(
      [0, 1, 2].map((j) => [...segment(j), ...free]),
    );
  });

  it('manyagent_ant links a segment to copies of the previous one’s hips only (reference quirk)', () => {
    const layout = buildAgentLayout('manyagent_ant', '3x1', 1);
    const state = namingState(19, 18);
    expect(rawNames(layout, state, 0).slice(8, 10)).toEqual(['qpos0', 'qpos1']); // no ring 1: globals follow
    expect(rawNames(layout, state, 1).slice(8, 10)).toEqual(['qpos7', 'qpos9']); // hip1_0, hip2_0
    expect(rawNames(layout, state, 2).slice(8, 10)).toEqual(['qpos11', 'qpos13']); // hip1_1, hip2_1
  });
});

/** [scenario, conf, k, raw length per agent (one number = every agent), padded, final]. */
type SizeRow = [string, string, number, number | number[], number, number];

/** docs/spec/bridges.md §1.6, every row and column; "…" entries spelt out by the ring rule of §1.4. */
const SIZE_TABLE: SizeRow[] = [
  ['HalfCheetah-v2', '2x3', 0, 11, 11, 13],
  ['HalfCheetah-v2', '2x3', 1, 12, 12, 14],
  ['HalfCheetah-v2', '2x3', 2, 13, 13, 15],
  ['HalfCheetah-v2', '6x1', 0, 7, 7, 13],
  ['HalfCheetah-v2', '6x1', 1, [8, 9, 9, 8, 9, 9], 9, 15],
  ['HalfCheetah-v2', '6x1', 2, [9, 10, 11, 9, 10, 11], 11, 17],
  ['Ant-v2', '2x4', 0, 21, 21, 23],
  ['Ant-v2', '2x4', 1, 23, 23, 25],
  ['Ant-v2', '2x4', 2, 25, 25, 27],
  ['Ant-v2', '2x4d', 0, 21, 21, 23],
  ['Ant-v2', '2x4d', 1, 23, 23, 25],
  ['Ant-v2', '2x4d', 2, 25, 25, 27],
  ['Ant-v2', '4x2', 0, 17, 17, 21],
  ['Ant-v2', '4x2', 1, 20, 20, 24],
  ['Ant-v2', '4x2', 2, 23, 23, 27],
  ['Ant-v2', '8x1', 0, 15, 15, 23],
  ['Ant-v2', '8x1', 1, [19, 16, 19, 16, 19, 16, 19, 16], 19, 27],
  ['Ant-v2', '8x1', 2, [22, 19, 22, 19, 22, 19, 22, 19], 22, 30],
  ['Hopper-v2', '3x1', 0, 7, 7, 10],
  ['Hopper-v2', '3x1', 1, [8, 9, 8], 9, 12],
  ['Hopper-v2', '3x1', 2, 9, 9, 12],
  ['Walker2d-v2', '2x3', 0, 6, 6, 8],
  ['Walker2d-v2', '2x3', 1, 7, 7, 9],
  ['Walker2d-v2', '2x3', 2, 8, 8, 10],
  ['Walker2d-v2', '6x1', 0, 2, 2, 8],
  ['Walker2d-v2', '6x1', 1, [3, 4, 4, 3, 4, 4], 4, 10],
  ['Walker2d-v2', '6x1', 2, [4, 5, 6, 4, 5, 6], 6, 12],
  ['Swimmer-v2', '2x1', 0, 2, 2, 4],
  ['Swimmer-v2', '2x1', 1, 3, 3, 5],
  ['Swimmer-v2', '2x1', 2, 3, 3, 5],
  ['manyagent_swimmer', '4x2', 0, 4, 4, 8],
  ['manyagent_swimmer', '4x2', 1, [5, 6, 6, 5], 6, 10],
  ['manyagent_swimmer', '10x2', 0, 4, 4, 14],
  ['manyagent_swimmer', '10x2', 1, [5, 6, 6, 6, 6, 6, 6, 6, 6, 5], 6, 16],
  ['manyagent_ant', '3x1', 0, 21, 21, 24],
  ['manyagent_ant', '3x1', 1, [21, 23, 23], 23, 26],
  ['manyagent_ant', '2x3', 0, 37, 37, 39],
  ['manyagent_ant', '2x3', 1, [41, 43], 43, 45],
];

describe('observation sizes, local variant (docs/spec/bridges.md §1.6)', () => {
  it.each(SIZE_TABLE)(
    '%s %s, k = %i: raw %j → padded %i → final %i',
    (scenario, conf, k, raw, padded, final) => {
      const layout = buildAgentLayout(scenario, conf, k, local);
      const numAgents = layout.agentJoints.length;
      const rawLengths = Array.isArray(raw) ? raw : Array.from({ length: numAgents }, () => raw);
      expect(layout.observed.map((sources) => sources.length)).toEqual(rawLengths);
      expect(Math.max(...rawLengths)).toBe(padded);
      expect(localObsDim(layout)).toBe(final);
      expect(final - padded).toBe(numAgents);
    },
  );

  it('the training script’s setting, HalfCheetah 6x1 k = 1, gives 15 per agent (docs/spec/bridges.md §1.12)', () => {
    expect(localObsDim(buildAgentLayout('HalfCheetah-v2', '6x1', 1))).toBe(15);
  });
});
