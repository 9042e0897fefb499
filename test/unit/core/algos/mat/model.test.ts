/**
 * MAT network (docs/algos/mat.md): parameter names, shapes and count; the start token and shifted
 * actions; and the two mechanisms that set MAT apart: the critic is the encoder's alone (its values
 * ignore every action and take no gradient through decoder parameters), and the decoder is causal
 * (agent j's output depends on the leaders' actions a_0..a_{j−1}, never on a_j or later ones).
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { MatModel, type MatModelConfig } from '../../../../../src/core/algos/mat/index.js';
import * as tf from '../../../../../src/core/nn/tf.js';
import { Rng } from '../../../../../src/core/rng.js';
import {
  actionTensor,
  agentSlice,
  CONTINUOUS,
  decoderOutputs,
  gaussian,
  maxAbsDiff,
  randomActions,
  randomizeWeights,
  smallModel,
} from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function shapes(model: MatModel): [string, number[]][] {
  return model.params.entries().map(([name, v]) => [name, v.shape]);
}

/** Parameters of one attention (key, query, value, proj: D → D with bias). */
const attn = (prefix: string, d: number): [string, number[]][] =>
  ['key', 'query', 'value', 'proj'].flatMap((p): [string, number[]][] => [
    [`${prefix}.${p}.weight`, [d, d]],
    [`${prefix}.${p}.bias`, [d]],
  ]);
const norm = (prefix: string, dim: number): [string, number[]][] => [
  [`${prefix}.gamma`, [dim]],
  [`${prefix}.beta`, [dim]],
];
const dense = (prefix: string, i: number, o: number): [string, number[]][] => [
  [`${prefix}.weight`, [i, o]],
  [`${prefix}.bias`, [o]],
];
const head = (prefix: string, d: number, out: number): [string, number[]][] => [
  ...dense(`${prefix}.fc1`, d, d),
  ...norm(`${prefix}.ln`, d),
  ...dense(`${prefix}.fc2`, d, out),
];

describe('MatModel parameters', () => {
  it('names and shapes: encoder (obs encoder, L unmasked blocks, value head), decoder (action encoder, L blocks of self- and cross-attention, actor head)', () => {
    const d = 16;
    const model = smallModel({ numBlocks: 2 }); // n 4, O 5, A 3
    const encoderBlock = (l: number): [string, number[]][] => [
      ...attn(`encoder.blocks.${l}.attn`, d),
      ...norm(`encoder.blocks.${l}.ln1`, d),
      ...dense(`encoder.blocks.${l}.mlp.fc1`, d, d),
      ...dense(`encoder.blocks.${l}.mlp.fc2`, d, d),
      ...norm(`encoder.blocks.${l}.ln2`, d),
    ];
    const decoderBlock = (l: number): [string, number[]][] => [
      ...attn(`decoder.blocks.${l}.selfAttn`, d),
      ...norm(`decoder.blocks.${l}.ln1`, d),
      ...attn(`decoder.blocks.${l}.crossAttn`, d),
      ...norm(`decoder.blocks.${l}.ln2`, d),
      ...dense(`decoder.blocks.${l}.mlp.fc1`, d, d),
      ...dense(`decoder.blocks.${l}.mlp.fc2`, d, d),
      ...norm(`decoder.blocks.${l}.ln3`, d),
    ];
    expect(shapes(model)).toEqual([
      ...norm('encoder.obsEncoder.ln', 5),
      ...dense('encoder.obsEncoder.linear', 5, d),
      ...norm('encoder.ln', d),
      ...encoderBlock(0),
      ...encoderBlock(1),
      ...head('encoder.valueHead', d, 1),
      ['decoder.actionEncoder.weight', [4, d]], // A + 1 columns (start flag, one-hot), no bias
      ...norm('decoder.ln', d),
      ...decoderBlock(0),
      ...decoderBlock(1),
      ...head('decoder.actorHead', d, 3),
    ]);
    model.dispose();
  });

  it('parameter count: the formula of docs/algos/mat.md for D = 64, one block, on Penalty’s shapes (O 1, A 3)', () => {
    const config: MatModelConfig = {
      network: 'mat',
      numAgents: 2,
      obsDim: 1,
      stateDim: 2,
      actionSpace: { kind: 'discrete', n: 3 },
      embedDim: 64,
      numHeads: 1,
      numBlocks: 1,
    };
    const model = new MatModel(config, 1);
    const d = 64;
    const lin = d * d + d;
    const encoder = 2 * 1 + (1 * d + d) + 2 * d + (4 * lin + 2 * d + 2 * lin + 2 * d) + (lin + 2 * d + d + 1);
    const decoder = 4 * d + 2 * d + (8 * lin + 3 * 2 * d + 2 * lin) + (lin + 2 * d + d * 3 + 3);
    expect(model.parameterCount()).toBe(encoder + decoder);
    expect(model.parameterCount()).toBe(76_678); // the figure docs/algos/mat.md quotes
    model.dispose();
  });

  it('continuous actions: an action encoder with bias over raw actions (A wide) and ρ = 1 per dimension (std 0.5·sigmoid(1))', () => {
    const model = smallModel({ actionSpace: CONTINUOUS });
    const names = new Map(shapes(model));
    expect(names.get('decoder.actionEncoder.weight')).toEqual([2, 16]);
    expect(names.get('decoder.actionEncoder.bias')).toEqual([16]);
    expect(names.get('decoder.actorHead.fc2.weight')).toEqual([16, 2]);
    expect(Array.from(model.params.get('decoder.logStd').dataSync())).toEqual([1, 1]);
    const std = tf.tidy(() => Array.from(model.actionStd().dataSync()));
    for (const s of std) expect(s).toBeCloseTo(0.5 / (1 + Math.exp(-1)), 6);
    model.dispose();
  });

  it('initialisation: the same seed gives the same weights, another seed others; biases 0, norms (1, 0)', () => {
    const a = smallModel({}, 3);
    const b = smallModel({}, 3);
    const c = smallModel({}, 4);
    const w = (m: MatModel) => m.params.entries().map(([, v]) => Array.from(v.dataSync()));
    expect(w(b)).toEqual(w(a));
    expect(w(c)).not.toEqual(w(a));
    for (const [name, v] of a.params.entries()) {
      const values = Array.from(v.dataSync());
      if (name.endsWith('.bias') || name.endsWith('.beta'))
        expect(new Set(values), name).toEqual(new Set([0]));
      if (name.endsWith('.gamma')) expect(new Set(values), name).toEqual(new Set([1]));
    }
    for (const m of [a, b, c]) m.dispose();
  });

  it('refuses heads that do not divide the width, naming both numbers', () => {
    expect(() => smallModel({ embedDim: 16, numHeads: 3 })).toThrow(
      /embedDim 16 is not divisible by numHeads 3/,
    );
  });
});

describe('the decoder’s input: the start token, then the leaders’ actions (transformer_act.py)', () => {
  it('discrete: row 0 = (1, 0, 0, 0); row k = (0, one-hot(a_{k−1})); the last agent’s action is not fed', () => {
    const model = smallModel(); // n 4, A 3
    const shifted = tf.tidy(() =>
      Array.from(model.shiftedActions(actionTensor(model, 2, [2, 0, 1, 2, 1, 1, 0, 0])).dataSync()),
    );
    // biome-ignore format: one row per line
    expect(shifted).toEqual([
      1, 0, 0, 0,   0, 0, 0, 1,   0, 1, 0, 0,   0, 0, 1, 0,
      1, 0, 0, 0,   0, 0, 1, 0,   0, 0, 1, 0,   0, 1, 0, 0,
    ]);
    model.dispose();
  });

  it('continuous: row 0 is zeros, row k is a_{k−1}', () => {
    const model = smallModel({ numAgents: 3, actionSpace: CONTINUOUS });
    const shifted = tf.tidy(() =>
      Array.from(model.shiftedActions(actionTensor(model, 1, [0.5, -1, 2, 3, 7, 7])).dataSync()),
    );
    expect(shifted).toEqual([0, 0, 0.5, -1, 2, 3]);
    model.dispose();
  });
});

describe('the critic is the encoder’s alone (paper: values from the encoder’s representations)', () => {
  it('values do not change when every agent’s action changes, while every follower’s decoder output does', () => {
    const model = smallModel();
    randomizeWeights(model, 7);
    const rng = Rng.fromSeed(11);
    const b = 6;
    const obs = gaussian(b * 4 * 5, rng);
    const first = randomActions(model, b, rng);
    const second = first.map((x) => (x + 1) % 3); // every action differs
    const run = (actions: Float32Array) =>
      tf.tidy(() => {
        const obsT = tf.tensor(obs, [b, 4, 5]);
        const { rep, values } = model.encode(obsT);
        const out = model.decode(rep, model.shiftedActions(actionTensor(model, b, actions)), 4);
        return { values: Array.from(values.dataSync()), out: Array.from(out.dataSync()) };
      });
    const a = run(first);
    const c = run(second);
    expect(c.values).toEqual(a.values);
    // agents 1..3 read a changed leader action; agent 0 reads only the start token
    for (let j = 1; j < 4; j++)
      expect(maxAbsDiff(agentSlice(a.out, 0, j, 4, 3), agentSlice(c.out, 0, j, 4, 3))).toBeGreaterThan(1e-3);
    model.dispose();
  });

  it('the value loss’s gradient reaches the encoder and none of the decoder; the actor loss’s reaches the decoder and the shared encoder, never the value head', () => {
    const model = smallModel();
    randomizeWeights(model, 5);
    const rng = Rng.fromSeed(2);
    const b = 4;
    const obs = tf.tensor(gaussian(b * 4 * 5, rng), [b, 4, 5]);
    const actions = actionTensor(model, b, randomActions(model, b, rng));
    const weights = tf.tensor(gaussian(b * 4 * 3, rng), [b, 4, 3]);
    const named = model.params.entries();
    const gradNorms = (loss: () => tf.Scalar): Map<string, number> => {
      const { value, grads } = tf.variableGrads(
        loss,
        named.map(([, v]) => v),
      );
      const norms = new Map<string, number>();
      for (const [name, v] of named) {
        const g = grads[v.name];
        norms.set(name, g ? tf.tidy(() => tf.norm(g).dataSync()[0]!) : 0);
      }
      value.dispose();
      for (const g of Object.values(grads)) g.dispose();
      return norms;
    };
    const valueLoss = gradNorms(() => tf.sum(tf.square(model.encode(obs).values)) as tf.Scalar);
    const actorLoss = gradNorms(() => {
      const { rep } = model.encode(obs);
      const out = model.decode(rep, model.shiftedActions(actions), 4);
      return tf.sum(tf.mul(tf.logSoftmax(out), weights)) as tf.Scalar;
    });
    for (const [name] of named) {
      const fromValue = valueLoss.get(name)!;
      const fromActor = actorLoss.get(name)!;
      if (name.startsWith('decoder.')) {
        expect(fromValue, `value loss → ${name}`).toBe(0);
        expect(fromActor, `actor loss → ${name}`).toBeGreaterThan(0);
      } else if (name.startsWith('encoder.valueHead.')) {
        expect(fromValue, `value loss → ${name}`).toBeGreaterThan(0);
        expect(fromActor, `actor loss → ${name}`).toBe(0);
      } else {
        // the encoder trunk is shared: PPO trains it with both losses (one optimiser, as MAT's trainer)
        expect(fromValue, `value loss → ${name}`).toBeGreaterThan(0);
        expect(fromActor, `actor loss → ${name}`).toBeGreaterThan(0);
      }
    }
    tf.dispose([obs, actions, weights]);
    model.dispose();
  });
});

describe('the decoder is causal (masked self- and cross-attention)', () => {
  it.each([
    ['discrete', { kind: 'discrete', n: 3 }],
    ['continuous', CONTINUOUS],
  ] as const)(
    '%s: agent j’s output ignores the actions of agents ≥ j and changes with each earlier agent’s',
    (_, space) => {
      const n = 4;
      const model = smallModel({ numAgents: n, actionSpace: space });
      randomizeWeights(model, 9);
      const a = model.actionDim;
      const width = space.kind === 'discrete' ? 1 : a;
      const rng = Rng.fromSeed(3);
      const b = 5;
      const obs = gaussian(b * n * 5, rng);
      const base = randomActions(model, b, rng);
      const reference = decoderOutputs(model, obs, b, base);
      for (let k = 0; k < n; k++) {
        // change agent k's action in every env
        const changed = Float32Array.from(base);
        for (let e = 0; e < b; e++) {
          for (let x = 0; x < width; x++) {
            const i = (e * n + k) * width + x;
            changed[i] = space.kind === 'discrete' ? (base[i]! + 1) % a : base[i]! + 1.5;
          }
        }
        const out = decoderOutputs(model, obs, b, changed);
        for (let e = 0; e < b; e++) {
          for (let j = 0; j < n; j++) {
            const diff = maxAbsDiff(agentSlice(out, e, j, n, a), agentSlice(reference, e, j, n, a));
            if (j <= k) expect(diff, `a_${k} changed: agent ${j}, env ${e}`).toBe(0);
            else expect(diff, `a_${k} changed: agent ${j}, env ${e}`).toBeGreaterThan(1e-4);
          }
        }
      }
      model.dispose();
    },
  );

  it('decoding the first t agents gives the same rows as decoding all n (what acting relies on)', () => {
    const model = smallModel();
    randomizeWeights(model, 4);
    const rng = Rng.fromSeed(8);
    const b = 3;
    const obs = tf.tensor(gaussian(b * 4 * 5, rng), [b, 4, 5]);
    const actions = actionTensor(model, b, randomActions(model, b, rng));
    tf.tidy(() => {
      const { rep } = model.encode(obs);
      const shifted = model.shiftedActions(actions);
      const full = model.decode(rep, shifted, 4);
      for (let t = 1; t <= 4; t++) {
        const part = model.decode(rep, tf.slice(shifted, [0, 0, 0], [b, t, 4]), t);
        expect(part.shape).toEqual([b, t, 3]);
        const rows = tf.slice(full, [0, 0, 0], [b, t, 3]);
        expect(maxAbsDiff(part.dataSync(), rows.dataSync()), `t = ${t}`).toBeLessThan(1e-6);
      }
    });
    tf.dispose([obs, actions]);
    model.dispose();
  });
});
