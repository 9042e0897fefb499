/** Shared helpers for the MAT model, policy and trainer tests (not a test file itself). */
import type { PolicyInput } from '../../../../../src/core/algos/marl.js';
import { MatModel, type MatModelConfig, MatPolicy } from '../../../../../src/core/algos/mat/index.js';
import type { ActionSpace } from '../../../../../src/core/envs/types.js';
import * as tf from '../../../../../src/core/nn/tf.js';
import { Rng } from '../../../../../src/core/rng.js';

/** Two continuous action dimensions in [−1, 1]. */
export const CONTINUOUS: ActionSpace = { kind: 'continuous', dim: 2, low: -1, high: 1 };

/** A small MAT model (4 agents, O 5, A 3, D 16, 2 heads, 1 block); override any field. */
export function smallModel(overrides: Partial<MatModelConfig> = {}, seed = 1): MatModel {
  return new MatModel(
    {
      network: 'mat',
      numAgents: 4,
      obsDim: 5,
      stateDim: 20,
      actionSpace: { kind: 'discrete', n: 3 },
      embedDim: 16,
      numHeads: 2,
      numBlocks: 1,
      ...overrides,
    },
    seed,
  );
}

/** A policy over `smallModel(overrides)` with generic random weights (see randomizeWeights). */
export function randomPolicy(overrides: Partial<MatModelConfig> = {}, seed = 1): MatPolicy {
  const model = smallModel(overrides, seed);
  randomizeWeights(model, seed + 100);
  return new MatPolicy(model);
}

/**
 * Replaces every parameter with generic random values (unit-gain weights, non-trivial norms and
 * biases). At initialisation the 0.01 gains of attention and output layers make every logit nearly
 * 0, so "something changes" is easier to see, and "nothing changes" is tested on a network with no
 * special structure.
 */
export function randomizeWeights(model: MatModel, seed: number): void {
  const rng = Rng.fromSeed(seed);
  for (const [name, v] of model.params.entries()) {
    const data = new Float32Array(v.size);
    const scale = v.shape.length === 2 && name.endsWith('.weight') ? 1 / Math.sqrt(v.shape[0]!) : 0.5;
    const centre = name.endsWith('.gamma') ? 1 : 0;
    for (let i = 0; i < data.length; i++) data[i] = centre + scale * rng.normal();
    tf.tidy(() => v.assign(tf.tensor(data, v.shape)));
  }
}

/** `count` standard-normal floats. */
export function gaussian(count: number, rng: Rng): Float32Array {
  return Float32Array.from({ length: count }, () => rng.normal());
}

/** Random observations (and a state MAT must ignore) for `batch` environments. */
export function randomInput(
  model: MatModel,
  batch: number,
  rng: Rng,
  avail: Uint8Array | null = null,
): PolicyInput {
  const { numAgents: n, obsDim: o, stateDim: s } = model.config;
  return { batch, obs: gaussian(batch * n * o, rng), state: gaussian(batch * s, rng), avail };
}

/** A random availability mask [B, n, A] with at least one available action per row. */
export function randomAvail(batch: number, n: number, a: number, rng: Rng): Uint8Array {
  const avail = new Uint8Array(batch * n * a);
  for (let row = 0; row < batch * n; row++) {
    for (let k = 0; k < a; k++) avail[row * a + k] = rng.uniform() < 0.6 ? 1 : 0;
    avail[row * a + rng.int(a)] = 1;
  }
  return avail;
}

/** Random joint actions [B, n] (indices) or [B, n, A] (Gaussian vectors). */
export function randomActions(model: MatModel, batch: number, rng: Rng): Float32Array {
  const { numAgents: n, actionSpace } = model.config;
  if (actionSpace.kind === 'continuous') return gaussian(batch * n * model.actionDim, rng);
  return Float32Array.from({ length: batch * n }, () => rng.int(model.actionDim));
}

/** Joint actions as the tensor `evaluate` takes: [B, n] int32 or [B, n, A] float. */
export function actionTensor(model: MatModel, batch: number, actions: ArrayLike<number>): tf.Tensor {
  const n = model.config.numAgents;
  return model.config.actionSpace.kind === 'discrete'
    ? tf.tensor(Array.from(actions), [batch, n], 'int32')
    : tf.tensor(Float32Array.from(actions), [batch, n, model.actionDim]);
}

/** What `evaluate` gives, as flat arrays. */
export interface Evaluated {
  logProbs: Float32Array;
  entropy: Float32Array;
  values: Float32Array;
}

/** policy.evaluate on flat inputs (the state passed as given: MAT must ignore it). */
export function evaluateFlat(policy: MatPolicy, input: PolicyInput, actions: ArrayLike<number>): Evaluated {
  const { numAgents: n, obsDim: o, stateDim: s } = policy.model.config;
  const a = policy.model.actionDim;
  const b = input.batch;
  return tf.tidy(() => {
    const out = policy.evaluate(
      tf.tensor(input.obs, [b, n, o]),
      input.state ? tf.tensor(input.state, [b, s]) : null,
      actionTensor(policy.model, b, actions),
      input.avail ? tf.cast(tf.tensor(input.avail, [b, n, a], 'int32'), 'bool') : null,
    );
    return {
      logProbs: Float32Array.from(out.logProbs.dataSync()),
      entropy: Float32Array.from(out.entropy.dataSync()),
      values: Float32Array.from(out.values.dataSync()),
    };
  });
}

/** The decoder's raw outputs (logits or means) [B, n, A], teacher-forced on `actions`, flat. */
export function decoderOutputs(
  model: MatModel,
  obs: Float32Array,
  batch: number,
  actions: ArrayLike<number>,
) {
  const { numAgents: n, obsDim: o } = model.config;
  return tf.tidy(() => {
    const { rep } = model.encode(tf.tensor(obs, [batch, n, o]));
    const shifted = model.shiftedActions(actionTensor(model, batch, actions));
    return Float32Array.from(model.decode(rep, shifted, n).dataSync());
  });
}

/** Elements [row, agent, 0..width) of a flat [B, n, width] array. */
export function agentSlice(
  x: ArrayLike<number>,
  row: number,
  agent: number,
  n: number,
  width: number,
): number[] {
  const start = (row * n + agent) * width;
  return Array.from({ length: width }, (_, k) => x[start + k]!);
}

/** Max |a − b| over two equal-length arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
