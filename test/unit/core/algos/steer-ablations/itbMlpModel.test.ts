/**
 * STEER with the ITB replaced by an MLP (paper §6.3; docs/spec/steer.md §a.11): no attention in the
 * inner part, so an agent's representation r_j is a function of its own observation alone and s0 of
 * the state token (or the state) alone; the OTB still gives followers their leaders' actions.
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { ItbMlpModel } from '../../../../../src/core/algos/steer-ablations/index.js';
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
const D = 16;
const B = 3;

describe('steer-itb-mlp parameters', () => {
  it('has per-token MLPs itb.<l>.{ln, mlp.fc1, mlp.fc2} and no attention in the inner part; the rest is STEER', () => {
    const model = smallAblation('itb-mlp', { numBlocks: 2 });
    const steer = smallSteer({ numBlocks: 2 });
    expect(model).toBeInstanceOf(ItbMlpModel);
    const inner = paramNames(model).filter((name) => name.startsWith('itb.'));
    expect(inner).toEqual(
      [0, 1].flatMap((l) => [
        `itb.${l}.ln.gamma`,
        `itb.${l}.ln.beta`,
        `itb.${l}.mlp.fc1.weight`,
        `itb.${l}.mlp.fc1.bias`,
        `itb.${l}.mlp.fc2.weight`,
        `itb.${l}.mlp.fc2.bias`,
      ]),
    );
    expect(paramNames(model).filter((name) => name.includes('attn') && !name.startsWith('otb.'))).toEqual([]);
    // everything outside the ITB has STEER's names, order and shapes
    const outside = (m: typeof model) =>
      m.params
        .entries()
        .filter(([name]) => !name.startsWith('itb.'))
        .map(([name, v]) => [name, v.shape]);
    expect(outside(model)).toEqual(outside(steer));
    // each block loses its attention (4·(D² + D)) and one LayerNorm (2D)
    expect(steer.parameterCount() - model.parameterCount()).toBe(2 * (4 * (D * D + D) + 2 * D));
    model.dispose();
    steer.dispose();
  });
});

describe('steer-itb-mlp information flow', () => {
  it.each([
    ['state token', true],
    ['state encoder', false],
  ])(
    "agent k's observation changes r_k only: no other agent's token, not s0 (%s)",
    (_label, useStateToken) => {
      const model = smallAblation('itb-mlp', { useStateToken, numBlocks: 2 });
      const steer = smallSteer({ useStateToken, numBlocks: 2 });
      randomizeWeights(model, 3);
      randomizeWeights(steer, 3);
      const rng = Rng.fromSeed(4);
      const obs = gaussian(B * N * 5, rng);
      const state = useStateToken ? null : gaussian(B * 7, rng);
      const leaders = oneHotRows(
        Array.from({ length: B * (N - 1) }, () => rng.int(3)),
        3,
      );
      for (let k = 0; k < N; k++) {
        const changed = Float32Array.from(obs);
        for (let row = 0; row < B; row++) changed[(row * N + k) * 5 + 2]! += 1.5;
        const [base, after] = [obs, changed].map((x) => forward(model, B, x, leaders, state));
        const [steerBase, steerAfter] = [obs, changed].map((x) => forward(steer, B, x, leaders, state));
        for (let row = 0; row < B; row++) {
          for (let t = 0; t <= N; t++) {
            const moved = maxAbsDiff(token(after!.encoded, row, t, N, D), token(base!.encoded, row, t, N, D));
            if (t === k + 1) expect(moved, `row ${row}: r_${k} must react`).toBeGreaterThan(1e-4);
            else expect(moved, `row ${row}, token ${t}, obs of agent ${k}`).toBe(0);
            // control: STEER's attention carries agent k's observation into every token
            expect(
              maxAbsDiff(token(steerAfter!.encoded, row, t, N, D), token(steerBase!.encoded, row, t, N, D)),
            ).toBeGreaterThan(1e-5);
          }
        }
      }
      model.dispose();
      steer.dispose();
    },
  );

  it('gives followers their leaders’ actions through STEER’s causal OTB', () => {
    const model = smallAblation('itb-mlp');
    randomizeWeights(model, 5);
    const rng = Rng.fromSeed(6);
    const obs = gaussian(B * N * 5, rng);
    const actions = Array.from({ length: B * (N - 1) }, () => rng.int(3));
    const changed = actions.map((x, i) => (i % (N - 1) === 1 ? (x + 1) % 3 : x)); // agent 1's action
    const base = forward(model, B, obs, oneHotRows(actions, 3));
    const after = forward(model, B, obs, oneHotRows(changed, 3));
    for (let row = 0; row < B; row++) {
      for (const agent of [0, 1]) {
        expect(agentOutput(after, row, agent, N, 3)).toEqual(agentOutput(base, row, agent, N, 3));
      }
      expect(maxAbsDiff(agentOutput(after, row, 2, N, 3), agentOutput(base, row, 2, N, 3))).toBeGreaterThan(
        1e-5,
      );
    }
    model.dispose();
  });
});
