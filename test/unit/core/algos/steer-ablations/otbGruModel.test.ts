/**
 * STEER with the OTB replaced by a GRU (paper §6.3; docs/spec/steer.md §a.10, the reference's
 * steer_gru): followers read their leaders' actions through a 2-layer recurrence over
 * [s0, actEnc(a_0), …] with no position embedding, which is causal and sensitive to the order of
 * the leaders' actions.
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { GRU_GATES, GRU_LAYERS, OtbGruModel } from '../../../../../src/core/algos/steer-ablations/index.js';
import type { ActionSpace } from '../../../../../src/core/envs/types.js';
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
  smallAblation,
  smallSteer,
} from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const N = 4;
const B = 4;
const D = 16;
const BLOCK = 2 * 2 * D + 6 * (D * D + D);

describe('steer-otb-gru parameters', () => {
  it('replaces P and the otb.* blocks by gruLn and a 2-layer GRU (whatever numBlocks); the rest is STEER’s', () => {
    const model = smallAblation('otb-gru', { numBlocks: 3 });
    const steer = smallSteer({ numBlocks: 3 });
    expect(model).toBeInstanceOf(OtbGruModel);
    expect(GRU_LAYERS).toBe(2);
    const names = paramNames(model);
    expect(names.filter((name) => name.startsWith('otb.') || name === 'positionEmbedding')).toEqual([]);
    const gru = names.filter((name) => name.startsWith('gru.'));
    expect(gru).toEqual(
      [0, 1].flatMap((l) =>
        GRU_GATES.flatMap((g) =>
          ['input', 'hidden'].flatMap((p) => [`gru.${l}.${g}.${p}.weight`, `gru.${l}.${g}.${p}.bias`]),
        ),
      ),
    );
    for (const name of gru.filter((n) => n.endsWith('.weight')))
      expect(model.params.get(name).shape).toEqual([D, D]);
    const replaced = (name: string) =>
      name.startsWith('otb.') ||
      name === 'positionEmbedding' ||
      name.startsWith('gru') ||
      name.startsWith('gruLn');
    expect(names.filter((name) => !replaced(name))).toEqual(
      paramNames(steer).filter((name) => !replaced(name)),
    );
    expect(names).toContain('actionEncoder.weight');
    expect(names).toContain('itb.2.attn.key.weight');
    const gruCount = GRU_LAYERS * 3 * 2 * (D * D + D) + 2 * D; // layers × gates × (input, hidden) + gruLn
    expect(model.parameterCount()).toBe(steer.parameterCount() - 3 * BLOCK - (N + 1) * D + gruCount);
    model.dispose();
    steer.dispose();
  });
});

describe.each([
  ['discrete', { kind: 'discrete', n: 3 } as ActionSpace],
  ['continuous', { kind: 'continuous', dim: 2, low: -1, high: 1 } as ActionSpace],
])('steer-otb-gru information flow, %s actions', (_label, actionSpace) => {
  /** Random leader actions: indices [B·(n−1)] (discrete) or raw vectors [B, n−1, A] (continuous). */
  function leaders(model: OtbGruModel, rng: Rng): { idx: number[]; raw: Float32Array } {
    const a = model.actionDim;
    return actionSpace.kind === 'discrete'
      ? { idx: Array.from({ length: B * (N - 1) }, () => rng.int(a)), raw: new Float32Array(0) }
      : { idx: [], raw: gaussian(B * (N - 1) * a, rng) };
  }
  const encode = (model: OtbGruModel, l: { idx: number[]; raw: Float32Array }) =>
    actionSpace.kind === 'discrete' ? oneHotRows(l.idx, model.actionDim) : l.raw;

  for (const weights of ['initial', 'random'] as const) {
    it(`is causal: a_j changes agents after j and leaves agents 0..j bit-identical (${weights} weights)`, () => {
      const model = smallAblation('otb-gru', { actionSpace }) as OtbGruModel;
      if (weights === 'random') randomizeWeights(model, 31);
      const a = model.actionDim;
      const rng = Rng.fromSeed(32);
      const obs = gaussian(B * N * 5, rng);
      const l = leaders(model, rng);
      const base = forward(model, B, obs, encode(model, l));
      for (let j = 0; j < N - 1; j++) {
        const changed =
          actionSpace.kind === 'discrete'
            ? { idx: l.idx.map((x, i) => (i % (N - 1) === j ? (x + 1) % a : x)), raw: l.raw }
            : { idx: l.idx, raw: l.raw.map((x, i) => (Math.floor(i / a) % (N - 1) === j ? x + 0.7 : x)) };
        const after = forward(model, B, obs, encode(model, changed));
        for (let row = 0; row < B; row++) {
          for (let agent = 0; agent <= j; agent++) {
            expect(agentOutput(after, row, agent, N, a)).toEqual(agentOutput(base, row, agent, N, a));
          }
          for (let agent = j + 1; agent < N; agent++) {
            expect(
              maxAbsDiff(agentOutput(after, row, agent, N, a), agentOutput(base, row, agent, N, a)),
              `row ${row}: agent ${agent} ignored a_${j}`,
            ).toBeGreaterThan(1e-6);
          }
        }
      }
      model.dispose();
    });
  }
});

describe('steer-otb-gru: a recurrence, not attention', () => {
  it('the order of the leaders’ actions matters although there is no position embedding', () => {
    const model = smallAblation('otb-gru', { numAgents: 3 });
    randomizeWeights(model, 33);
    const obs = gaussian(2 * 3 * 5, Rng.fromSeed(34));
    // two envs, leaders (a_0, a_1) = (0, 2) and (2, 0): the same set in the other order
    const ordered = forward(model, 2, obs, oneHotRows([0, 2, 0, 2], 3));
    const swapped = forward(model, 2, obs, oneHotRows([2, 0, 2, 0], 3));
    for (let row = 0; row < 2; row++) {
      expect(
        maxAbsDiff(agentOutput(ordered, row, 2, 3, 3), agentOutput(swapped, row, 2, 3, 3)),
      ).toBeGreaterThan(1e-5);
    }
    model.dispose();
  });

  it('the GRU’s first step alone (decodeLast(1), no actions) gives the leader’s row of the full pass', () => {
    const model = smallAblation('otb-gru');
    randomizeWeights(model, 35);
    const obs = gaussian(B * N * 5, Rng.fromSeed(36));
    const first = tf.tidy(() => {
      const encoded = model.encode(tf.tensor(obs, [B, N, 5]), null);
      return Array.from(model.decodeLast(encoded, null, 1).actor.dataSync());
    });
    const full = forward(model, B, obs, oneHotRows(new Array(B * (N - 1)).fill(1), 3));
    for (let row = 0; row < B; row++) {
      expect(
        maxAbsDiff(first.slice(row * 3, row * 3 + 3), agentOutput(full, row, 0, N, 3).slice(0, 3)),
      ).toBeLessThan(1e-6);
    }
    model.dispose();
  });
});
