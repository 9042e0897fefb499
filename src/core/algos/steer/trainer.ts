/**
 * STEER trained end to end with PPO on private per-agent rewards (docs/spec/steer.md §b).
 * One `iterate()` = one rollout of T steps in R environments + one PPO update. Reads top to bottom:
 * config and state → rollout → bootstrap → advantages → minibatch loop (losses) → metrics.
 * Buffers hold agents in env index order; the policy sees them in each step's priority order.
 */

import type { EnvStep, MultiAgentEnv } from '../../envs/types.js';
import { Adam } from '../../nn/adam.js';
import { GAIN_ACTIVATE } from '../../nn/init.js';
import * as tf from '../../nn/tf.js';
import { Rng, type RngState } from '../../rng.js';
import { normalizeAdvantages, scaleLeaderAdvantages } from '../ppo/advantages.js';
import { computeGae } from '../ppo/gae.js';
import { ValueNorm, type ValueNormState } from '../ppo/valueNorm.js';
import { type SteerTrainConfig, totalUpdates } from './config.js';
import {
  computeShard,
  flattenTensors,
  type GradientWorkers,
  type LossDenominators,
  lossDenominators,
  MIN_SHARD_ROWS,
  SHARD_STAT_KEYS,
  type ShardBatch,
  type ShardResult,
  shardBounds,
  shardCount,
  sliceShard,
} from './gradientShards.js';
import { SteerModel, type SteerModelConfig } from './model.js';
import { SteerPolicy } from './policy.js';

/** Scalars logged after each update; keys are stable and slash-namespaced. */
export type UpdateMetrics = Record<string, number>;

/** Everything a checkpoint needs besides the tensors. */
export interface TrainerMeta {
  config: SteerTrainConfig;
  envName: string;
  modelConfig: SteerModelConfig;
  update: number;
  envSteps: number;
  rng: RngState;
  valueNorm: ValueNormState;
  adamStep: number;
  envSnapshots: unknown[] | null;
  episodeReturns: number[][];
  episodeLengths: number[];
}

/** A named float32 tensor as plain data. */
export interface NamedArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** The model configuration implied by an env and a training config. */
export function modelConfigFor(env: MultiAgentEnv, c: SteerTrainConfig): SteerModelConfig {
  const s = env.spec;
  return {
    numAgents: s.numAgents,
    obsDim: s.obsDim,
    stateDim: s.stateDim > 0 ? s.stateDim : s.numAgents * s.obsDim,
    actionSpace: s.actionSpace,
    embedDim: c.embedDim,
    numHeads: c.numHeads,
    numBlocks: c.numBlocks,
    useStateToken: c.useStateToken,
    actionEncoderGain: c.actionEncoderGain,
  };
}

export class SteerTrainer {
  readonly model: SteerModel;
  readonly policy: SteerPolicy;
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
  private readonly envs: MultiAgentEnv[];
  private readonly n: number;
  private readonly obsDim: number;
  private readonly stateDim: number;
  private readonly actionDim: number;
  private readonly width: number;
  private readonly discrete: boolean;
  // --- rollout storage, preallocated: [T(+1), R, n, …] in env agent order ---
  private readonly obs: Float32Array;
  private readonly state: Float32Array;
  private readonly avail: Uint8Array;
  private hasAvail = false;
  private readonly active: Float32Array;
  private readonly priority: Int32Array;
  private readonly masks: Float32Array;
  private readonly actions: Float32Array;
  private readonly logProbs: Float32Array;
  private readonly values: Float32Array;
  private readonly rewards: Float32Array;
  // running episode statistics per env
  private episodeReturns: number[][];
  private episodeLengths: number[];
  private finished: { returns: number[]; length: number; info: Readonly<Record<string, number>> }[] = [];

  constructor(
    readonly envName: string,
    makeEnv: () => MultiAgentEnv,
    readonly config: SteerTrainConfig,
  ) {
    this.envs = Array.from({ length: config.numEnvs }, makeEnv);
    const env0 = this.envs[0]!;
    const mc = modelConfigFor(env0, config);
    this.model = new SteerModel(mc, config.seed);
    this.policy = new SteerPolicy(this.model);
    this.optimizer = new Adam(this.model.params.list(), {
      lr: config.lr,
      beta1: 0.9,
      beta2: 0.999,
      eps: config.adamEps,
    });
    this.updates = totalUpdates(config);
    this.rng = Rng.fromSeed(config.seed).fork('train');
    this.n = mc.numAgents;
    this.obsDim = mc.obsDim;
    this.stateDim = mc.stateDim;
    this.actionDim = this.model.actionDim;
    this.discrete = mc.actionSpace.kind === 'discrete';
    this.width = this.policy.actionWidth;
    const { episodeLength: t, numEnvs: r } = config;
    const rows = (t + 1) * r;
    this.obs = new Float32Array(rows * this.n * this.obsDim);
    this.state = new Float32Array(rows * this.stateDim);
    this.avail = new Uint8Array(this.discrete ? rows * this.n * this.actionDim : 0).fill(1);
    this.active = new Float32Array(rows * this.n).fill(1);
    this.priority = new Int32Array(rows * this.n);
    this.masks = new Float32Array(rows * this.n).fill(1);
    this.actions = new Float32Array(t * r * this.n * this.width);
    this.logProbs = new Float32Array(t * r * this.n * this.width);
    this.values = new Float32Array(rows * this.n);
    this.rewards = new Float32Array(t * r * this.n);
    this.episodeReturns = this.envs.map(() => new Array(this.n).fill(0));
    this.episodeLengths = this.envs.map(() => 0);
    this.envs.forEach((env, e) => {
      this.writeStep(0, e, env.reset(this.envSeed()));
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
    const losses = this.train();
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
    if (this.finished.length > 0) {
      let sum = 0;
      for (let j = 0; j < this.n; j++) {
        const mean = this.finished.reduce((s, f) => s + f.returns[j]!, 0) / this.finished.length;
        metrics[`train/episodeReturn/agent${j}`] = mean;
        sum += mean;
      }
      metrics['train/episodeReturn'] = sum / this.n;
      metrics['train/episodeLength'] = this.finished.reduce((s, f) => s + f.length, 0) / this.finished.length;
      metrics['train/episodes'] = this.finished.length;
      // the env's scalar diagnostics at episode end (e.g. HORM's crashedAny), averaged over episodes
      for (const key of Object.keys(this.finished[0]!.info)) {
        const values = this.finished.map((f) => f.info[key]).filter((v): v is number => Number.isFinite(v));
        if (values.length > 0)
          metrics[`train/episodeEnd/${key}`] = values.reduce((s, v) => s + v, 0) / values.length;
      }
    }
    // the last observation starts the next rollout (envs are not reset between updates, §b.1)
    this.copyRow(c.episodeLength, 0);
    return metrics;
  }

  // --- rollout (docs/spec/steer.md §b.1) ---
  private collectRollout(): void {
    const { episodeLength: steps, numEnvs: r } = this.config;
    const n = this.n;
    const envActions = new Float64Array(n * this.width);
    for (let t = 0; t < steps; t++) {
      const out = this.policy.act(this.policyInput(t), false, this.rng);
      for (let e = 0; e < r; e++) {
        const row = t * r + e;
        // policy rows are in priority order; storage and the env use agent order
        for (let p = 0; p < n; p++) {
          const agent = this.priority[row * n + p]!;
          const dst = row * n + agent;
          this.values[dst] = out.values[e * n + p]!;
          for (let k = 0; k < this.width; k++) {
            const a = out.actions[(e * n + p) * this.width + k]!;
            this.actions[dst * this.width + k] = a;
            this.logProbs[dst * this.width + k] = out.logProbs[(e * n + p) * this.width + k]!;
            envActions[agent * this.width + k] = a;
          }
        }
        const env = this.envs[e]!;
        const tr = env.step(envActions);
        const next = (t + 1) * r + e;
        const ret = this.episodeReturns[e]!;
        for (let j = 0; j < n; j++) {
          this.rewards[row * n + j] = tr.rewards[j]!;
          ret[j] = ret[j]! + tr.rewards[j]!;
        }
        this.episodeLengths[e] = this.episodeLengths[e]! + 1;
        if (tr.episodeDone) {
          this.finished.push({ returns: [...ret], length: this.episodeLengths[e]!, info: { ...tr.info } });
          ret.fill(0);
          this.episodeLengths[e] = 0;
          this.writeStep(t + 1, e, env.reset(this.envSeed()));
          for (let j = 0; j < n; j++) this.masks[next * n + j] = 0;
        } else {
          this.writeStep(t + 1, e, tr);
          for (let j = 0; j < n; j++) this.masks[next * n + j] = tr.dones[j] ? 0 : 1;
        }
      }
    }
    // --- bootstrap values at step T (docs/spec/steer.md §a.8) ---
    if (this.config.quirkStaleBootstrapActions) {
      const v = this.teacherForcedValues(steps, steps - 1);
      this.values.set(v, steps * r * n);
    } else {
      const out = this.policy.act(this.policyInput(steps), false, this.rng);
      for (let e = 0; e < r; e++) {
        const row = steps * r + e;
        for (let p = 0; p < n; p++)
          this.values[row * n + this.priority[row * n + p]!] = out.values[e * n + p]!;
      }
    }
  }

  /** Values at row `t` conditioned on the actions stored at row `actionRow` (the reference quirk). */
  private teacherForcedValues(t: number, actionRow: number): Float32Array {
    const r = this.config.numEnvs;
    const idx = Int32Array.from({ length: r }, (_, e) => t * r + e);
    const actIdx = Int32Array.from({ length: r }, (_, e) => actionRow * r + e);
    const batch = this.gather(idx, actIdx);
    const perPriority = tf.tidy(() => {
      const tensors = this.toTensors(batch, r);
      return this.policy
        .evaluate(tensors.obs, tensors.state, tensors.actions, tensors.avail)
        .values.dataSync();
    }) as Float32Array;
    const out = new Float32Array(r * this.n);
    for (let e = 0; e < r; e++) {
      for (let p = 0; p < this.n; p++)
        out[e * this.n + batch.order[e * this.n + p]!] = perPriority[e * this.n + p]!;
    }
    return out;
  }

  // --- PPO update (docs/spec/steer.md §b.3–b.8) ---
  private train(): UpdateMetrics {
    const c = this.config;
    const { episodeLength: steps, numEnvs: r } = c;
    const n = this.n;
    const lanes = r * n;
    // advantages: GAE per agent on private rewards, values denormalised (§b.3)
    const rawValues = new Float32Array(this.values.length);
    for (let i = 0; i < rawValues.length; i++) {
      rawValues[i] = c.useValueNorm ? this.valueNorm.denormalize(this.values[i]!) : this.values[i]!;
    }
    const { advantages, returns } = computeGae({
      steps,
      lanes,
      rewards: this.rewards,
      values: rawValues,
      masks: this.masks,
      gamma: c.gamma,
      lambda: c.gaeLambda,
    });
    // advantage normalisation over active entries (§b.5), then the leader's timescale
    normalizeAdvantages(advantages, this.active);
    scaleLeaderAdvantages(advantages, this.priority, n, c.leaderAdvantageScale);
    if (c.useValueNorm && !c.quirkValueNormPerMinibatch) this.valueNorm.update(returns);

    // --- minibatch loop: joint samples stay whole (§b.6) ---
    const samples = steps * r;
    const chunk = Math.floor(samples / c.numMinibatches);
    if (chunk < 1) throw new Error(`numMinibatches ${c.numMinibatches} exceeds the ${samples} joint samples`);
    const totals: Record<string, number> = {};
    let batches = 0;
    for (let epoch = 0; epoch < c.ppoEpochs; epoch++) {
      const perm = this.rng.permutation(samples);
      for (let m = 0; m < c.numMinibatches; m++) {
        const idx = perm.subarray(m * chunk, (m + 1) * chunk);
        const batch = this.gather(idx, idx, advantages, returns);
        if (c.useValueNorm && c.quirkValueNormPerMinibatch) this.valueNorm.update(batch.returns);
        const targets = new Float32Array(batch.returns.length);
        for (let i = 0; i < targets.length; i++) {
          targets[i] = c.useValueNorm ? this.valueNorm.normalize(batch.returns[i]!) : batch.returns[i]!;
        }
        const whole: ShardBatch = { ...batch, rows: chunk, state: this.stateIfEncoded(batch.state), targets };
        const v = this.step(whole, lossDenominators(batch.active, chunk, n, this.width, c));
        const keys = [...SHARD_STAT_KEYS, 'gradNorm'];
        keys.forEach((k, i) => {
          totals[`loss/${k}`] = (totals[`loss/${k}`] ?? 0) + v[i]!;
        });
        batches += 1;
      }
    }
    for (const k of Object.keys(totals)) totals[k] = totals[k]! / batches;
    return totals;
  }

  /**
   * One gradient step on a whole minibatch (§b.6–b.8): the shards' gradients (§b.7, computed here
   * and by the helper threads, if any), added in shard order, then the global-norm clip and Adam.
   * Returns the minibatch's stats [SHARD_STAT_KEYS…, gradNorm].
   */
  private step(whole: ShardBatch, denominators: LossDenominators): Float32Array {
    const c = this.config;
    const params = this.model.params.list();
    const bounds = shardBounds(whole.rows, shardCount(whole.rows, c.gradientShards, this.minShardRows));
    const shards = bounds
      .slice(1)
      .map((to, s) => (bounds.length === 2 ? whole : sliceShard(whole, bounds[s]!, to, this.model.config)));
    // --- helpers take shards 1..size, this thread shard 0 and any beyond the helpers ---
    const workers = this.workers;
    const remote = workers ? shards.slice(1, 1 + workers.size) : [];
    if (workers && remote.length > 0) {
      workers.post(
        remote.map((shard) => ({ shard, denominators })),
        flattenTensors(params),
      );
    }
    const stats = new Float32Array(SHARD_STAT_KEYS.length + 1);
    // this thread's shards first (the helpers work meanwhile), then every shard's gradients added
    // in shard order as flat arrays, the same float32 sums wherever a shard was computed
    const local = new Map<number, ShardResult>();
    shards.forEach((shard, s) => {
      if (s === 0 || s > remote.length) {
        local.set(s, computeShard(this.policy, params, shard, denominators, c));
      }
    });
    const results = remote.length > 0 ? workers!.collect() : [];
    let sum: Float32Array | null = null;
    for (let s = 0; s < shards.length; s++) {
      const shard = local.get(s) ?? results[s - 1]!;
      for (let k = 0; k < SHARD_STAT_KEYS.length; k++) stats[k] = stats[k]! + shard.stats[k]!;
      if (sum === null) sum = shard.grads;
      else for (let i = 0; i < sum.length; i++) sum[i] = sum[i]! + shard.grads[i]!;
    }
    stats[SHARD_STAT_KEYS.length] = this.optimizer.apply(sum!, c.maxGradNorm);
    return stats;
  }

  /** Shards each minibatch's gradient is computed in (gradientShards, fewer for small minibatches). */
  get gradientShardCount(): number {
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

  /** The state rows a shard carries: none with the state token (the model does not read them). */
  private stateIfEncoded(state: Float32Array): Float32Array | null {
    return this.model.config.useStateToken ? null : state;
  }

  // --- helpers: storage ↔ policy order ---

  /** Gathered minibatch in priority order: rows `idx` (t·R + e) for obs, `actIdx` for actions. */
  private gather(idx: Int32Array, actIdx: Int32Array, advantages?: Float32Array, returns?: Float32Array) {
    const { n, obsDim: o, stateDim: s, width: w, actionDim: a } = this;
    const b = idx.length;
    const out = {
      obs: new Float32Array(b * n * o),
      state: new Float32Array(b * s),
      actions: new Float32Array(b * n * w),
      logProbs: new Float32Array(b * n * w),
      values: new Float32Array(b * n),
      active: new Float32Array(b * n),
      avail: this.hasAvail ? new Uint8Array(b * n * a) : null,
      advantages: new Float32Array(b * n),
      returns: new Float32Array(b * n),
      order: new Int32Array(b * n),
    };
    for (let i = 0; i < b; i++) {
      const row = idx[i]!;
      const arow = actIdx[i]!;
      out.state.set(this.state.subarray(row * s, (row + 1) * s), i * s);
      for (let p = 0; p < n; p++) {
        const agent = this.priority[row * n + p]!;
        const src = row * n + agent;
        const dst = i * n + p;
        out.order[dst] = agent;
        out.obs.set(this.obs.subarray(src * o, (src + 1) * o), dst * o);
        const asrc = arow * n + agent;
        out.actions.set(this.actions.subarray(asrc * w, (asrc + 1) * w), dst * w);
        out.logProbs.set(this.logProbs.subarray(asrc * w, (asrc + 1) * w), dst * w);
        out.values[dst] = this.values[src]!;
        out.active[dst] = this.active[src]!;
        if (out.avail) out.avail.set(this.avail.subarray(src * a, (src + 1) * a), dst * a);
        if (advantages && returns) {
          out.advantages[dst] = advantages[src]!;
          out.returns[dst] = returns[src]!;
        }
      }
    }
    return out;
  }

  private toTensors(batch: ReturnType<SteerTrainer['gather']>, b: number) {
    const { n, obsDim: o, stateDim: s, width: w, actionDim: a } = this;
    return {
      obs: tf.tensor(batch.obs, [b, n, o]),
      state: this.model.config.useStateToken ? null : tf.tensor(batch.state, [b, s]),
      actions: this.discrete
        ? tf.tensor(batch.actions, [b, n], 'int32')
        : tf.tensor(batch.actions, [b, n, w]),
      avail: batch.avail ? tf.cast(tf.tensor(batch.avail, [b, n, a], 'int32'), 'bool') : null,
    };
  }

  /** Policy input (priority order) for storage row t. */
  private policyInput(t: number) {
    const r = this.config.numEnvs;
    const idx = Int32Array.from({ length: r }, (_, e) => t * r + e);
    const batch = this.gather(idx, idx);
    return {
      batch: r,
      obs: batch.obs,
      state: this.model.config.useStateToken ? null : batch.state,
      avail: batch.avail,
    };
  }

  /** Store an env's observation for storage row `t`. */
  private writeStep(t: number, e: number, step: EnvStep): void {
    const r = this.config.numEnvs;
    const row = t * r + e;
    const { n, obsDim: o } = this;
    this.obs.set(step.obs, row * n * o);
    // no global state: concatenated observations (use_centralized_V, §b.1)
    this.state.set(step.state.length > 0 ? step.state : step.obs.subarray(0, n * o), row * this.stateDim);
    for (let j = 0; j < n; j++) {
      this.active[row * n + j] = step.active[j]!;
      this.priority[row * n + j] = step.priority[j]!;
    }
    if (step.availActions) {
      this.hasAvail = true;
      this.avail.set(step.availActions, row * n * this.actionDim);
    }
  }

  private copyRow(from: number, to: number): void {
    const r = this.config.numEnvs;
    const { n, obsDim: o, stateDim: s, actionDim: a } = this;
    const copy = (arr: Float32Array | Uint8Array | Int32Array, per: number) =>
      arr.copyWithin(to * r * per, from * r * per, (from + 1) * r * per);
    copy(this.obs, n * o);
    copy(this.state, s);
    copy(this.active, n);
    copy(this.priority, n);
    copy(this.masks, n);
    if (this.discrete) copy(this.avail, n * a);
  }

  private envSeed(): number {
    return this.rng.nextU32();
  }

  // --- checkpoints ---

  /** Plain data for a checkpoint: meta JSON and named float32 tensors. */
  exportState(): { meta: TrainerMeta; tensors: NamedArray[] } {
    const tensors: NamedArray[] = [];
    const { m, v } = this.optimizer.moments();
    this.model.params.entries().forEach(([name, p], i) => {
      tensors.push({ name: `model.${name}`, shape: p.shape, data: p.dataSync() as Float32Array });
      tensors.push({ name: `adam.m.${name}`, shape: p.shape, data: m[i]!.slice() });
      tensors.push({ name: `adam.v.${name}`, shape: p.shape, data: v[i]!.slice() });
    });
    const canSnapshot = this.envs.every((e) => e.snapshot && e.restore);
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
        envSnapshots: canSnapshot ? this.envs.map((e) => e.snapshot!()) : null,
        episodeReturns: this.episodeReturns.map((r) => [...r]),
        episodeLengths: [...this.episodeLengths],
      },
      tensors,
    };
  }

  /** Restore from `exportState` data. Refuses a changed architecture, naming the field. */
  importState(meta: TrainerMeta, tensors: NamedArray[]): void {
    // fields added after a checkpoint was written take the default that reproduces its behaviour
    const withDefaults = (c: SteerModelConfig) => ({ actionEncoderGain: GAIN_ACTIVATE, ...c });
    const mine = withDefaults(this.model.config) as unknown as Record<string, unknown>;
    const theirs = withDefaults(meta.modelConfig) as unknown as Record<string, unknown>;
    for (const key of Object.keys(mine)) {
      if (JSON.stringify(mine[key]) !== JSON.stringify(theirs[key])) {
        throw new Error(
          `checkpoint modelConfig.${key} is ${JSON.stringify(theirs[key])}, but this run needs ${JSON.stringify(mine[key])}`,
        );
      }
    }
    const byName = new Map(splitFusedAttention(tensors).map((t) => [t.name, t]));
    const { m, v } = this.optimizer.moments();
    this.model.params.entries().forEach(([name, p], i) => {
      for (const [prefix, target] of [
        ['model.', p],
        ['adam.m.', m[i]!],
        ['adam.v.', v[i]!],
      ] as const) {
        const t = byName.get(prefix + name);
        if (!t) {
          if (prefix !== 'model.') continue; // moments are optional: they start at zero
          throw new Error(`checkpoint has no tensor "${prefix}${name}"`);
        }
        if (t.shape.join(',') !== p.shape.join(',')) {
          throw new Error(
            `checkpoint tensor "${prefix}${name}" has shape [${t.shape}], expected [${p.shape}]`,
          );
        }
        if (target instanceof Float32Array) {
          target.set(t.data);
        } else {
          const value = tf.tensor(t.data, p.shape);
          target.assign(value);
          value.dispose();
        }
      }
    });
    this.update = meta.update;
    this.envSteps = meta.envSteps;
    this.rng = Rng.fromState(meta.rng);
    this.valueNorm.setState(meta.valueNorm);
    this.optimizer.step = meta.adamStep;
    this.episodeReturns = meta.episodeReturns.map((r) => [...r]);
    this.episodeLengths = [...meta.episodeLengths];
    if (meta.envSnapshots && this.envs.every((e) => e.restore)) {
      this.envs.forEach((env, e) => {
        this.writeStep(0, e, env.restore!(meta.envSnapshots![e]));
      });
    } else {
      // envs without snapshots start new episodes: the continuation is valid but not bit-identical
      this.envs.forEach((env, e) => {
        this.writeStep(0, e, env.reset(this.envSeed()));
      });
      for (const r of this.episodeReturns) r.fill(0);
      this.episodeLengths.fill(0);
    }
  }

  /** Free tensors, envs and gradient workers. */
  dispose(): void {
    this.workers?.dispose();
    this.workers = null;
    this.model.dispose();
    for (const e of this.envs) e.close?.();
  }
}

/**
 * Checkpoints written before key, query and value became separate layers hold one fused
 * `attn.qkv` tensor ([D, 3D] weight, [3D] bias, thirds in key, query, value order) per block and
 * per Adam moment; this splits them into the three tensors the model now has. Others pass through.
 */
export function splitFusedAttention(tensors: NamedArray[]): NamedArray[] {
  const out: NamedArray[] = [];
  for (const t of tensors) {
    const match = /^(.*\.attn\.)qkv\.(weight|bias)$/.exec(t.name);
    if (!match) {
      out.push(t);
      continue;
    }
    const [, prefix, kind] = match as unknown as [string, string, 'weight' | 'bias'];
    const width = t.shape[t.shape.length - 1]! / 3; // D
    const rows = kind === 'weight' ? t.shape[0]! : 1;
    ['key', 'query', 'value'].forEach((part, third) => {
      const data = new Float32Array(rows * width);
      for (let r = 0; r < rows; r++) {
        data.set(
          t.data.subarray(r * 3 * width + third * width, r * 3 * width + (third + 1) * width),
          r * width,
        );
      }
      out.push({
        name: `${prefix}${part}.${kind}`,
        shape: kind === 'weight' ? [rows, width] : [width],
        data,
      });
    });
  }
  return out;
}
