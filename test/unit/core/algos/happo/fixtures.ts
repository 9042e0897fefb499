/** Shared helpers for the HAPPO tests (not a test file itself). */

import { resolveTrainConfig, type TrainConfig } from '../../../../../src/core/algos/config.js';
import {
  HappoNetwork,
  type HappoNetworkConfig,
  HappoPolicy,
} from '../../../../../src/core/algos/happo/index.js';
import type { PpoUpdateContext } from '../../../../../src/core/algos/ppo/ppoUpdate.js';
import { RolloutBuffer } from '../../../../../src/core/algos/ppo/rolloutBuffer.js';
import { ValueNorm } from '../../../../../src/core/algos/ppo/valueNorm.js';
import type { ActionSpace } from '../../../../../src/core/envs/types.js';
import { Adam } from '../../../../../src/core/nn/adam.js';
import * as tf from '../../../../../src/core/nn/tf.js';
import { Rng } from '../../../../../src/core/rng.js';

/** A small HAPPO network (hidden width 8, 2 hidden layers = 1 + numBlocks, 3 agents, 4 actions); override any field. */
export function smallNetwork(overrides: Partial<HappoNetworkConfig> = {}, seed = 1): HappoNetwork {
  return new HappoNetwork(
    {
      numAgents: 3,
      obsDim: 5,
      stateDim: 7,
      actionSpace: { kind: 'discrete', n: 4 },
      embedDim: 8,
      numBlocks: 1,
      ...overrides,
    },
    seed,
  );
}

/** Options of a synthetic rollout. */
export interface SyntheticOptions {
  agents?: number;
  actionSpace?: ActionSpace;
  steps?: number;
  envs?: number;
  seed?: number;
  /** Each row's priority order: the identity, or a random permutation per row. */
  priorities?: 'identity' | 'shuffled';
  /** Hand `act` each row's agent order (what the trainer cannot do yet). */
  passOrder?: boolean;
  /** Some actions unavailable (discrete only): action 0 of agent 0 in every row. */
  masked?: boolean;
  /** Training-config overrides (sizes: embedDim 16, numBlocks 1 unless given). */
  config?: Partial<TrainConfig>;
}

/**
 * A PPO update context over a rollout of random observations, states and rewards (no env), acted
 * by a fresh HAPPO policy through the rollout buffer as the trainer does it: observations stored in
 * agent order, handed to `act` in each row's priority order (via `gather`), actions stored back in
 * agent order. Any number of agents; priorities may change from row to row.
 */
export function syntheticContext(o: SyntheticOptions = {}): PpoUpdateContext & { policy: HappoPolicy } {
  const n = o.agents ?? 3;
  const space = o.actionSpace ?? { kind: 'discrete', n: 3 };
  const [steps, envs, obsDim, stateDim] = [o.steps ?? 6, o.envs ?? 3, 4, 5];
  const config = resolveTrainConfig('matrix:penalty0', {
    algo: 'happo',
    seed: o.seed ?? 1,
    numEnvs: envs,
    episodeLength: steps,
    totalEnvSteps: steps * envs * 10,
    embedDim: 16,
    numBlocks: 1,
    ppoEpochs: 2,
    numMinibatches: 2,
    ...o.config,
  });
  const discrete = space.kind === 'discrete';
  const a = discrete ? space.n : space.dim;
  const policy = new HappoPolicy(
    new HappoNetwork(
      { numAgents: n, obsDim, stateDim, actionSpace: space, embedDim: 16, numBlocks: 1 },
      config.seed,
    ),
  );
  const w = policy.actionWidth;
  const buffer = new RolloutBuffer({
    steps,
    envs,
    agents: n,
    obsDim,
    stateDim,
    actionDim: a,
    actionWidth: w,
    discrete,
  });
  const data = Rng.fromSeed(1000 + (o.seed ?? 1));
  const rng = Rng.fromSeed(config.seed).fork('train');
  const write = (t: number) => {
    for (let e = 0; e < envs; e++) {
      const availActions = o.masked && discrete ? new Uint8Array(n * a).fill(1) : null;
      if (availActions) availActions[0] = 0;
      buffer.writeStep(t, e, {
        obs: Float32Array.from({ length: n * obsDim }, () => data.normal()),
        state: Float32Array.from({ length: stateDim }, () => data.normal()),
        availActions,
        active: new Uint8Array(n).fill(1),
        priority:
          o.priorities === 'shuffled' ? data.permutation(n) : Int32Array.from({ length: n }, (_, j) => j),
      });
    }
  };
  const act = (t: number) => {
    const idx = Int32Array.from({ length: envs }, (_, e) => t * envs + e);
    const batch = buffer.gather(idx, idx);
    const input = { batch: envs, obs: batch.obs, state: batch.state, avail: batch.avail };
    return policy.act(o.passOrder ? { ...input, order: batch.order } : input, false, rng);
  };
  write(0);
  const envActions = new Float64Array(n * w);
  for (let t = 0; t < steps; t++) {
    const out = act(t);
    for (let e = 0; e < envs; e++) {
      const row = t * envs + e;
      buffer.storeActing(row, e, out, envActions);
      buffer.storeRewards(
        row,
        Array.from({ length: n }, () => data.normal()),
      );
    }
    write(t + 1);
  }
  buffer.storeValues(steps, act(steps).values);
  const optimizer = new Adam(policy.model.params.list(), {
    lr: config.lr,
    beta1: 0.9,
    beta2: 0.999,
    eps: config.adamEps,
  });
  return {
    config,
    buffer,
    policy,
    optimizer,
    valueNorm: new ValueNorm(),
    rng,
    workers: null,
    minShardRows: 250,
  };
}

/** Every parameter's values by name. */
export function weights(network: HappoNetwork): Map<string, number[]> {
  return new Map(network.params.entries().map(([name, v]) => [name, Array.from(v.dataSync())]));
}

/** The names of the parameters whose values differ between two snapshots. */
export function changed(before: Map<string, number[]>, after: Map<string, number[]>): string[] {
  return [...before.keys()].filter((name) => before.get(name)!.some((x, i) => x !== after.get(name)![i]));
}

/** Values of a tensor made inside a tidy. */
export function values(f: () => tf.Tensor): number[] {
  return tf.tidy(() => Array.from(f().dataSync()));
}

/** Max |a − b| over two equal-length arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/**
 * Replaces every parameter with generic random values: at initialisation the 0.01 output gain makes
 * every actor nearly uniform, so "this actor, not that one" is easier to see on random weights.
 */
export function randomizeWeights(network: HappoNetwork, seed: number): void {
  const rng = Rng.fromSeed(seed);
  for (const [name, v] of network.params.entries()) {
    const scale = name.endsWith('.weight') ? 1.5 / Math.sqrt(v.shape[0]!) : 0.5;
    const centre = name.endsWith('.gamma') ? 1 : 0;
    const data = Float32Array.from({ length: v.size }, () => centre + scale * rng.normal());
    tf.tidy(() => v.assign(tf.tensor(data, v.shape)));
  }
}
