/**
 * STEER with the OTB only (paper §6.3 "STEER_OTB"; docs/algos/steer-ablations.md): no ITB, so the
 * tokens are the encoders' outputs; agent j's output depends on its own observation, the state
 * (through s0 in the OTB) and its leaders' actions, and on no other agent's observation.
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { OtbOnlyModel } from '../../../../../src/core/algos/steer-ablations/index.js';
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
  token,
} from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const N = 4;
const B = 3;
const D = 16;

/** Scalars of one STEER block at width D (§a.9): 2 LayerNorms, 4 attention and 2 MLP linears. */
const BLOCK = 2 * 2 * D + 6 * (D * D + D);

describe('steer-otb-only parameters', () => {
  it('has no itb.* parameter; every other parameter is STEER’s, in STEER’s order', () => {
    const model = smallAblation('otb-only', { numBlocks: 2 });
    const steer = smallSteer({ numBlocks: 2 });
    expect(model).toBeInstanceOf(OtbOnlyModel);
    expect(paramNames(model).filter((name) => name.startsWith('itb.'))).toEqual([]);
    expect(paramNames(model)).toEqual(paramNames(steer).filter((name) => !name.startsWith('itb.')));
    expect(paramNames(model)).toContain('otb.1.attn.key.weight');
    expect(steer.parameterCount() - model.parameterCount()).toBe(2 * BLOCK);
    model.dispose();
    steer.dispose();
  });
});

describe('steer-otb-only information flow', () => {
  it("agent j's output ignores every other agent's observation (STEER's does not) and reacts to its own", () => {
    const model = smallAblation('otb-only');
    const steer = smallSteer();
    randomizeWeights(model, 7);
    randomizeWeights(steer, 7);
    const rng = Rng.fromSeed(8);
    const obs = gaussian(B * N * 5, rng);
    const leaders = oneHotRows(
      Array.from({ length: B * (N - 1) }, () => rng.int(3)),
      3,
    );
    for (let k = 0; k < N; k++) {
      const changed = Float32Array.from(obs);
      for (let row = 0; row < B; row++) changed[(row * N + k) * 5 + 1]! -= 1.5;
      const [base, after] = [obs, changed].map((x) => forward(model, B, x, leaders));
      const [steerBase, steerAfter] = [obs, changed].map((x) => forward(steer, B, x, leaders));
      for (let row = 0; row < B; row++) {
        for (let j = 0; j < N; j++) {
          const moved = maxAbsDiff(agentOutput(after!, row, j, N, 3), agentOutput(base!, row, j, N, 3));
          if (j === k)
            expect(moved, `row ${row}: agent ${k} must react to its observation`).toBeGreaterThan(1e-5);
          else expect(moved, `row ${row}: agent ${j} saw agent ${k}'s observation`).toBe(0);
          expect(
            maxAbsDiff(agentOutput(steerAfter!, row, j, N, 3), agentOutput(steerBase!, row, j, N, 3)),
          ).toBeGreaterThan(1e-6);
        }
      }
    }
    model.dispose();
    steer.dispose();
  });

  it('passes the encoders’ outputs through as the tokens: r_j = obsEncoder(obs_j), s0 = the state token', () => {
    const model = smallAblation('otb-only');
    randomizeWeights(model, 9);
    const obs = gaussian(B * N * 5, Rng.fromSeed(10));
    const f = forward(model, B, obs, new Float32Array(B * (N - 1) * 3));
    const [gamma, beta, w, bias, stateToken] = tf.tidy(() =>
      [
        'obsEncoder.ln.gamma',
        'obsEncoder.ln.beta',
        'obsEncoder.linear.weight',
        'obsEncoder.linear.bias',
        'stateToken',
      ].map((name) => model.params.get(name).dataSync() as Float32Array),
    ) as Float32Array[];
    for (let row = 0; row < B; row++) {
      expect(token(f.encoded, row, 0, N, D)).toEqual(Array.from(stateToken!));
      for (let j = 0; j < N; j++) {
        // LayerNorm(O) → Linear(O→D) → GELU, written out (exact GELU: x·Φ(x))
        const x = Array.from(obs.subarray((row * N + j) * 5, (row * N + j + 1) * 5));
        const mean = x.reduce((s, v) => s + v, 0) / 5;
        const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / 5;
        const normed = x.map((v, i) => ((v - mean) / Math.sqrt(variance + 1e-5)) * gamma![i]! + beta![i]!);
        const want = Array.from({ length: D }, (_, c) => {
          let y = bias![c]!;
          for (let i = 0; i < 5; i++) y += normed[i]! * w![i * D + c]!;
          return y * 0.5 * (1 + erf(y / Math.SQRT2));
        });
        expect(maxAbsDiff(token(f.encoded, row, j + 1, N, D), want)).toBeLessThan(1e-4);
      }
    }
    model.dispose();
  });

  it('with the state encoder, the state reaches every agent through s0 and the OTB', () => {
    const model = smallAblation('otb-only', { useStateToken: false });
    randomizeWeights(model, 11);
    const rng = Rng.fromSeed(12);
    const obs = gaussian(B * N * 5, rng);
    const leaders = new Float32Array(B * (N - 1) * 3);
    const [s1, s2] = [gaussian(B * 7, rng), gaussian(B * 7, rng)];
    const [base, after] = [s1, s2].map((s) => forward(model, B, obs, leaders, s));
    for (let row = 0; row < B; row++) {
      for (let t = 1; t <= N; t++)
        expect(token(after!.encoded, row, t, N, D)).toEqual(token(base!.encoded, row, t, N, D));
      for (let j = 0; j < N; j++) {
        expect(
          maxAbsDiff(agentOutput(after!, row, j, N, 3), agentOutput(base!, row, j, N, 3)),
        ).toBeGreaterThan(1e-5);
      }
    }
    model.dispose();
  });

  it('keeps the OTB causal: agent j sees a_0..a_{j−1} only', () => {
    const model = smallAblation('otb-only');
    randomizeWeights(model, 13);
    const rng = Rng.fromSeed(14);
    const obs = gaussian(B * N * 5, rng);
    const actions = Array.from({ length: B * (N - 1) }, () => rng.int(3));
    for (let j = 0; j < N - 1; j++) {
      const changed = actions.map((x, i) => (i % (N - 1) === j ? (x + 1) % 3 : x));
      const base = forward(model, B, obs, oneHotRows(actions, 3));
      const after = forward(model, B, obs, oneHotRows(changed, 3));
      for (let row = 0; row < B; row++) {
        for (let agent = 0; agent <= j; agent++) {
          expect(agentOutput(after, row, agent, N, 3)).toEqual(agentOutput(base, row, agent, N, 3));
        }
        expect(
          maxAbsDiff(agentOutput(after, row, j + 1, N, 3), agentOutput(base, row, j + 1, N, 3)),
        ).toBeGreaterThan(1e-5);
      }
    }
    model.dispose();
  });
});

/** erf by Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7), enough for a 1e-4 comparison. */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return Math.sign(x) * (1 - poly * Math.exp(-x * x));
}
