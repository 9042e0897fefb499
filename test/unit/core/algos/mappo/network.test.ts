/**
 * MAPPO network (docs/algos/mappo.md): parameter names and shapes, the on-policy initialisation, a
 * plain per-row forward pass of MLPBase, one actor shared by all agents (agent i's output depends
 * on its own observation and id only) and the centralised critic on the global state.
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MappoNetwork } from '../../../../../src/core/algos/mappo/network.js';
import * as tf from '../../../../../src/core/nn/tf.js';
import { Rng } from '../../../../../src/core/rng.js';
import {
  actorOutputs,
  agentSlice,
  criticValues,
  gaussian,
  maxAbsDiff,
  randomizeWeights,
  smallNetwork,
} from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function shapes(network: MappoNetwork): [string, number[]][] {
  return network.params.entries().map(([name, v]) => [name, v.shape]);
}

function values(network: MappoNetwork, name: string): Float32Array {
  return network.params.get(name).dataSync() as Float32Array;
}

describe('MappoNetwork parameters', () => {
  it('names and shapes: input norm, 1 + numBlocks layers of linear + LayerNorm, a head, for actor and critic', () => {
    // n 3, O 5, S 7, A 4, H 16, numBlocks 2, ids on: actor input 5 + 3, critic input 7 + 3
    const network = smallNetwork();
    const mlp = (prefix: string, input: number): [string, number[]][] => [
      [`${prefix}.inputNorm.gamma`, [input]],
      [`${prefix}.inputNorm.beta`, [input]],
      ...[0, 1, 2].flatMap((l): [string, number[]][] => [
        [`${prefix}.mlp.${l}.linear.weight`, [l === 0 ? input : 16, 16]],
        [`${prefix}.mlp.${l}.linear.bias`, [16]],
        [`${prefix}.mlp.${l}.ln.gamma`, [16]],
        [`${prefix}.mlp.${l}.ln.beta`, [16]],
      ]),
    ];
    expect(shapes(network)).toEqual([
      ...mlp('actor', 8),
      ['actor.head.weight', [16, 4]],
      ['actor.head.bias', [4]],
      ...mlp('critic', 10),
      ['critic.head.weight', [16, 1]],
      ['critic.head.bias', [1]],
    ]);
    const mlpCount = (input: number) => 2 * input + (input * 16 + 16 + 32) + 2 * (16 * 16 + 16 + 32);
    expect(network.parameterCount()).toBe(mlpCount(8) + 16 * 4 + 4 + mlpCount(10) + 16 + 1);
    network.dispose();
  });

  it('continuous actions add one state-independent log-std per dimension, 0 at init (std 1)', () => {
    const network = smallNetwork({ actionSpace: { kind: 'continuous', dim: 2, low: -1, high: 1 } });
    expect(network.params.get('actor.logStd').shape).toEqual([2]);
    expect(Array.from(values(network, 'actor.logStd'))).toEqual([0, 0]);
    expect(Array.from(tf.tidy(() => network.actionStd().dataSync()))).toEqual([1, 1]);
    network.dispose();
  });

  it('without ids, one set of actor weights serves any number of agents', () => {
    const two = smallNetwork({ numAgents: 2, stateDim: 7, agentIdInput: false });
    const six = smallNetwork({ numAgents: 6, stateDim: 7, agentIdInput: false });
    const actor = (network: MappoNetwork) => shapes(network).filter(([name]) => name.startsWith('actor.'));
    expect(actor(six)).toEqual(actor(two));
    expect(shapes(two).every(([name]) => !/agent/i.test(name))).toBe(true);
    two.dispose();
    six.dispose();
  });

  it('initialises as on-policy: orthogonal × √2 hidden layers, × 0.01 actor head, × 1 critic head, zero biases', () => {
    const network = smallNetwork({ embedDim: 8, obsDim: 20, agentIdInput: false, numBlocks: 1 });
    // columns of a tall [in, out] orthogonal matrix are orthonormal: Wᵀ·W = gain²·I
    const gram = (name: string, rows: number, cols: number) => {
      const w = values(network, name);
      const g: number[] = [];
      for (let i = 0; i < cols; i++) {
        for (let j = 0; j < cols; j++) {
          let dot = 0;
          for (let r = 0; r < rows; r++) dot += w[r * cols + i]! * w[r * cols + j]!;
          g.push(dot);
        }
      }
      return g;
    };
    const identity = (cols: number, scale: number) =>
      Array.from({ length: cols * cols }, (_, k) => (k % (cols + 1) === 0 ? scale : 0));
    expect(maxAbsDiff(gram('actor.mlp.0.linear.weight', 20, 8), identity(8, 2))).toBeLessThan(1e-5);
    expect(maxAbsDiff(gram('actor.mlp.1.linear.weight', 8, 8), identity(8, 2))).toBeLessThan(1e-5);
    expect(maxAbsDiff(gram('critic.head.weight', 8, 1), [1])).toBeLessThan(1e-5);
    // the wide actor head [8, 4]: orthonormal rows of its transpose, i.e. W·Wᵀ is not I but Wᵀ·W = 0.01²·I
    expect(maxAbsDiff(gram('actor.head.weight', 8, 4), identity(4, 1e-4))).toBeLessThan(1e-8);
    for (const [name, v] of network.params.entries()) {
      if (name.endsWith('.bias') || name.endsWith('.beta'))
        expect(v.dataSync().every((x) => x === 0)).toBe(true);
      if (name.endsWith('.gamma')) expect(v.dataSync().every((x) => x === 1)).toBe(true);
    }
    network.dispose();
  });

  it('is a function of the seed', () => {
    const [a, b, c] = [smallNetwork({}, 3), smallNetwork({}, 3), smallNetwork({}, 4)];
    const w = (n: MappoNetwork) => Array.from(values(n, 'actor.mlp.1.linear.weight'));
    expect(w(b)).toEqual(w(a));
    expect(w(c)).not.toEqual(w(a));
    for (const n of [a, b, c]) n.dispose();
  });

  it('dispose frees every tensor it made', () => {
    const before = tf.memory().numTensors;
    smallNetwork().dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

/** LayerNorm of one row with PyTorch's ε, then γ, β. */
function layerNormRow(x: number[], gamma: Float32Array, beta: Float32Array): number[] {
  const mean = x.reduce((s, v) => s + v, 0) / x.length;
  const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length;
  return x.map((v, i) => ((v - mean) / Math.sqrt(variance + 1e-5)) * gamma[i]! + beta[i]!);
}

/** x·W + b for one row, W [in, out] row-major. */
function denseRow(x: number[], w: Float32Array, b: Float32Array): number[] {
  const out = Array.from(b);
  for (let i = 0; i < x.length; i++)
    for (let j = 0; j < out.length; j++) out[j]! += x[i]! * w[i * out.length + j]!;
  return out;
}

/** On-policy MLPBase + output layer on one input row, in plain JavaScript (float64). */
function plainForward(network: MappoNetwork, prefix: string, x: number[]): number[] {
  const v = (name: string) => values(network, `${prefix}.${name}`);
  let y = layerNormRow(x, v('inputNorm.gamma'), v('inputNorm.beta'));
  for (let l = 0; l <= network.config.numBlocks; l++) {
    y = denseRow(y, v(`mlp.${l}.linear.weight`), v(`mlp.${l}.linear.bias`)).map((u) => Math.max(u, 0));
    y = layerNormRow(y, v(`mlp.${l}.ln.gamma`), v(`mlp.${l}.ln.beta`));
  }
  return denseRow(y, v('head.weight'), v('head.bias'));
}

describe('MappoNetwork forward passes', () => {
  it('equal a plain per-row MLPBase: actor on [obs_i, onehot(i)], critic on [state, onehot(i)]', () => {
    const network = smallNetwork();
    randomizeWeights(network, 11);
    const rng = Rng.fromSeed(5);
    const [b, n, o, s, a] = [2, 3, 5, 7, 4];
    const obs = gaussian(b * n * o, rng);
    const state = gaussian(b * s, rng);
    const logits = actorOutputs(network, obs, b);
    const vals = criticValues(network, state, b);
    for (let e = 0; e < b; e++) {
      for (let i = 0; i < n; i++) {
        const id = Array.from({ length: n }, (_, k) => (k === i ? 1 : 0));
        const ownObs = Array.from(obs.subarray((e * n + i) * o, (e * n + i + 1) * o));
        const expected = plainForward(network, 'actor', [...ownObs, ...id]);
        expect(maxAbsDiff(agentSlice(logits, e, i, n, a), expected)).toBeLessThan(1e-4);
        const ownState = Array.from(state.subarray(e * s, (e + 1) * s));
        expect(
          Math.abs(vals[e * n + i]! - plainForward(network, 'critic', [...ownState, ...id])[0]!),
        ).toBeLessThan(1e-4);
      }
    }
    network.dispose();
  });

  it("changing agent 1's observation changes agent 1's outputs only", () => {
    const network = smallNetwork();
    randomizeWeights(network, 12);
    const rng = Rng.fromSeed(6);
    const [n, o, a] = [3, 5, 4];
    const obs = gaussian(2 * n * o, rng);
    const changed = Float32Array.from(obs);
    for (let k = 0; k < o; k++) changed[(0 * n + 1) * o + k] = rng.normal(); // env 0, agent 1
    const before = actorOutputs(network, obs, 2);
    const after = actorOutputs(network, changed, 2);
    expect(maxAbsDiff(agentSlice(after, 0, 1, n, a), agentSlice(before, 0, 1, n, a))).toBeGreaterThan(1e-3);
    for (const [e, i] of [
      [0, 0],
      [0, 2],
      [1, 0],
      [1, 1],
      [1, 2],
    ] as const) {
      expect(agentSlice(after, e, i, n, a)).toEqual(agentSlice(before, e, i, n, a));
    }
    network.dispose();
  });

  it('agents with identical observations: identical outputs without ids, different with ids', () => {
    const rng = Rng.fromSeed(7);
    const row = gaussian(5, rng);
    const obs = new Float32Array(3 * 5);
    for (let i = 0; i < 3; i++) obs.set(row, i * 5);
    for (const agentIdInput of [false, true]) {
      const network = smallNetwork({ agentIdInput });
      randomizeWeights(network, 13);
      const out = actorOutputs(network, obs, 1);
      const rows = [0, 1, 2].map((i) => agentSlice(out, 0, i, 3, 4));
      if (agentIdInput) {
        expect(maxAbsDiff(rows[0]!, rows[1]!)).toBeGreaterThan(1e-3);
        expect(maxAbsDiff(rows[1]!, rows[2]!)).toBeGreaterThan(1e-3);
      } else {
        expect(rows[1]).toEqual(rows[0]);
        expect(rows[2]).toEqual(rows[0]);
      }
      network.dispose();
    }
  });

  it('the critic reads the state: a new state changes every value; without ids all agents share one value', () => {
    const rng = Rng.fromSeed(8);
    const state = gaussian(7, rng);
    const other = gaussian(7, rng);
    for (const agentIdInput of [false, true]) {
      const network = smallNetwork({ agentIdInput });
      randomizeWeights(network, 14);
      const v = criticValues(network, state, 1);
      const w = criticValues(network, other, 1);
      for (let i = 0; i < 3; i++) expect(Math.abs(v[i]! - w[i]!)).toBeGreaterThan(1e-4);
      if (agentIdInput) expect(Math.abs(v[0]! - v[1]!)).toBeGreaterThan(1e-4);
      else expect([v[1], v[2]]).toEqual([v[0], v[0]]);
      network.dispose();
    }
  });
});
