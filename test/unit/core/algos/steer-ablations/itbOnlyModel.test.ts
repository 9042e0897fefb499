/**
 * STEER with the ITB only (paper §6.3 "STEER_ITB"; docs/spec/steer.md §a.11): no action encoder,
 * position embedding or OTB, so no agent's distribution or value depends on a leader's action, and
 * agents with equal observations (every matrix game) get equal distributions.
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { ItbOnlyModel, makeAblationPolicy } from '../../../../../src/core/algos/steer-ablations/index.js';
import * as tf from '../../../../../src/core/nn/tf.js';
import { Rng } from '../../../../../src/core/rng.js';
import {
  agentOutput,
  forward,
  gaussian,
  maxAbsDiff,
  oneHotRows,
  paramNames,
  randomizeWeights,
  SMALL,
  smallAblation,
  smallSteer,
} from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const N = 4;
const B = 5;
const D = 16;
const BLOCK = 2 * 2 * D + 6 * (D * D + D);

describe('steer-itb-only parameters', () => {
  it('has no action encoder, position embedding or otb.*; every other parameter is STEER’s, in order', () => {
    const model = smallAblation('itb-only', { numBlocks: 2 });
    const steer = smallSteer({ numBlocks: 2 });
    expect(model).toBeInstanceOf(ItbOnlyModel);
    const dropped = (name: string) =>
      name.startsWith('otb.') || name.startsWith('actionEncoder.') || name === 'positionEmbedding';
    expect(paramNames(model).filter(dropped)).toEqual([]);
    expect(paramNames(model)).toEqual(paramNames(steer).filter((name) => !dropped(name)));
    expect(paramNames(model)).toContain('itb.1.attn.key.weight');
    // 2 OTB blocks, the discrete action encoder D·A (no bias) and P (n+1)·D
    expect(steer.parameterCount() - model.parameterCount()).toBe(2 * BLOCK + D * 3 + (N + 1) * D);
    model.dispose();
    steer.dispose();
  });
});

describe.each([
  ['discrete', SMALL.actionSpace],
  ['continuous', { kind: 'continuous', dim: 2, low: -1, high: 1 } as const],
])('steer-itb-only information flow, %s actions', (_label, actionSpace) => {
  it("every agent's output is the same whatever its leaders did (STEER's is not)", () => {
    const model = smallAblation('itb-only', { actionSpace });
    const steer = smallSteer({ actionSpace });
    randomizeWeights(model, 21);
    randomizeWeights(steer, 21);
    const a = model.actionDim;
    const rng = Rng.fromSeed(22);
    const obs = gaussian(B * N * 5, rng);
    const leaderSets =
      actionSpace.kind === 'discrete'
        ? [0, 1, 2].map(() =>
            oneHotRows(
              Array.from({ length: B * (N - 1) }, () => rng.int(3)),
              3,
            ),
          )
        : [0, 1, 2].map(() => gaussian(B * (N - 1) * a, rng));
    const runs = leaderSets.map((leaders) => forward(model, B, obs, leaders));
    const steerRuns = leaderSets.map((leaders) => forward(steer, B, obs, leaders));
    for (const k of [1, 2]) {
      expect(Array.from(runs[k]!.actor)).toEqual(Array.from(runs[0]!.actor));
      expect(Array.from(runs[k]!.values)).toEqual(Array.from(runs[0]!.values));
      expect(maxAbsDiff(steerRuns[k]!.actor, steerRuns[0]!.actor)).toBeGreaterThan(1e-5); // control
    }
    // decoding without any leader actions gives the same numbers again
    const noLeaders = tf.tidy(() => {
      const heads = model.decode(model.encode(tf.tensor(obs, [B, N, 5]), null), null, N);
      return Array.from(heads.actor.dataSync());
    });
    expect(noLeaders).toEqual(Array.from(runs[0]!.actor));
    model.dispose();
    steer.dispose();
  });
});

describe('steer-itb-only: simultaneous, symmetric decisions', () => {
  it('agents with equal observations get bit-identical logits and values, whatever the weights', () => {
    const model = smallAblation('itb-only');
    randomizeWeights(model, 23);
    const row = gaussian(5, Rng.fromSeed(24));
    const obs = new Float32Array(B * N * 5);
    for (let i = 0; i < B * N; i++) obs.set(row, i * 5);
    const f = forward(model, B, obs, new Float32Array(B * (N - 1) * 3));
    for (let r = 0; r < B; r++) {
      for (let j = 1; j < N; j++) expect(agentOutput(f, r, j, N, 3)).toEqual(agentOutput(f, r, 0, N, 3));
    }
    // so greedy acting gives every agent the same action: only the diagonal of a matrix game
    const policy = makeAblationPolicy({ ...SMALL, ablation: 'itb-only' }, 1);
    randomizeWeights(policy.model, 23);
    const out = policy.act({ batch: B, obs, state: null, avail: null }, true, Rng.fromSeed(0));
    for (let r = 0; r < B; r++)
      for (let j = 1; j < N; j++) expect(out.actions[r * N + j]).toBe(out.actions[r * N]);
    model.dispose();
    policy.model.dispose();
  });

  it("decodeLast(t) is agent t−1's row of decode, and the policy acts in one pass per agent", () => {
    const model = smallAblation('itb-only');
    randomizeWeights(model, 25);
    const obs = gaussian(B * N * 5, Rng.fromSeed(26));
    tf.tidy(() => {
      const encoded = model.encode(tf.tensor(obs, [B, N, 5]), null);
      const full = model.decode(encoded, null, N);
      for (let t = 1; t <= N; t++) {
        const last = model.decodeLast(encoded, null, t);
        expect(last.actor.shape).toEqual([B, 3]);
        expect(Array.from(last.actor.dataSync())).toEqual(
          Array.from(tf.slice(full.actor, [0, t - 1, 0], [B, 1, 3]).dataSync()),
        );
        expect(Array.from(last.values.dataSync())).toEqual(
          Array.from(tf.slice(full.values, [0, t - 1], [B, 1]).dataSync()),
        );
      }
    });
    expect(makeAblationPolicy({ ...SMALL, ablation: 'itb-only' }, 1).maxEnumeratedCombos).toBe(0);
    model.dispose();
  });
});
