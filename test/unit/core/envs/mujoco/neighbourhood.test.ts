/** Rings of joints by graph distance, each sorted by label (docs/spec/bridges.md §1.4). */
import { describe, expect, it } from 'vitest';
import { jointRings, partitionFor } from '../../../../../src/core/envs/mujoco/graph/index.js';

/** Labels of the rings 0..k around agent `agent` of a partition. */
function ringLabels(scenario: string, conf: string, agent: number, k: number): string[][] {
  const { graph, agents } = partitionFor(scenario, conf);
  return jointRings(agents[agent]!, graph.hyperedges, k).map((ring) => ring.map((joint) => joint.label));
}

describe('jointRings (docs/spec/bridges.md §1.4)', () => {
  it('walks the HalfCheetah chain outwards from bthigh', () => {
    expect(ringLabels('HalfCheetah-v2', '6x1', 2, 3)).toEqual([
      ['bthigh'],
      ['bshin', 'fthigh'],
      ['bfoot', 'fshin'],
      ['ffoot'],
    ]);
  });

  it('sorts ring 0 by label too (a leg’s own joints: bfoot, bshin, bthigh)', () => {
    expect(ringLabels('HalfCheetah-v2', '2x3', 0, 0)).toEqual([['bfoot', 'bshin', 'bthigh']]);
    expect(ringLabels('Ant-v2', '2x4', 0, 0)).toEqual([['ankle1', 'ankle2', 'hip1', 'hip2']]);
  });

  it('treats Ant’s four hips as one hyperedge: every hip is one step from every other', () => {
    expect(ringLabels('Ant-v2', '8x1', 0, 2)).toEqual([
      ['hip1'],
      ['ankle1', 'hip2', 'hip3', 'hip4'],
      ['ankle2', 'ankle3', 'ankle4'],
    ]);
    expect(ringLabels('Ant-v2', '8x1', 1, 2)).toEqual([['ankle1'], ['hip1'], ['hip2', 'hip3', 'hip4']]);
  });

  it('sees single joints of other agents, not whole agents', () => {
    // Walker2d 2x3: the right leg reaches only the left thigh at distance 1.
    expect(ringLabels('Walker2d-v2', '2x3', 0, 1)).toEqual([
      ['foot_joint', 'leg_joint', 'thigh_joint'],
      ['thigh_left_joint'],
    ]);
  });

  it('sorts by label string, not by number (rot10 before rot8)', () => {
    expect(ringLabels('manyagent_swimmer', '12x1', 9, 1)).toEqual([['rot9'], ['rot10', 'rot8']]);
  });

  it('leaves rings beyond the graph empty', () => {
    expect(ringLabels('Swimmer-v2', '2x1', 0, 3)).toEqual([['rot2'], ['rot3'], [], []]);
  });

  it('reaches copies of the previous ant segment’s hips, never the next segment (reference quirk)', () => {
    const { graph, agents } = partitionFor('manyagent_ant', '3x1');
    const [first, second] = [0, 1].map((agent) => jointRings(agents[agent]!, graph.hyperedges, 2));
    expect(first!.map((ring) => ring.length)).toEqual([4, 0, 0]);
    const reached = second![1]!;
    expect(reached.map((joint) => joint.label)).toEqual(['hip1_0', 'hip2_0']);
    // Same label and indices as segment 0's own hips, but other nodes.
    const ownHip1 = agents[0]!.find((joint) => joint.label === 'hip1_0')!;
    expect(reached[0]).not.toBe(ownHip1);
    expect({ qpos: reached[0]!.qpos, qvel: reached[0]!.qvel }).toEqual({
      qpos: ownHip1.qpos,
      qvel: ownHip1.qvel,
    });
    expect(second![2]).toEqual([]);
  });
});
