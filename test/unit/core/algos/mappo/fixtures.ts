/** Shared helpers for the MAPPO network, policy and trainer tests (not a test file itself). */
import { MappoNetwork, type MappoNetworkConfig } from '../../../../../src/core/algos/mappo/network.js';
import { MappoPolicy } from '../../../../../src/core/algos/mappo/policy.js';
import type { PolicyInput } from '../../../../../src/core/algos/marl.js';
import * as tf from '../../../../../src/core/nn/tf.js';
import { Rng } from '../../../../../src/core/rng.js';

/**
 * A small MAPPO network (3 agents, H = 16, 2 hidden-to-hidden layers, agent ids, critic on the
 * state); override any field.
 */
export function smallNetwork(overrides: Partial<MappoNetworkConfig> = {}, seed = 1): MappoNetwork {
  return new MappoNetwork(
    {
      numAgents: 3,
      obsDim: 5,
      stateDim: 7,
      actionSpace: { kind: 'discrete', n: 4 },
      embedDim: 16,
      numBlocks: 2,
      agentIdInput: true,
      criticInput: 'state',
      ...overrides,
    },
    seed,
  );
}

/** A policy over `smallNetwork(overrides)` with generic random weights (see randomizeWeights). */
export function randomPolicy(overrides: Partial<MappoNetworkConfig> = {}, seed = 1): MappoPolicy {
  const network = smallNetwork(overrides, seed);
  randomizeWeights(network, seed + 100);
  return new MappoPolicy(network);
}

/**
 * Replaces every parameter with generic random values (unit-gain weights, non-trivial norms and
 * biases): at initialisation the actor's 0.01 output gain makes every logit nearly 0, so "something
 * changes" is easier to see, and "nothing changes" is tested on a network with no special structure.
 */
export function randomizeWeights(network: MappoNetwork, seed: number): void {
  const rng = Rng.fromSeed(seed);
  for (const [name, v] of network.params.entries()) {
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

/** Random observations and states for `batch` environments. */
export function randomInput(
  network: MappoNetwork,
  batch: number,
  rng: Rng,
  avail: Uint8Array | null = null,
): PolicyInput {
  const { numAgents: n, obsDim: o, stateDim: s } = network.config;
  return { batch, obs: gaussian(batch * n * o, rng), state: gaussian(batch * s, rng), avail };
}

/** What `evaluate` gives, as flat arrays. */
export interface Evaluated {
  logProbs: Float32Array;
  entropy: Float32Array;
  values: Float32Array;
}

/** policy.evaluate on flat inputs; actions [B, n] indices or [B, n, A] raw vectors. */
export function evaluateFlat(policy: MappoPolicy, input: PolicyInput, actions: ArrayLike<number>): Evaluated {
  const { numAgents: n, obsDim: o, stateDim: s, actionSpace } = policy.model.config;
  const a = policy.model.actionDim;
  const b = input.batch;
  return tf.tidy(() => {
    const out = policy.evaluate(
      tf.tensor(input.obs, [b, n, o]),
      input.state ? tf.tensor(input.state, [b, s]) : null,
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

/** The actor's raw outputs (logits or means) [B, n, A] on observations [B, n, O], flat. */
export function actorOutputs(network: MappoNetwork, obs: Float32Array, batch: number): Float32Array {
  const { numAgents: n, obsDim: o } = network.config;
  return tf.tidy(() => Float32Array.from(network.actor(tf.tensor(obs, [batch, n, o])).dataSync()));
}

/** The critic's values [B, n] on states [B, S], flat. */
export function criticValues(network: MappoNetwork, state: Float32Array, batch: number): Float32Array {
  const s = network.config.stateDim;
  return tf.tidy(() => Float32Array.from(network.critic(tf.tensor(state, [batch, s])).dataSync()));
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
