/**
 * HappoNetwork: one actor per agent with parameters of its own, a critic with one value per agent,
 * stable dotted names and the shapes of HARL's MLPBase (docs/algos/happo.md).
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveAlgorithmConfig } from '../../../../../src/core/algos/algorithmConfig.js';
import { HAPPO, happoNetworkConfig } from '../../../../../src/core/algos/happo/index.js';
import { MAPPO, mappoNetworkConfig } from '../../../../../src/core/algos/mappo/index.js';
import type { MarlPolicy } from '../../../../../src/core/algos/marl.js';
import { makeEnv } from '../../../../../src/core/envs/registry.js';
import * as tf from '../../../../../src/core/nn/tf.js';
import { smallNetwork, values } from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The names and shapes of one MLP with input width `i`, width `d`, `l` hidden layers, `out` outputs. */
function mlpShapes(prefix: string, i: number, d: number, l: number, out: number): [string, number[]][] {
  const shapes: [string, number[]][] = [
    [`${prefix}.inputNorm.gamma`, [i]],
    [`${prefix}.inputNorm.beta`, [i]],
  ];
  for (let k = 0; k < l; k++) {
    shapes.push(
      [`${prefix}.hidden.${k}.linear.weight`, [k === 0 ? i : d, d]],
      [`${prefix}.hidden.${k}.linear.bias`, [d]],
      [`${prefix}.hidden.${k}.norm.gamma`, [d]],
      [`${prefix}.hidden.${k}.norm.beta`, [d]],
    );
  }
  shapes.push([`${prefix}.out.weight`, [d, out]], [`${prefix}.out.bias`, [out]]);
  return shapes;
}

describe('HappoNetwork parameters', () => {
  it('names and shapes: actor.<j>.… per agent (obs → A), critic.… (state → n), in that order', () => {
    const net = smallNetwork(); // 3 agents, O 5, S 7, 4 actions, width 8, numBlocks 1: 2 hidden layers
    const expected = [
      ...mlpShapes('actor.0', 5, 8, 2, 4),
      ...mlpShapes('actor.1', 5, 8, 2, 4),
      ...mlpShapes('actor.2', 5, 8, 2, 4),
      ...mlpShapes('critic', 7, 8, 2, 3),
    ];
    expect(net.params.entries().map(([name, v]) => [name, v.shape])).toEqual(expected);
    // by hand: per actor 2·5 + (5·8 + 8 + 2·8) + (8·8 + 8 + 2·8) + (8·4 + 4) = 198;
    // the critic 2·7 + (7·8 + 8 + 2·8) + 88 + (8·3 + 3) = 209
    expect(net.parameterCount()).toBe(3 * 198 + 209);
    net.dispose();
  });

  it('continuous actions add one learned log-std vector per agent, starting at 1 (std 0.5·sigmoid(1))', () => {
    const net = smallNetwork({ actionSpace: { kind: 'continuous', dim: 2, low: -1, high: 1 } });
    for (let j = 0; j < 3; j++) {
      expect(net.params.get(`actor.${j}.logStd`).shape).toEqual([2]);
      const std = values(() => net.actionStd(j));
      for (const s of std) expect(s).toBeCloseTo(0.5 / (1 + Math.exp(-1)), 6);
    }
    expect(net.params.get('actor.0.out.weight').shape).toEqual([8, 2]);
    net.dispose();
  });

  it('actor groups are disjoint and cover the actors; the critic group is the rest', () => {
    const net = smallNetwork();
    const groups = [0, 1, 2].map((j) => net.actorParams(j));
    const all = new Set(net.params.list());
    const seen = new Set<tf.Variable>();
    for (const group of [...groups, net.criticParams()]) {
      for (const v of group) {
        expect(seen.has(v)).toBe(false);
        seen.add(v);
      }
    }
    expect(seen.size).toBe(all.size);
    expect(() => net.actorParams(3)).toThrow(/agent 3 is not in 0..2/);
    net.dispose();
  });

  it('each actor starts from its own random weights (no copy of another agent’s)', () => {
    const net = smallNetwork();
    const first = (j: number) => Array.from(net.params.get(`actor.${j}.hidden.0.linear.weight`).dataSync());
    expect(first(1)).not.toEqual(first(0));
    expect(first(2)).not.toEqual(first(1));
    // the output layers start small (gain 0.01): the first policy is near uniform
    const head = Array.from(net.params.get('actor.0.out.weight').dataSync());
    expect(Math.max(...head.map(Math.abs))).toBeLessThan(0.05);
    net.dispose();
  });

  it('has 1 + numBlocks hidden layers per MLP, as MAPPO: by hand, 3 layers at numBlocks 2', () => {
    const net = smallNetwork({ numBlocks: 2 });
    const expected = [
      ...mlpShapes('actor.0', 5, 8, 3, 4),
      ...mlpShapes('actor.1', 5, 8, 3, 4),
      ...mlpShapes('actor.2', 5, 8, 3, 4),
      ...mlpShapes('critic', 7, 8, 3, 3),
    ];
    expect(net.params.entries().map(([name, v]) => [name, v.shape])).toEqual(expected);
    // by hand: per actor 2·5 + (5·8 + 8 + 2·8) + 2·(8·8 + 8 + 2·8) + (8·4 + 4) = 10 + 64 + 176 + 36 = 286;
    // the critic 2·7 + (7·8 + 8 + 2·8) + 2·88 + (8·3 + 3) = 14 + 80 + 176 + 27 = 297
    expect(net.parameterCount()).toBe(3 * 286 + 297);
    net.dispose();
  });

  it('the matrix preset (width 64, numBlocks 1) gives two hidden layers of 64, as MAPPO’s actor', () => {
    const env = makeEnv('matrix:penalty0');
    const c = resolveAlgorithmConfig('matrix:penalty0', { algo: 'happo' });
    expect([c.embedDim, c.numBlocks]).toEqual([64, 1]);
    const happo = HAPPO.makePolicy(happoNetworkConfig(env, c), 1);
    // by hand: per actor (O 1, A 3) 2·1 + (1·64 + 64 + 2·64) + (64·64 + 64 + 2·64) + (64·3 + 3)
    // = 2 + 256 + 4288 + 195 = 4741; the critic (S 2, n 2) 2·2 + (2·64 + 64 + 128) + 4288 + (64·2 + 2)
    // = 4 + 320 + 4288 + 130 = 4742
    expect(happo.model.params.count()).toBe(2 * 4741 + 4742);
    const hiddenWeights = (policy: MarlPolicy, prefix: string) =>
      policy.model.params
        .entries()
        .filter(([name]) => name.startsWith(prefix) && /\.linear\.weight$/.test(name))
        .map(([, v]) => v.shape);
    expect(hiddenWeights(happo, 'actor.0.')).toEqual([
      [1, 64],
      [64, 64],
    ]);
    const mappo = MAPPO.makePolicy(mappoNetworkConfig(env, { ...c, algo: 'mappo' }), 1);
    // MAPPO's shared actor reads the observation and a one-hot id (1 + 2 inputs): same depth and width
    expect(hiddenWeights(mappo, 'actor.')).toEqual([
      [3, 64],
      [64, 64],
    ]);
    happo.model.dispose();
    mappo.model.dispose();
  });

  it('maps the training config’s knobs: embedDim = hidden width, 1 + numBlocks hidden layers', () => {
    const env = makeEnv('matrix:penalty0');
    const c = resolveAlgorithmConfig('matrix:penalty0', { algo: 'happo', embedDim: 24, numBlocks: 3 });
    const config = happoNetworkConfig(env, c);
    expect(config).toEqual({
      numAgents: 2,
      obsDim: 1,
      stateDim: 2,
      actionSpace: { kind: 'discrete', n: 3 },
      embedDim: 24,
      numBlocks: 3,
    });
    const policy = HAPPO.makePolicy(config, 1);
    expect(policy.model.params.get('actor.1.hidden.3.linear.weight').shape).toEqual([24, 24]);
    expect(policy.model.params.entries().some(([name]) => name.includes('hidden.4'))).toBe(false);
    expect(policy.readsState).toBe(true);
    policy.model.dispose();
  });

  it('refuses sizes it cannot build, naming them', () => {
    expect(() => smallNetwork({ embedDim: 0 })).toThrow(/embedDim and numBlocks ≥ 1, received 0, 1/);
    expect(() => smallNetwork({ stateDim: 0 })).toThrow(/stateDim ≥ 1/);
  });
});
