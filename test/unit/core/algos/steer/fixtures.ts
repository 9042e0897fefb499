/** Shared helpers for the STEER model, policy and trainer tests (not a test file itself). */
import { SteerModel, type SteerModelConfig } from '../../../../../src/core/algos/steer/model.js';
import * as tf from '../../../../../src/core/nn/tf.js';
import { Rng } from '../../../../../src/core/rng.js';

/** A small STEER model (D = 16, 2 heads) for fast structural tests; override any field. */
export function smallModel(overrides: Partial<SteerModelConfig> = {}, seed = 1): SteerModel {
  return new SteerModel(
    {
      numAgents: 4,
      obsDim: 5,
      stateDim: 7,
      actionSpace: { kind: 'discrete', n: 3 },
      embedDim: 16,
      numHeads: 2,
      numBlocks: 1,
      useStateToken: true,
      ...overrides,
    },
    seed,
  );
}

/**
 * Replaces every parameter with generic random values (unit-gain weights, non-trivial norms and
 * biases). At initialisation the 0.01 gains make every block nearly the identity (docs/spec/steer.md §a.3), so
 * "something downstream changes" is easier to see, and "nothing upstream changes" is tested on a
 * network with no special structure.
 */
export function randomizeWeights(model: SteerModel, seed: number): void {
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

/** Rows of a [B, n, A] one-hot tensor for integer actions [B, n]. */
export function oneHotRows(actions: ArrayLike<number>, width: number): Float32Array {
  const out = new Float32Array(actions.length * width);
  for (let i = 0; i < actions.length; i++) out[i * width + actions[i]!] = 1;
  return out;
}

/** Max |a − b| over two equal-length arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
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
