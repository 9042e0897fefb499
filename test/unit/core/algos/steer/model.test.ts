/**
 * The STEER network (docs/spec/steer.md §a): parameter counts of §a.9, initialisation of §a.2, and the
 * information flow of §a.4 — causality in the OTB (acceptance check §g.1) and an action-free ITB.
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_OPTIONS, SteerModel } from '../../../../../src/core/algos/steer/model.js';
import type { ActionSpace } from '../../../../../src/core/envs/types.js';
import * as tf from '../../../../../src/core/nn/tf.js';
import { Rng } from '../../../../../src/core/rng.js';
import { agentSlice, gaussian, maxAbsDiff, oneHotRows, randomizeWeights, smallModel } from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const D = 64;

/** A model with the §a.9 settings: D = 64, H = 1, L = 1, state token on. */
function specModel(obsDim: number, stateDim: number, actions: number, numAgents = 2): SteerModel {
  return new SteerModel(
    {
      numAgents,
      obsDim,
      stateDim,
      actionSpace: { kind: 'discrete', n: actions },
      ...DEFAULT_MODEL_OPTIONS,
    },
    1,
  );
}

/** Scalars held by parameters whose name starts with `prefix`. */
function countUnder(model: SteerModel, prefix: string): number {
  return model.params
    .entries()
    .filter(([name]) => name === prefix || name.startsWith(`${prefix}.`))
    .reduce((s, [, v]) => s + v.size, 0);
}

describe('parameter counts (docs/spec/steer.md §a.9, "parameters actually used", acceptance check §g.8)', () => {
  it('uses D = 64, H = 1, L = 1 with the state token by default', () => {
    expect(DEFAULT_MODEL_OPTIONS).toEqual({ embedDim: 64, numHeads: 1, numBlocks: 1, useStateToken: true });
  });

  it.each([
    ['single-step 3×3 game', 1, 2, 3, 68_422],
    ['multi-step Cooperation', 15, 30, 2, 69_217],
    ['multi-step Coordination', 15, 30, 3, 69_346],
  ])('%s (O = %i, S = %i, A = %i, n = 2) has %i parameters', (_name, o, s, a, expected) => {
    const model = specModel(o, s, a);
    expect(model.parameterCount()).toBe(expected);
    expect(model.params.count()).toBe(expected);
    model.dispose();
  });

  it('matches the per-part breakdown of §a.9', () => {
    for (const [o, a, n] of [
      [1, 3, 2],
      [15, 2, 2],
      [4, 5, 3],
    ] as const) {
      const model = specModel(o, n * o, a, n);
      expect(countUnder(model, 'itb.0')).toBe(25_216);
      expect(countUnder(model, 'otb.0')).toBe(25_216);
      expect(countUnder(model, 'outProj')).toBe(8_448);
      expect(countUnder(model, 'actorHead')).toBe(4_160 + 128 + (D * a + a));
      expect(countUnder(model, 'criticHead')).toBe(4_353);
      expect(countUnder(model, 'positionEmbedding')).toBe((n + 1) * D);
      expect(countUnder(model, 'stateToken')).toBe(D);
      expect(countUnder(model, 'actionEncoder')).toBe(D * a); // no bias for discrete actions
      expect(countUnder(model, 'obsEncoder')).toBe(2 * o + o * D + D);
      expect(countUnder(model, 'seqLn')).toBe(2 * D);
      expect(countUnder(model, 'stateEncoder')).toBe(0); // unused with the state token (§a.2)
      model.dispose();
    }
  });

  it('gives the continuous action encoder a bias and adds the log-std vector (§a.2 rows 6, 14)', () => {
    const discrete = smallModel({ actionSpace: { kind: 'discrete', n: 2 } });
    const continuous = smallModel({ actionSpace: { kind: 'continuous', dim: 2, low: -1, high: 1 } });
    expect(continuous.parameterCount() - discrete.parameterCount()).toBe(16 + 2); // bias [D] + ρ [A]
    discrete.dispose();
    continuous.dispose();
  });
});

describe('initialisation (docs/spec/steer.md §a.2, §a.3)', () => {
  const model = specModel(15, 30, 3);
  const values = (name: string) => Array.from(model.params.get(name).dataSync());

  /** Max deviation of WᵀW (tall or square) or WWᵀ (wide) from gain²·I for a [rows, cols] kernel. */
  function orthogonalityError(w: number[], rows: number, cols: number, gain: number): number {
    const tall = rows >= cols;
    const k = tall ? cols : rows;
    const len = tall ? rows : cols;
    const at = (vec: number, i: number) => (tall ? w[i * cols + vec]! : w[vec * cols + i]!);
    let worst = 0;
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++) {
        let s = 0;
        for (let i = 0; i < len; i++) s += at(a, i) * at(b, i);
        worst = Math.max(worst, Math.abs(s - (a === b ? gain * gain : 0)));
      }
    }
    return worst / (gain * gain);
  }

  it.each([
    ['obsEncoder.linear.weight', 15, D, Math.SQRT2],
    ['itb.0.attn.proj.weight', D, D, 0.01],
    ['itb.0.mlp.fc1.weight', D, D, Math.SQRT2],
    ['otb.0.mlp.fc2.weight', D, D, 0.01],
    ['actionEncoder.weight', 3, D, Math.SQRT2],
    ['outProj.fc1.weight', D, D, Math.SQRT2],
    ['outProj.fc2.weight', D, D, 0.01],
    ['actorHead.fc1.weight', D, D, Math.SQRT2],
    ['actorHead.fc2.weight', D, 3, 0.01],
    ['criticHead.fc2.weight', D, 1, 0.01],
  ])('%s is orthogonal [%i×%i] with gain %f', (name, rows, cols, gain) => {
    expect(model.params.get(name).shape).toEqual([rows, cols]);
    expect(orthogonalityError(values(name), rows, cols, gain)).toBeLessThan(1e-5);
  });

  it('initialises key, query and value as three separate orthogonal D×D maps of gain 0.01', () => {
    for (const block of ['itb.0', 'otb.0']) {
      const parts = ['key', 'query', 'value'].map((p) => values(`${block}.attn.${p}.weight`));
      for (const w of parts) expect(orthogonalityError(w, D, D, 0.01)).toBeLessThan(1e-5);
      // the three are different draws
      expect(parts[0]).not.toEqual(parts[1]);
      expect(parts[1]).not.toEqual(parts[2]);
    }
  });

  it('sets every bias and LayerNorm shift to 0 and every LayerNorm gain to 1', () => {
    for (const [name, v] of model.params.entries()) {
      const data = Array.from(v.dataSync());
      if (name.endsWith('.bias') || name.endsWith('.beta'))
        expect(
          data.every((x) => x === 0),
          name,
        ).toBe(true);
      if (name.endsWith('.gamma'))
        expect(
          data.every((x) => x === 1),
          name,
        ).toBe(true);
    }
  });

  it('draws the position embedding from N(0, 1) and the state token from N(0, 0.02²)', () => {
    const std = (x: number[]) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
    const p = values('positionEmbedding');
    expect(p).toHaveLength(3 * D);
    expect(std(p)).toBeGreaterThan(0.85);
    expect(std(p)).toBeLessThan(1.15);
    const token = values('stateToken');
    expect(token).toHaveLength(D);
    expect(std(token)).toBeGreaterThan(0.015);
    expect(std(token)).toBeLessThan(0.025);
  });

  it('starts the continuous std at 0.5·sigmoid(1) ≈ 0.3655 (§a.5)', () => {
    const m = smallModel({ actionSpace: { kind: 'continuous', dim: 3, low: -1, high: 1 } });
    const std = tf.tidy(() => Array.from(m.actionStd().dataSync()));
    for (const s of std) expect(s).toBeCloseTo(0.5 / (1 + Math.exp(-1)), 6);
    m.dispose();
  });

  it('is a function of the seed', () => {
    const again = specModel(15, 30, 3);
    const other = new SteerModel({ ...again.config }, 2);
    for (const [name, v] of model.params.entries()) {
      expect(Array.from(again.params.get(name).dataSync()), name).toEqual(Array.from(v.dataSync()));
    }
    expect(Array.from(other.params.get('positionEmbedding').dataSync())).not.toEqual(
      values('positionEmbedding'),
    );
    again.dispose();
    other.dispose();
  });
});

/** encode + decode for integer leader actions (discrete) or raw vectors (continuous). */
function runDecode(
  model: SteerModel,
  obs: Float32Array,
  leaders: Float32Array,
  b: number,
): { actor: Float32Array; values: Float32Array; encoded: Float32Array } {
  const { numAgents: n, obsDim: o } = model.config;
  const a = model.actionDim;
  return tf.tidy(() => {
    const encoded = model.encode(tf.tensor(obs, [b, n, o]), null);
    const heads = model.decode(encoded, tf.tensor(leaders, [b, n - 1, a]), n);
    return {
      actor: heads.actor.dataSync() as Float32Array,
      values: heads.values.dataSync() as Float32Array,
      encoded: encoded.dataSync() as Float32Array,
    };
  });
}

describe.each([
  ['discrete (3 actions)', { kind: 'discrete', n: 3 } as ActionSpace],
  ['continuous (2 dims)', { kind: 'continuous', dim: 2, low: -1, high: 1 } as ActionSpace],
])('OTB causality, %s actions (docs/spec/steer.md §a.4, check §g.1)', (_label, actionSpace) => {
  const n = 4;
  const b = 6;

  /** Leader actions [B, n−1, A] and a copy with agent j's action changed in every row. */
  function leadersWithChange(model: SteerModel, rng: Rng, j: number): [Float32Array, Float32Array] {
    const a = model.actionDim;
    if (actionSpace.kind === 'discrete') {
      const idx = Array.from({ length: b * (n - 1) }, () => rng.int(a));
      const changed = idx.map((x, i) => (i % (n - 1) === j ? (x + 1) % a : x));
      return [oneHotRows(idx, a), oneHotRows(changed, a)];
    }
    const raw = gaussian(b * (n - 1) * a, rng);
    const changed = Float32Array.from(raw);
    for (let r = 0; r < b; r++) for (let k = 0; k < a; k++) changed[(r * (n - 1) + j) * a + k]! += 0.7;
    return [raw, changed];
  }

  for (const weights of ['initial', 'random'] as const) {
    it(`changing agent j's action leaves agents 0..j unchanged and changes a later agent (${weights} weights)`, () => {
      const model = smallModel({ numAgents: n, actionSpace });
      if (weights === 'random') randomizeWeights(model, 3);
      const a = model.actionDim;
      const rng = Rng.fromSeed(10);
      const obs = gaussian(b * n * model.config.obsDim, rng);
      for (let j = 0; j < n - 1; j++) {
        const [leaders, changed] = leadersWithChange(model, rng, j);
        const base = runDecode(model, obs, leaders, b);
        const after = runDecode(model, obs, changed, b);
        expect(after.encoded).toEqual(base.encoded); // the ITB never sees actions
        for (let row = 0; row < b; row++) {
          for (let agent = 0; agent <= j; agent++) {
            expect(agentSlice(after.actor, row, agent, n, a), `row ${row} agent ${agent}, j = ${j}`).toEqual(
              agentSlice(base.actor, row, agent, n, a),
            );
            expect(after.values[row * n + agent]).toBe(base.values[row * n + agent]);
          }
          let laterChange = 0;
          for (let agent = j + 1; agent < n; agent++) {
            laterChange = Math.max(
              laterChange,
              maxAbsDiff(agentSlice(after.actor, row, agent, n, a), agentSlice(base.actor, row, agent, n, a)),
              Math.abs(after.values[row * n + agent]! - base.values[row * n + agent]!),
            );
          }
          expect(laterChange, `row ${row}: no agent after ${j} reacted`).toBeGreaterThan(1e-6);
        }
      }
      model.dispose();
    });
  }
});

describe('decode over prefixes (the autoregressive passes of §a.6)', () => {
  it('decode(t) equals the first t agents of decode(n), and decodeLast(t) is its last agent', () => {
    const model = smallModel({ numAgents: 4 });
    randomizeWeights(model, 5);
    const rng = Rng.fromSeed(6);
    const b = 3;
    const n = 4;
    const a = 3;
    const obs = gaussian(b * n * 5, rng);
    const leaders = oneHotRows(
      Array.from({ length: b * (n - 1) }, () => rng.int(a)),
      a,
    );
    tf.tidy(() => {
      const encoded = model.encode(tf.tensor(obs, [b, n, 5]), null);
      const allLeaders = tf.tensor(leaders, [b, n - 1, a]);
      const full = model.decode(encoded, allLeaders, n);
      for (let t = 1; t <= n; t++) {
        const prefix = t > 1 ? tf.slice(allLeaders, [0, 0, 0], [b, t - 1, a]) : null;
        const part = model.decode(encoded, prefix, t);
        expect(part.actor.shape).toEqual([b, t, a]);
        expect(part.values.shape).toEqual([b, t]);
        expect(
          maxAbsDiff(part.actor.dataSync(), tf.slice(full.actor, [0, 0, 0], [b, t, a]).dataSync()),
        ).toBeLessThan(1e-5);
        expect(
          maxAbsDiff(part.values.dataSync(), tf.slice(full.values, [0, 0], [b, t]).dataSync()),
        ).toBeLessThan(1e-5);
        const last = model.decodeLast(encoded, prefix, t);
        expect(last.actor.shape).toEqual([b, a]);
        expect(last.values.shape).toEqual([b]);
        expect(Array.from(last.actor.dataSync())).toEqual(
          Array.from(tf.slice(part.actor, [0, t - 1, 0], [b, 1, a]).dataSync()),
        );
        expect(Array.from(last.values.dataSync())).toEqual(
          Array.from(tf.slice(part.values, [0, t - 1], [b, 1]).dataSync()),
        );
      }
    });
    model.dispose();
  });

  it('refuses t > 1 without leader actions', () => {
    const model = smallModel();
    tf.tidy(() => {
      const encoded = model.encode(tf.zeros([1, 4, 5]), null);
      expect(() => model.decode(encoded, null, 2)).toThrow(/t = 2 needs the actions of 1 leaders/);
    });
    model.dispose();
  });
});

describe('ITB (docs/spec/steer.md §a.2 rows 1–5, §a.4)', () => {
  it('has no positional information: agents with identical observations get identical tokens', () => {
    const model = smallModel({ numAgents: 3 });
    randomizeWeights(model, 8);
    const row = gaussian(5, Rng.fromSeed(1));
    const obs = new Float32Array(3 * 5);
    for (let j = 0; j < 3; j++) obs.set(row, j * 5);
    const encoded = tf.tidy(() => model.encode(tf.tensor(obs, [1, 3, 5]), null).arraySync() as number[][][]);
    expect(encoded[0]![1]).toEqual(encoded[0]![2]);
    expect(encoded[0]![2]).toEqual(encoded[0]![3]);
    expect(encoded[0]![0]).not.toEqual(encoded[0]![1]); // the state token is a different input
    model.dispose();
  });

  it("mixes all agents (full attention): agent 2's observation reaches agent 0's and the state token", () => {
    const model = smallModel({ numAgents: 3 });
    randomizeWeights(model, 9);
    const rng = Rng.fromSeed(2);
    const obs = gaussian(3 * 5, rng);
    const changed = Float32Array.from(obs);
    changed[12]! += 1; // one entry: a shift of the whole row would vanish in the obs LayerNorm
    const [base, after] = [obs, changed].map(
      (x) => tf.tidy(() => model.encode(tf.tensor(x, [1, 3, 5]), null).arraySync()) as number[][][],
    );
    for (const token of [0, 1, 2])
      expect(maxAbsDiff(after![0]![token]!, base![0]![token]!)).toBeGreaterThan(1e-4);
    model.dispose();
  });

  it("uses agent 0's state copy through the state encoder without the token, and ignores the state with it", () => {
    const withEncoder = smallModel({ numAgents: 2, useStateToken: false });
    randomizeWeights(withEncoder, 4);
    expect(withEncoder.params.entries().some(([name]) => name === 'stateToken')).toBe(false);
    const rng = Rng.fromSeed(3);
    const obs = gaussian(2 * 5, rng);
    const s1 = gaussian(7, rng);
    const s2 = gaussian(7, rng);
    const enc = (m: SteerModel, state: Float32Array | null) =>
      tf.tidy(() =>
        Array.from(m.encode(tf.tensor(obs, [1, 2, 5]), state ? tf.tensor(state, [1, 7]) : null).dataSync()),
      );
    expect(enc(withEncoder, s1)).not.toEqual(enc(withEncoder, s2));
    expect(() => enc(withEncoder, null)).toThrow(/no state was given/);
    const withToken = smallModel({ numAgents: 2 });
    expect(enc(withToken, s1)).toEqual(enc(withToken, s2));
    expect(enc(withToken, s1)).toEqual(enc(withToken, null));
    withEncoder.dispose();
    withToken.dispose();
  });

  it('refuses an embedding width not divisible by the heads, naming both', () => {
    expect(() => smallModel({ embedDim: 10, numHeads: 3 })).toThrow(
      /embedDim 10 is not divisible by numHeads 3/,
    );
  });
});
