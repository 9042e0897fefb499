/** Shared helpers for the STEP model, policy and trainer tests (not a test file itself). */
import type { PolicyInput } from '../../../../../src/core/algos/marl.js';
import { StepModel, type StepModelConfig } from '../../../../../src/core/algos/step/model.js';
import { StepPolicy } from '../../../../../src/core/algos/step/policy.js';
import type { ActionSpace } from '../../../../../src/core/envs/types.js';
import * as tf from '../../../../../src/core/nn/tf.js';
import { Rng } from '../../../../../src/core/rng.js';

export const CONTINUOUS: ActionSpace = { kind: 'continuous', dim: 2, low: -1, high: 1 };

/** A small STEP model (3 agents, O 5, S 7, A 4, D 16, 2 generated hidden layers, K 4); override any field. */
export function smallModel(overrides: Partial<StepModelConfig> = {}, seed = 1): StepModel {
  return new StepModel(
    {
      numAgents: 3,
      obsDim: 5,
      stateDim: 7,
      actionSpace: { kind: 'discrete', n: 4 },
      embedDim: 16,
      numLayers: 2,
      hyperDim: 4,
      ...overrides,
    },
    seed,
  );
}

/** A policy over `smallModel(overrides)` with generic random weights (see randomizeWeights). */
export function randomPolicy(overrides: Partial<StepModelConfig> = {}, seed = 1): StepPolicy {
  const model = smallModel(overrides, seed);
  randomizeWeights(model, seed + 100);
  return new StepPolicy(model);
}

/**
 * Replaces every parameter with generic random values (unit-gain weights, non-trivial norms and
 * biases): at initialisation the 0.01 output gains make every logit nearly 0, so "something
 * changes" is easier to see, and "nothing changes" is tested on a network with no special structure.
 */
export function randomizeWeights(model: StepModel, seed: number): void {
  const rng = Rng.fromSeed(seed);
  for (const [name, v] of model.params.entries()) {
    const data = new Float32Array(v.size);
    // a generated tensor's condition part: z·F adds about as much as its base (unit gain over D inputs)
    const scale = name.endsWith('.fromCondition')
      ? 1 / Math.sqrt(v.shape[0]! * model.config.embedDim)
      : v.shape.length === 2
        ? 1 / Math.sqrt(v.shape[0]!)
        : 0.5;
    const centre = name.endsWith('.gamma') ? 1 : 0;
    for (let i = 0; i < data.length; i++) data[i] = centre + scale * rng.normal();
    tf.tidy(() => v.assign(tf.tensor(data, v.shape)));
  }
}

/** Sets the parameter `name` to `value` everywhere. */
export function fillParam(model: StepModel, name: string, value: number): void {
  const v = model.params.get(name);
  tf.tidy(() => v.assign(tf.fill(v.shape, value)));
}

/** `count` standard-normal floats. */
export function gaussian(count: number, rng: Rng): Float32Array {
  return Float32Array.from({ length: count }, () => rng.normal());
}

/** Random observations and states for `batch` environments. */
export function randomInput(
  model: StepModel,
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
    for (let k = 0; k < a; k++) avail[row * a + k] = rng.uniform() < 0.5 ? 1 : 0;
    avail[row * a + rng.int(a)] = 1;
  }
  return avail;
}

/** What `evaluate` gives, as flat arrays. */
export interface Evaluated {
  logProbs: Float32Array;
  entropy: Float32Array;
  values: Float32Array;
}

/** policy.evaluate on flat inputs; actions [B, n] indices or [B, n, A] raw vectors. */
export function evaluateFlat(policy: StepPolicy, input: PolicyInput, actions: ArrayLike<number>): Evaluated {
  const { numAgents: n, obsDim: o, stateDim: s, actionSpace } = policy.model.config;
  const a = policy.model.actionDim;
  const b = input.batch;
  return tf.tidy(() => {
    const out = policy.evaluate(
      tf.tensor(input.obs, [b, n, o]),
      tf.tensor(input.state!, [b, s]),
      actionSpace.kind === 'discrete'
        ? tf.tensor(Array.from(actions), [b, n], 'int32')
        : tf.tensor(Float32Array.from(actions), [b, n, a]),
      input.avail ? tf.cast(tf.tensor(input.avail, [b, n, a], 'int32'), 'bool') : null,
    );
    return {
      logProbs: Float32Array.from(out.logProbs.dataSync()),
      entropy: Float32Array.from(out.entropy.dataSync()),
      values: Float32Array.from(out.values.dataSync()),
    };
  });
}

/**
 * The actor's raw outputs [B, n, A] (unmasked logits or means) and values [B, n] for a stored joint
 * action, every level teacher-forced: actions [B, n] indices (discrete) or [B, n, A] vectors.
 */
export function headsFlat(
  model: StepModel,
  input: PolicyInput,
  actions: ArrayLike<number>,
): { actor: Float32Array; values: Float32Array } {
  const { numAgents: n, obsDim: o, stateDim: s, actionSpace } = model.config;
  const a = model.actionDim;
  const b = input.batch;
  return tf.tidy(() => {
    const vectors =
      actionSpace.kind === 'discrete'
        ? tf.oneHot(tf.tensor(Array.from(actions), [b, n], 'int32'), a)
        : tf.tensor(Float32Array.from(actions), [b, n, a]);
    const leaders = n > 1 ? tf.slice(vectors, [0, 0, 0], [b, n - 1, a]) : null;
    const conditions = tf.reshape(model.conditionsFrom(leaders, b), [b * n, model.conditionDim]);
    const x = tf.reshape(model.inputs(tf.tensor(input.obs, [b, n, o]), tf.tensor(input.state!, [b, s])), [
      b * n,
      model.inputDim,
    ]);
    const heads = model.heads(x, conditions);
    return {
      actor: Float32Array.from(heads.actor.dataSync()),
      values: Float32Array.from(heads.values.dataSync()),
    };
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
