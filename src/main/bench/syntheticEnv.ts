/**
 * An env with the shapes of a benchmark and none of its work: seeded random observations in
 * [−1, 1], random rewards, an episode of fixed length. `steer bench` trains on it so that timing a
 * PPO update measures the model and the optimiser, not a simulator.
 */
import type { EnvSpec, EnvStep, EnvTransition, MultiAgentEnv } from '../../core/envs/types.js';
import { Rng } from '../../core/rng.js';

/** Sizes of a synthetic env. */
export interface SyntheticEnvShape {
  readonly numAgents: number;
  readonly obsDim: number;
  readonly numActions: number;
  /** Steps per episode. */
  readonly episodeLimit: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class SyntheticEnv implements MultiAgentEnv {
  readonly spec: EnvSpec;
  private readonly rng: Rng;
  private readonly current: Mutable<EnvTransition>;
  private readonly obs: Float32Array;
  private readonly rewards: Float64Array;
  private t = 0;

  constructor(name: string, shape: SyntheticEnvShape, seed: number) {
    const { numAgents: n, obsDim, numActions, episodeLimit } = shape;
    this.spec = {
      name,
      numAgents: n,
      obsDim,
      stateDim: 0, // the trainer then uses the concatenated observations
      actionSpace: { kind: 'discrete', n: numActions },
      episodeLimit,
    };
    this.rng = Rng.fromSeed(seed);
    this.obs = new Float32Array(n * obsDim);
    this.rewards = new Float64Array(n);
    this.current = {
      obs: this.obs,
      state: new Float32Array(0),
      availActions: null,
      active: new Uint8Array(n).fill(1),
      priority: Int32Array.from({ length: n }, (_, j) => j),
      rewards: this.rewards,
      dones: new Uint8Array(n),
      episodeDone: false,
      info: {},
    };
  }

  reset(_seed?: number): EnvStep {
    this.t = 0;
    this.fillObservation();
    return this.current;
  }

  step(_actions: ArrayLike<number>): EnvTransition {
    this.t += 1;
    this.fillObservation();
    for (let j = 0; j < this.rewards.length; j++) this.rewards[j] = this.rng.uniform() * 2 - 1;
    const done = this.t >= this.spec.episodeLimit;
    this.current.dones.fill(done ? 1 : 0);
    this.current.episodeDone = done;
    return this.current;
  }

  private fillObservation(): void {
    for (let i = 0; i < this.obs.length; i++) this.obs[i] = this.rng.uniform() * 2 - 1;
  }
}
