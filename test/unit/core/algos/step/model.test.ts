/**
 * STEP network (docs/algos/step.md): parameter names and shapes; what sets it apart from STEER (no
 * attention, no action input: the leaders' actions and the level reach the policy only through
 * the weights the shared hypernetwork generates); the un-materialised forward pass against a plain
 * per-row MLP with the generated weights; the initialisation.
 */
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { STEP_HYPER_DIM, type StepModel } from '../../../../../src/core/algos/step/model.js';
import * as tf from '../../../../../src/core/nn/tf.js';
import { Rng } from '../../../../../src/core/rng.js';
import {
  agentSlice,
  CONTINUOUS,
  fillParam,
  gaussian,
  headsFlat,
  maxAbsDiff,
  randomizeWeights,
  smallModel,
} from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function shapes(model: StepModel): [string, number[]][] {
  return model.params.entries().map(([name, v]) => [name, v.shape]);
}

function values(model: StepModel, name: string): Float32Array {
  return model.params.get(name).dataSync() as Float32Array;
}

describe('StepModel parameters', () => {
  it('names and shapes: encoder, hypernetwork (trunk, base + fromCondition per generated tensor), critic', () => {
    // n 3, O 5, S 7, A 4, D 16, 2 generated hidden layers, K 4: input 12, condition 3 + 2·4 = 11
    const model = smallModel();
    const generated = (name: string, shape: number[]): [string, number[]][] => [
      [`hyper.${name}.base`, shape],
      [`hyper.${name}.fromCondition`, [4, shape.reduce((x, y) => x * y, 1)]],
    ];
    expect(shapes(model)).toEqual([
      ['inputNorm.gamma', [12]],
      ['inputNorm.beta', [12]],
      ['encoder.weight', [12, 16]],
      ['encoder.bias', [16]],
      ['hyper.trunk.weight', [11, 4]],
      ['hyper.trunk.bias', [4]],
      ...generated('hidden.0.weight', [16, 16]),
      ...generated('hidden.0.bias', [16]),
      ...generated('hidden.1.weight', [16, 16]),
      ...generated('hidden.1.bias', [16]),
      ...generated('out.weight', [16, 4]),
      ...generated('out.bias', [4]),
      ['critic.ln.gamma', [23]],
      ['critic.ln.beta', [23]],
      ['critic.fc1.weight', [23, 16]],
      ['critic.fc1.bias', [16]],
      ['critic.fc2.weight', [16, 16]],
      ['critic.fc2.bias', [16]],
      ['critic.out.weight', [16, 1]],
      ['critic.out.bias', [1]],
    ]);
    const θ = 2 * (16 * 16 + 16) + 16 * 4 + 4; // one level's generated MLP
    const encoder = 2 * 12 + 12 * 16 + 16;
    const critic = 2 * 23 + 23 * 16 + 16 + 16 * 16 + 16 + 16 + 1;
    expect(model.parameterCount()).toBe(encoder + 11 * 4 + 4 + θ * (1 + 4) + critic);
    model.dispose();
  });

  it('continuous actions add one state-independent log-std per dimension: ρ = 1, std = 0.5·sigmoid(1)', () => {
    const model = smallModel({ actionSpace: CONTINUOUS });
    expect(shapes(model).at(-1)).toEqual(['logStd', [2]]);
    expect(Array.from(values(model, 'logStd'))).toEqual([1, 1]);
    const std = 0.5 / (1 + Math.exp(-1));
    expect(
      maxAbsDiff(
        tf.tidy(() => model.actionStd().dataSync()),
        [std, std],
      ),
    ).toBeLessThan(1e-6);
    model.dispose();
  });

  it('is no transformer: no attention, position, token or action-encoder weights (STEER has all four)', () => {
    const model = smallModel({ numLayers: 3, embedDim: 32 });
    for (const [name] of shapes(model)) {
      expect(name).not.toMatch(/attn|attention|itb|otb|position|token|actionEncoder|query|key|value/i);
    }
    model.dispose();
  });

  it('one set of policy weights serves any number of agents: only the condition widths grow with n', () => {
    const two = smallModel({ numAgents: 2 });
    const six = smallModel({ numAgents: 6 });
    const grown = new Set(['hyper.trunk.weight', 'critic.ln.gamma', 'critic.ln.beta', 'critic.fc1.weight']);
    const kept = (model: StepModel) => shapes(model).filter(([name]) => !grown.has(name));
    expect(kept(six)).toEqual(kept(two));
    expect(two.conditionDim).toBe(2 + 1 * 4);
    expect(six.conditionDim).toBe(6 + 5 * 4);
    two.dispose();
    six.dispose();
  });

  it('the network config uses STEP_HYPER_DIM = 8 for the hypernetwork code (docs/algos/step.md)', () => {
    expect(STEP_HYPER_DIM).toBe(8);
  });

  it('initialises every level near the uniform policy (|logit| < 0.05) and is a function of the seed', () => {
    const [a, b, c] = [smallModel({}, 3), smallModel({}, 3), smallModel({}, 4)];
    const rng = Rng.fromSeed(2);
    const input = { batch: 4, obs: gaussian(4 * 3 * 5, rng), state: gaussian(4 * 7, rng), avail: null };
    const actions = Array.from({ length: 12 }, (_, k) => k % 4);
    const logits = headsFlat(a, input, actions).actor;
    expect(Math.max(...Array.from(logits, Math.abs))).toBeLessThan(0.05);
    expect(headsFlat(b, input, actions).actor).toEqual(logits);
    expect(headsFlat(c, input, actions).actor).not.toEqual(logits);
    for (const m of [a, b, c]) m.dispose();
  });

  it('dispose frees every tensor it made', () => {
    const before = tf.memory().numTensors;
    smallModel({ actionSpace: CONTINUOUS }).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

/** LayerNorm of one row with PyTorch's ε, then γ, β. */
function layerNormRow(x: number[], gamma: Float32Array, beta: Float32Array): number[] {
  const mean = x.reduce((s, v) => s + v, 0) / x.length;
  const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length;
  return x.map((v, i) => ((v - mean) / Math.sqrt(variance + 1e-5)) * gamma[i]! + beta[i]!);
}

/** x·W + b for one row; W is the [in, out] matrix at `w[wOffset..]`, b the vector at `b[bOffset..]`. */
function denseRow(
  x: number[],
  w: ArrayLike<number>,
  wOffset: number,
  b: ArrayLike<number>,
  bOffset: number,
  outDim: number,
): number[] {
  const out = Array.from({ length: outDim }, (_, j) => b[bOffset + j]!);
  for (let i = 0; i < x.length; i++)
    for (let j = 0; j < outDim; j++) out[j]! += x[i]! * w[wOffset + i * outDim + j]!;
  return out;
}

const relu = (x: number[]) => x.map((u) => Math.max(u, 0));

/** One-hot conditions [R, C]: row r = level levels[r], leader slots from leaders[r] (action indices). */
function conditionRows(model: StepModel, levels: number[], leaders: number[][]): tf.Tensor {
  const { numAgents: n } = model.config;
  const a = model.actionDim;
  const c = model.conditionDim;
  const data = new Float32Array(levels.length * c);
  levels.forEach((j, r) => {
    data[r * c + j] = 1;
    for (let k = 0; k < j; k++) data[r * c + n + k * a + leaders[r]![k]!] = 1;
  });
  return tf.tensor(data, [levels.length, c]);
}

/** The generated tensors of `model` for the given rows, flat per name. */
function generated(model: StepModel, levels: number[], leaders: number[][]): Record<string, Float32Array> {
  return tf.tidy(() => {
    const θ = model.generateWeights(conditionRows(model, levels, leaders));
    return Object.fromEntries(Object.entries(θ).map(([name, t]) => [name, Float32Array.from(t.dataSync())]));
  });
}

describe('StepModel forward pass', () => {
  it('equals a plain per-row MLP whose weights are the generated θ(c) of that row', () => {
    const model = smallModel();
    randomizeWeights(model, 11);
    const rng = Rng.fromSeed(5);
    const [rows, inDim, d, a] = [6, 12, 16, 4];
    const x = gaussian(rows * inDim, rng);
    const levels = [0, 1, 2, 2, 1, 0];
    const leaders = [[], [3], [1, 2], [0, 0], [2], []];
    const θ = generated(model, levels, leaders);
    const logits = tf.tidy(() =>
      Float32Array.from(
        model.heads(tf.tensor(x, [rows, inDim]), conditionRows(model, levels, leaders)).actor.dataSync(),
      ),
    );
    const v = (name: string) => values(model, name);
    for (let r = 0; r < rows; r++) {
      const xr = Array.from(x.subarray(r * inDim, (r + 1) * inDim));
      let h = relu(
        denseRow(
          layerNormRow(xr, v('inputNorm.gamma'), v('inputNorm.beta')),
          v('encoder.weight'),
          0,
          v('encoder.bias'),
          0,
          d,
        ),
      );
      for (let l = 0; l < 2; l++) {
        h = relu(denseRow(h, θ[`hidden.${l}.weight`]!, r * d * d, θ[`hidden.${l}.bias`]!, r * d, d));
      }
      const expected = denseRow(h, θ['out.weight']!, r * d * a, θ['out.bias']!, r * a, a);
      expect(maxAbsDiff(logits.subarray(r * a, (r + 1) * a), expected)).toBeLessThan(1e-4);
    }
    model.dispose();
  });

  it('θ(c) = base + z(c)·fromCondition: each leader action and each level gets its own weights', () => {
    const model = smallModel();
    randomizeWeights(model, 12);
    // the same level 2 under leaders (0, 1) and (0, 2); level 1 vs level 2 under the same leader 0
    const θ = generated(model, [2, 2, 1, 2], [[0, 1], [0, 2], [0], [0, 1]]);
    const size = 16 * 16;
    for (const name of ['hidden.0.weight', 'hidden.1.weight']) {
      const w = θ[name]!;
      expect(maxAbsDiff(w.subarray(0, size), w.subarray(size, 2 * size))).toBeGreaterThan(1e-3);
      expect(maxAbsDiff(w.subarray(2 * size, 3 * size), w.subarray(3 * size, 4 * size))).toBeGreaterThan(
        1e-3,
      );
      expect(w.subarray(3 * size, 4 * size)).toEqual(w.subarray(0, size)); // same condition, same weights
    }
    model.dispose();
  });

  it('the leaders’ actions and the level reach the policy only through the generated weights', () => {
    const model = smallModel();
    randomizeWeights(model, 13);
    const rng = Rng.fromSeed(6);
    const input = { batch: 2, obs: gaussian(2 * 3 * 5, rng), state: gaussian(2 * 7, rng), avail: null };
    // every env's agents see the same observation, so rows differ only by level and leaders' actions
    input.obs.set(input.obs.subarray(0, 5), 5);
    input.obs.set(input.obs.subarray(0, 5), 10);
    input.obs.set(input.obs.subarray(15, 20), 20);
    input.obs.set(input.obs.subarray(15, 20), 25);
    const joint = [0, 1, 2, 3, 3, 3];
    const before = headsFlat(model, input, joint);
    const changed = headsFlat(model, input, [2, 0, 2, 1, 0, 3]);
    expect(
      maxAbsDiff(agentSlice(before.actor, 0, 1, 3, 4), agentSlice(changed.actor, 0, 1, 3, 4)),
    ).toBeGreaterThan(1e-3);
    for (const [name] of model.params.entries()) {
      if (name.endsWith('.fromCondition')) fillParam(model, name, 0);
    }
    const plain = headsFlat(model, input, joint);
    const plainChanged = headsFlat(model, input, [2, 0, 2, 1, 0, 3]);
    expect(plainChanged.actor).toEqual(plain.actor);
    for (let e = 0; e < 2; e++) {
      for (let j = 1; j < 3; j++) {
        expect(agentSlice(plain.actor, e, j, 3, 4)).toEqual(agentSlice(plain.actor, e, 0, 3, 4));
      }
    }
    // the critic still reads the condition: V_j(s, a_<j) differs across levels and leaders' actions
    expect(maxAbsDiff(plainChanged.values, plain.values)).toBeGreaterThan(1e-4);
    model.dispose();
  });
});
