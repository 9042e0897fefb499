/**
 * STEER trained end to end with PPO on private per-agent rewards (docs/spec/steer.md §b).
 * One `iterate()` = one rollout of T steps in R environments + one PPO update. Reads top to bottom:
 * config and state → rollout → bootstrap → PPO update (ppoUpdate.ts: advantages → minibatch loop
 * (losses)) → metrics, then checkpoint state (trainerState.ts holds its format).
 * Buffers (src/core/algos/ppo/rolloutBuffer.ts) hold agents in env index order; the policy sees
 * them in each step's priority order.
 */

import type { EnvTransition, MultiAgentEnv } from '../../envs/types.js';
import { type VectorEnv, vectorOf } from '../../envs/vector.js';
import { Adam } from '../../nn/adam.js';
import { readTidy } from '../../nn/readTidy.js';
import * as tf from '../../nn/tf.js';
import { Rng } from '../../rng.js';
import { type TrainConfig, totalUpdates } from '../config.js';
import type { MarlNetwork, MarlPolicy } from '../marl.js';
import { algorithmNamed, type MarlAlgorithm, steerNetworkConfig } from '../registry.js';
import { type GradientWorkers, MIN_SHARD_ROWS, shardCount } from './gradientShards.js';
import { ppoUpdate } from './ppoUpdate.js';
import { type RolloutBatch, RolloutBuffer } from './rolloutBuffer.js';
import {
  checkModelConfig,
  exportTensors,
  importTensors,
  type NamedArray,
  type TrainerMeta,
} from './trainerState.js';
import { ValueNorm } from './valueNorm.js';

// The checkpoint types and the migration of old tensors live in trainerState.ts; importers of the
// trainer take them from here too.
export type { NamedArray, TrainerMeta } from './trainerState.js';

/** Scalars logged after each update; keys are stable and slash-namespaced. */
export type UpdateMetrics = Record<string, number>;

/** An episode that ended during a rollout. */
interface FinishedEpisode {
  /** Return of each agent (agent order). */
  returns: number[];
  /** Steps. */
  length: number;
  /** The env's scalar diagnostics at its last step. */
  info: Readonly<Record<string, number>>;
}

/** The STEER model configuration implied by an env and a training config. */
export const modelConfigFor = steerNetworkConfig;

export class Trainer {
  /** The algorithm trained (config.algo). */
  readonly algorithm: MarlAlgorithm;
  readonly model: MarlNetwork;
  readonly policy: MarlPolicy;
  readonly optimizer: Adam;
  readonly valueNorm = new ValueNorm();
  readonly updates: number;
  /**
   * Fewest joint samples in a gradient shard (MIN_SHARD_ROWS). Changes the numbers like
   * gradientShards does; only tests lower it, to shard tiny minibatches.
   */
  minShardRows = MIN_SHARD_ROWS;
  /** Completed PPO updates. */
  update = 0;
  /** Environment steps taken (all envs). */
  envSteps = 0;
  private rng: Rng;
  /** Helper threads for gradient shards, or null: every shard is computed on this thread. */
  private workers: GradientWorkers | null = null;
  /** The R environments, stepped together (one call per step for all of them). */
  private readonly envs: VectorEnv;
  private readonly n: number;
  /** Rollout storage, preallocated: [T(+1), R, n, …] in env agent order. */
  private readonly buffer: RolloutBuffer;
  // running episode statistics per env
  private episodeReturns: number[][];
  private episodeLengths: number[];
  private finished: FinishedEpisode[] = [];

  /**
   * `makeEnv` builds one environment; the trainer builds `config.numEnvs` of them, or, when
   * `makeVector` is given, asks it for all of them at once (envs whose copies live in other
   * processes, src/core/envs/vector.ts).
   */
  constructor(
    readonly envName: string,
    makeEnv: () => MultiAgentEnv,
    readonly config: TrainConfig,
    makeVector?: (count: number) => VectorEnv,
  ) {
    this.envs = makeVector
      ? makeVector(config.numEnvs)
      : vectorOf(Array.from({ length: config.numEnvs }, makeEnv));
    try {
      if (this.envs.size !== config.numEnvs) {
        throw new Error(`the env vector has ${this.envs.size} copies, the config asks for ${config.numEnvs}`);
      }
      this.algorithm = algorithmNamed(config.algo);
      const mc = this.algorithm.networkConfig(this.envs, config);
      this.policy = this.algorithm.makePolicy(mc, config.seed);
      this.model = this.policy.model;
      this.optimizer = new Adam(this.model.params.list(), {
        lr: config.lr,
        beta1: 0.9,
        beta2: 0.999,
        eps: config.adamEps,
      });
      this.updates = totalUpdates(config);
      this.rng = Rng.fromSeed(config.seed).fork('train');
      this.n = mc.numAgents;
      this.buffer = new RolloutBuffer({
        steps: config.episodeLength,
        envs: config.numEnvs,
        agents: mc.numAgents,
        obsDim: mc.obsDim,
        stateDim: mc.stateDim,
        actionDim: this.model.actionDim,
        actionWidth: this.policy.actionWidth,
        discrete: mc.actionSpace.kind === 'discrete',
      });
      this.episodeReturns = Array.from({ length: config.numEnvs }, () => new Array(this.n).fill(0));
      this.episodeLengths = new Array(config.numEnvs).fill(0);
      this.resetAll();
    } catch (error) {
      this.envs.close(); // copies in other processes (the Python bridge) must not outlive a failed start
      throw error;
    }
  }

  /** New episodes in every env (seeds drawn in env order), written to storage row 0. */
  private resetAll(): void {
    const indices = Array.from({ length: this.config.numEnvs }, (_, e) => e);
    const steps = this.envs.reset(
      indices,
      indices.map(() => this.envSeed()),
    );
    steps.forEach((step, e) => {
      this.buffer.writeStep(0, e, step);
    });
  }

  /** One rollout and one PPO update; returns the update's metrics. */
  iterate(): UpdateMetrics {
    const c = this.config;
    if (c.linearLrDecay) this.optimizer.config.lr = c.lr * (1 - this.update / this.updates);
    const started = performance.now();
    this.finished = [];
    this.collectRollout();
    const rolloutMs = performance.now() - started;
    const update = this.algorithm.update ?? ppoUpdate;
    const losses = update({
      config: c,
      buffer: this.buffer,
      policy: this.policy,
      optimizer: this.optimizer,
      valueNorm: this.valueNorm,
      rng: this.rng,
      workers: this.workers,
      minShardRows: this.minShardRows,
    });
    this.update += 1;
    this.envSteps += c.episodeLength * c.numEnvs;
    const elapsed = (performance.now() - started) / 1000;
    const metrics: UpdateMetrics = {
      update: this.update,
      envSteps: this.envSteps,
      ...losses,
      'perf/rolloutMs': rolloutMs,
      'perf/stepsPerS': (c.episodeLength * c.numEnvs) / elapsed,
      'train/lr': this.optimizer.config.lr,
    };
    if (this.finished.length > 0) addEpisodeMetrics(metrics, this.finished, this.n);
    // the last observation starts the next rollout (envs are not reset between updates, §b.1)
    this.buffer.copyRow(c.episodeLength, 0);
    return metrics;
  }

  // --- rollout (docs/spec/steer.md §b.1) ---
  private collectRollout(): void {
    const { episodeLength: steps, numEnvs: r } = this.config;
    const envActions = Array.from(
      { length: r },
      () => new Float64Array(this.n * this.buffer.shape.actionWidth),
    );
    for (let t = 0; t < steps; t++) {
      const out = this.policy.act(this.policyInput(t), false, this.rng);
      // policy rows are in priority order; storage and the env use agent order
      for (let e = 0; e < r; e++) this.buffer.storeActing(t * r + e, e, out, envActions[e]!);
      const transitions = this.envs.step(envActions);
      const ended: number[] = [];
      for (let e = 0; e < r; e++) {
        const tr = transitions[e]!;
        this.buffer.storeRewards(t * r + e, tr.rewards);
        if (this.afterStep(t, e, tr)) ended.push(e);
      }
      // envs whose episode ended start new ones, seeds drawn in env order
      if (ended.length > 0) {
        const starts = this.envs.reset(
          ended,
          ended.map(() => this.envSeed()),
        );
        ended.forEach((e, k) => {
          this.buffer.writeStep(t + 1, e, starts[k]!);
          this.buffer.storeMasks(t + 1, e, null);
        });
      }
    }
    // --- bootstrap values at step T (docs/spec/steer.md §a.8) ---
    const bootstrap = this.config.quirkStaleBootstrapActions
      ? this.teacherForcedValues(steps, steps - 1)
      : this.policy.act(this.policyInput(steps), false, this.rng).values;
    this.buffer.storeValues(steps, bootstrap);
  }

  /**
   * Env `e`'s step `t` done: its episode statistics, and row t + 1 unless the episode ended (true:
   * the caller starts a new one there).
   */
  private afterStep(t: number, e: number, tr: EnvTransition): boolean {
    const ret = this.episodeReturns[e]!;
    for (let j = 0; j < this.n; j++) ret[j] = ret[j]! + tr.rewards[j]!;
    this.episodeLengths[e] = this.episodeLengths[e]! + 1;
    if (tr.episodeDone) {
      this.finished.push({ returns: [...ret], length: this.episodeLengths[e]!, info: { ...tr.info } });
      ret.fill(0);
      this.episodeLengths[e] = 0;
      return true;
    }
    this.buffer.writeStep(t + 1, e, tr);
    this.buffer.storeMasks(t + 1, e, tr.dones);
    return false;
  }

  /**
   * Values at row `t` conditioned on the actions stored at row `actionRow` (the reference quirk),
   * [R, n] in priority order.
   */
  private teacherForcedValues(t: number, actionRow: number): Float32Array {
    const r = this.config.numEnvs;
    const idx = Int32Array.from({ length: r }, (_, e) => t * r + e);
    const actIdx = Int32Array.from({ length: r }, (_, e) => actionRow * r + e);
    const batch = this.buffer.gather(idx, actIdx);
    return readTidy(() => {
      const tensors = this.toTensors(batch, r);
      return this.policy.evaluate(tensors.obs, tensors.state, tensors.actions, tensors.avail).values;
    });
  }

  /**
   * Shards each minibatch's gradient is computed in (gradientShards, fewer for small minibatches;
   * 1 for an algorithm with its own update, which does not use shards).
   */
  get gradientShardCount(): number {
    // an algorithm with its own update (HAPPO) computes its gradients here, never in shards
    if (this.algorithm.update) return 1;
    const { episodeLength, numEnvs, numMinibatches, gradientShards } = this.config;
    const rows = Math.floor((episodeLength * numEnvs) / numMinibatches);
    return shardCount(rows, gradientShards, this.minShardRows);
  }

  /**
   * Computes part of every minibatch's gradients on `workers` from now on (the numbers do not
   * change: they depend on `gradientShards` only). The trainer disposes them with itself.
   */
  attachGradientWorkers(workers: GradientWorkers): void {
    this.workers?.dispose();
    this.workers = workers;
  }

  // --- helpers: storage ↔ policy order ---

  private toTensors(batch: RolloutBatch, b: number) {
    const { agents: n, obsDim: o, stateDim: s, actionWidth: w, actionDim: a, discrete } = this.buffer.shape;
    return {
      obs: tf.tensor(batch.obs, [b, n, o]),
      state: this.policy.readsState ? tf.tensor(batch.state, [b, s]) : null,
      actions: discrete ? tf.tensor(batch.actions, [b, n], 'int32') : tf.tensor(batch.actions, [b, n, w]),
      avail: batch.avail ? tf.cast(tf.tensor(batch.avail, [b, n, a], 'int32'), 'bool') : null,
    };
  }

  /** Policy input (priority order) for storage row t. */
  private policyInput(t: number) {
    const r = this.config.numEnvs;
    const idx = Int32Array.from({ length: r }, (_, e) => t * r + e);
    const batch = this.buffer.gather(idx, idx);
    return {
      batch: r,
      obs: batch.obs,
      state: this.policy.readsState ? batch.state : null,
      avail: batch.avail,
    };
  }

  private envSeed(): number {
    return this.rng.nextU32();
  }

  // --- checkpoints (the data's format: trainerState.ts) ---

  /** Plain data for a checkpoint: meta JSON and named float32 tensors. */
  exportState(): { meta: TrainerMeta; tensors: NamedArray[] } {
    const tensors = exportTensors(this.model, this.optimizer);
    return {
      meta: {
        config: this.config,
        envName: this.envName,
        modelConfig: this.model.config,
        update: this.update,
        envSteps: this.envSteps,
        rng: this.rng.state(),
        valueNorm: this.valueNorm.getState(),
        adamStep: this.optimizer.step,
        envSnapshots: this.envs.snapshot && this.envs.restore ? this.envs.snapshot() : null,
        episodeReturns: this.episodeReturns.map((r) => [...r]),
        episodeLengths: [...this.episodeLengths],
      },
      tensors,
    };
  }

  /** Restore from `exportState` data. Refuses a changed architecture, naming the field. */
  importState(meta: TrainerMeta, tensors: NamedArray[]): void {
    // the algorithm first: another algorithm's network differs in every key (runs from before
    // algorithms were named are STEER's)
    const savedAlgo = (meta.config as Partial<TrainConfig> | undefined)?.algo ?? 'steer';
    if (savedAlgo !== this.config.algo) {
      throw new Error(`checkpoint config.algo is "${savedAlgo}", but this run trains "${this.config.algo}"`);
    }
    checkModelConfig(this.model.config, meta.modelConfig);
    importTensors(this.model, this.optimizer, tensors);
    this.update = meta.update;
    this.envSteps = meta.envSteps;
    this.rng = Rng.fromState(meta.rng);
    this.valueNorm.setState(meta.valueNorm);
    this.optimizer.step = meta.adamStep;
    this.episodeReturns = meta.episodeReturns.map((r) => [...r]);
    this.episodeLengths = [...meta.episodeLengths];
    if (meta.envSnapshots && this.envs.restore) {
      this.envs.restore(meta.envSnapshots).forEach((step, e) => {
        this.buffer.writeStep(0, e, step);
      });
    } else {
      // envs without snapshots start new episodes: the continuation is valid but not bit-identical
      this.resetAll();
      for (const r of this.episodeReturns) r.fill(0);
      this.episodeLengths.fill(0);
    }
  }

  /** Free tensors, envs and gradient workers. */
  dispose(): void {
    this.workers?.dispose();
    this.workers = null;
    this.model.dispose();
    this.envs.close();
  }
}

/**
 * The episodes that ended in a rollout (at least one) as metrics: each agent's mean return and
 * their mean, the mean length, the count, and the env's scalar diagnostics at episode end.
 */
function addEpisodeMetrics(metrics: UpdateMetrics, finished: FinishedEpisode[], agents: number): void {
  let sum = 0;
  for (let j = 0; j < agents; j++) {
    const mean = finished.reduce((s, f) => s + f.returns[j]!, 0) / finished.length;
    metrics[`train/episodeReturn/agent${j}`] = mean;
    sum += mean;
  }
  metrics['train/episodeReturn'] = sum / agents;
  metrics['train/episodeLength'] = finished.reduce((s, f) => s + f.length, 0) / finished.length;
  metrics['train/episodes'] = finished.length;
  // the env's scalar diagnostics at episode end (e.g. HORM's crashedAny), averaged over episodes
  for (const key of Object.keys(finished[0]!.info)) {
    const values = finished.map((f) => f.info[key]).filter((v): v is number => Number.isFinite(v));
    if (values.length > 0)
      metrics[`train/episodeEnd/${key}`] = values.reduce((s, v) => s + v, 0) / values.length;
  }
}
