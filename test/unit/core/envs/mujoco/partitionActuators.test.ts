/**
 * Which actuator each agent's action entries drive (docs/spec/bridges.md §1.9): the reference's plain
 * concatenation in agent order, with its mismatch table, and the "by-joint" alternative.
 */
import { describe, expect, it } from 'vitest';
import { buildAgentLayout } from '../../../../../src/core/envs/mujoco/graph/index.js';

const CHEETAH = ['bthigh', 'bshin', 'bfoot', 'fthigh', 'fshin', 'ffoot'];
const WALKER = ['thigh', 'leg', 'foot', 'thigh_left', 'leg_left', 'foot_left'];
const ANT = ['hip_4', 'ankle_4', 'hip_1', 'ankle_1', 'hip_2', 'ankle_2', 'hip_3', 'ankle_3'];

/** Names of the actuators each agent drives under the default ("reference") mapping. */
function driven(scenario: string, conf: string, actuatorNames: string[]): string[][] {
  const layout = buildAgentLayout(scenario, conf, 1);
  return layout.actuators.map((indices) => indices.map((index) => actuatorNames[index]!));
}

describe('reference mapping (docs/spec/bridges.md §1.9)', () => {
  it('HalfCheetah 6x1: bfoot → bthigh, bshin → bshin, bthigh → bfoot, ffoot → fthigh, fshin → fshin, fthigh → ffoot', () => {
    expect(driven('HalfCheetah-v2', '6x1', CHEETAH)).toEqual([
      ['bthigh'],
      ['bshin'],
      ['bfoot'],
      ['fthigh'],
      ['fshin'],
      ['ffoot'],
    ]);
  });

  it('HalfCheetah 2x3: each agent drives its own leg, in another order', () => {
    const [back, front] = driven('HalfCheetah-v2', '2x3', CHEETAH);
    expect(back).toEqual(['bthigh', 'bshin', 'bfoot']);
    expect(front).toEqual(['fthigh', 'fshin', 'ffoot']);
  });

  it('Walker2d 6x1: foot → thigh, thigh → foot on each side; legs keep their own', () => {
    expect(driven('Walker2d-v2', '6x1', WALKER)).toEqual([
      ['thigh'],
      ['leg'],
      ['foot'],
      ['thigh_left'],
      ['leg_left'],
      ['foot_left'],
    ]);
  });

  it('Ant 4x2: the agent observing leg i + 1 drives leg ((i + 3) mod 4) + 1', () => {
    expect(driven('Ant-v2', '4x2', ANT)).toEqual([
      ['hip_4', 'ankle_4'],
      ['hip_1', 'ankle_1'],
      ['hip_2', 'ankle_2'],
      ['hip_3', 'ankle_3'],
    ]);
  });

  it('Ant 2x4: agent 0 (legs 1, 2) drives legs 4, 1; agent 1 (legs 3, 4) drives legs 2, 3', () => {
    expect(driven('Ant-v2', '2x4', ANT)).toEqual([
      ['hip_4', 'ankle_4', 'hip_1', 'ankle_1'],
      ['hip_2', 'ankle_2', 'hip_3', 'ankle_3'],
    ]);
  });

  it.each([
    ['HalfCheetah-v2', '3x2'],
    ['Ant-v2', '8x1'],
    ['manyagent_ant', '3x2'],
  ])('%s %s: agent i’s entries go to consecutive indices after the earlier agents’', (scenario, conf) => {
    const layout = buildAgentLayout(scenario, conf, 2);
    let next = 0;
    for (const [agent, joints] of layout.agentJoints.entries()) {
      expect(layout.actuators[agent]).toEqual(joints.map(() => next++));
    }
  });
});

describe('tasks where both mappings agree (docs/spec/bridges.md §1.9: "consistent")', () => {
  it.each([
    ['Hopper-v2', '3x1'],
    ['Swimmer-v2', '2x1'],
    ['manyagent_swimmer', '4x2'],
    ['manyagent_swimmer', '10x2'],
    ['manyagent_ant', '2x3'],
  ])('%s %s', (scenario, conf) => {
    const reference = buildAgentLayout(scenario, conf, 1).actuators;
    expect(buildAgentLayout(scenario, conf, 1, { actuatorMapping: 'by-joint' }).actuators).toEqual(reference);
  });

  it('differ for HalfCheetah 6x1: by-joint sends bfoot’s entry to bfoot (actuator 2)', () => {
    const layout = buildAgentLayout('HalfCheetah-v2', '6x1', 1, { actuatorMapping: 'by-joint' });
    expect(layout.actuators).toEqual([[2], [1], [0], [5], [4], [3]]);
  });
});
