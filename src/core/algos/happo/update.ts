/**
 * One HAPPO update on a collected rollout (Kuba et al., ICLR 2022: the sequential update scheme
 * and the HAPPO objective; HARL harl/runners/on_policy_ha_runner.py › OnPolicyHARunner.train).
 * Reads top to bottom: advantages (GAE per agent on private rewards, normalised as in the PPO
 * update) → a fresh random order of the agents → for each agent in that order: its log-probabilities
 * before, ppoEpochs × numMinibatches steps of its own actor on the advantage weighted by the factor,
 * its log-probabilities after, the factor multiplied by its new/old ratios → the critic's value
 * loss → metrics. Each actor and the critic have their own Adam and gradient clip (groupAdam.ts).
 *
 * Gradients are computed on this thread: the factor has no place in the PPO gradient shards
 * (ppo/gradientShards.ts), so `u.workers` is not used. The numbers do not depend on threads.
 */

import { readTidy } from '../../nn/readTidy.js';
import * as tf from '../../nn/tf.js';
import { normalizeAdvantages } from '../ppo/advantages.js';
import { computeGae } from '../ppo/gae.js';
import type { PpoUpdateContext } from '../ppo/ppoUpdate.js';
import type { RolloutBuffer } from '../ppo/rolloutBuffer.js';
import { GroupOptimizers } from './groupAdam.js';
import {
  ACTOR_STAT_KEYS,
  type AgentBatch,
  actorGradient,
  type CriticBatch,
  criticGradient,
} from './losses.js';
import { actorPrefix, CRITIC_PREFIX } from './network.js';
import { HappoPolicy } from './policy.js';

/** Hooks for tests: watch the sequential update, or switch its factor off. */
export interface HappoProbe {
  /** Keep the factor at 1 for every agent (plain independent PPO steps in sequence). */
  unitFactor?: boolean;
  /** After agent `agent`'s actor steps: the factor the next agent will use (a copy), per joint sample. */
  afterAgent?: (agent: number, factor: Float32Array) => void;
}

/** One HAPPO update (MarlAlgorithm.update); returns the loss statistics and the visiting order. */
export function happoUpdate(u: PpoUpdateContext): Record<string, number> {
  return runHappoUpdate(u);
}

/** `happoUpdate` with test hooks. */
export function runHappoUpdate(u: PpoUpdateContext, probe: HappoProbe = {}): Record<string, number> {
  const c = u.config;
  const policy = happoPolicyOf(u);
  checkAgentOrder(u.buffer, policy);
  const { steps, envs, agents: n } = u.buffer.shape;
  const samples = steps * envs;
  if (Math.floor(samples / c.numMinibatches) < 1) {
    throw new Error(`numMinibatches ${c.numMinibatches} exceeds the ${samples} joint samples`);
  }
  // --- advantages (§b.3, §b.5); the value normaliser sees the returns once (per minibatch: §e.7) ---
  const { advantages, returns } = happoAdvantages(u);
  if (c.useValueNorm && !c.quirkValueNormPerMinibatch) u.valueNorm.update(returns);
  const optimizers = new GroupOptimizers(u.optimizer, policy.model.params);
  const totals = new Totals();

  // --- a fresh random order of the agents every update (HARL fixed_order: False) ---
  const order = u.rng.permutation(n);
  const factor = new Float32Array(samples).fill(1);
  for (const agent of order) {
    const rows = agentRows(u.buffer, agent, advantages);
    const before = probe.unitFactor ? null : agentLogProbs(policy, agent, rows);
    // --- agent's actor: its clipped surrogate on factor × advantage ---
    const adam = optimizers.group(actorPrefix(agent));
    for (let epoch = 0; epoch < c.ppoEpochs; epoch++) {
      for (const idx of minibatches(u, samples)) {
        const { grads, stats } = actorGradient(policy, agent, pickAgentRows(rows, idx, factor), c);
        totals.addActor(stats, adam.apply(grads, c.maxGradNorm));
      }
    }
    // --- the factor for the next agent: × this agent's new/old ratio of each joint sample ---
    if (before) {
      const after = agentLogProbs(policy, agent, rows);
      const w = policy.actionWidth;
      for (let i = 0; i < samples; i++) {
        let logRatio = 0;
        for (let k = 0; k < w; k++) logRatio += after[i * w + k]! - before[i * w + k]!;
        factor[i] = factor[i]! * Math.exp(logRatio);
      }
    }
    probe.afterAgent?.(agent, factor.slice());
  }

  // --- the critic after the actors (HARL trains it last), on its own optimizer ---
  const criticAdam = optimizers.group(CRITIC_PREFIX);
  for (let epoch = 0; epoch < c.ppoEpochs; epoch++) {
    for (const idx of minibatches(u, samples)) {
      const { grads, stats } = criticGradient(policy, criticRows(u, idx, returns), c);
      totals.addCritic(stats[0]!, criticAdam.apply(grads, c.maxGradNorm));
    }
  }
  optimizers.finish();
  return totals.metrics(c.entropyCoef, c.valueLossCoef, order);
}

/** The trainer's policy as a HAPPO policy (the update reads its per-agent actors). */
function happoPolicyOf(u: PpoUpdateContext): HappoPolicy {
  if (!(u.policy instanceof HappoPolicy)) {
    throw new Error(`happo update: the policy is a ${u.policy.constructor.name}, not a HappoPolicy`);
  }
  return u.policy;
}

/**
 * Refuses a rollout acted in a priority order other than the identity when `act` never received
 * the agent order: its rows would then have gone to the actor of their position, not of their
 * agent (docs/algos/happo.md, "Agent identity").
 */
export function checkAgentOrder(buffer: RolloutBuffer, policy: HappoPolicy): void {
  if (policy.hasSeenAgentOrder) return;
  const { steps, envs, agents: n } = buffer.shape;
  for (let row = 0; row < steps * envs; row++) {
    for (let p = 0; p < n; p++) {
      if (buffer.priority[row * n + p] !== p) {
        const order = Array.from(buffer.priority.subarray(row * n, (row + 1) * n));
        throw new Error(
          `happo: step ${Math.floor(row / envs)} of env ${row % envs} decided in the order [${order}], but act() ` +
            'was never told which agent sits at which position (PolicyInput has no agent order), so each ' +
            "agent's own actor cannot be chosen; use the env's 'index' priority rule (docs/algos/happo.md)",
        );
      }
    }
  }
}

/**
 * Advantages as in the PPO update (ppoUpdate.ts): GAE per agent on private rewards with the values
 * denormalised (§b.3), normalised over the active entries of all agents together (§b.5; HARL's
 * normalisation for per-agent advantages). No leader scale: HAPPO has no leader
 * (docs/algos/happo.md, "Advantages"). Layout [T, R, n], env agent order.
 */
export function happoAdvantages(u: PpoUpdateContext): { advantages: Float32Array; returns: Float32Array } {
  const c = u.config;
  const { steps, envs, agents } = u.buffer.shape;
  const values = u.buffer.values;
  const raw = new Float32Array(values.length);
  for (let i = 0; i < raw.length; i++)
    raw[i] = c.useValueNorm ? u.valueNorm.denormalize(values[i]!) : values[i]!;
  const { advantages, returns } = computeGae({
    steps,
    lanes: envs * agents,
    rewards: u.buffer.rewards,
    values: raw,
    masks: u.buffer.masks,
    gamma: c.gamma,
    lambda: c.gaeLambda,
  });
  normalizeAdvantages(advantages, u.buffer.active);
  return { advantages, returns };
}

/** One epoch's minibatches: a fresh permutation of the joint samples cut into numMinibatches chunks. */
function minibatches(u: PpoUpdateContext, samples: number): Int32Array[] {
  const chunk = Math.floor(samples / u.config.numMinibatches);
  const perm = u.rng.permutation(samples);
  return Array.from({ length: u.config.numMinibatches }, (_, m) => perm.subarray(m * chunk, (m + 1) * chunk));
}

/** Agent `agent`'s rows of the whole rollout (factor 1; `pickAgentRows` sets it). */
export function agentRows(buffer: RolloutBuffer, agent: number, advantages: Float32Array): AgentBatch {
  const { steps, envs, agents: n, obsDim: o, actionWidth: w, actionDim: a, discrete } = buffer.shape;
  const b = steps * envs;
  const rows: AgentBatch = {
    rows: b,
    obs: new Float32Array(b * o),
    actions: new Float32Array(b * w),
    avail: discrete ? new Uint8Array(b * a) : null,
    oldLogProbs: new Float32Array(b * w),
    advantages: new Float32Array(b),
    factor: new Float32Array(b).fill(1),
    active: new Float32Array(b),
  };
  let allAvailable = true;
  for (let i = 0; i < b; i++) {
    const src = i * n + agent; // storage is in env agent order: (t·R + e)·n + agent
    rows.obs.set(buffer.obs.subarray(src * o, (src + 1) * o), i * o);
    rows.actions.set(buffer.actions.subarray(src * w, (src + 1) * w), i * w);
    rows.oldLogProbs.set(buffer.logProbs.subarray(src * w, (src + 1) * w), i * w);
    rows.advantages[i] = advantages[src]!;
    rows.active[i] = buffer.active[src]!;
    if (rows.avail) {
      const mask = buffer.avail.subarray(src * a, (src + 1) * a);
      rows.avail.set(mask, i * a);
      if (mask.includes(0)) allAvailable = false;
    }
  }
  if (allAvailable) rows.avail = null; // no masking needed
  return rows;
}

/** Rows `idx` of an agent's rollout rows, with each joint sample's current factor. */
function pickAgentRows(all: AgentBatch, idx: Int32Array, factor: Float32Array): AgentBatch {
  const o = all.obs.length / all.rows;
  const w = all.actions.length / all.rows;
  const a = all.avail ? all.avail.length / all.rows : 0;
  const b = idx.length;
  const out: AgentBatch = {
    rows: b,
    obs: new Float32Array(b * o),
    actions: new Float32Array(b * w),
    avail: all.avail ? new Uint8Array(b * a) : null,
    oldLogProbs: new Float32Array(b * w),
    advantages: new Float32Array(b),
    factor: new Float32Array(b),
    active: new Float32Array(b),
  };
  idx.forEach((src, i) => {
    out.obs.set(all.obs.subarray(src * o, (src + 1) * o), i * o);
    out.actions.set(all.actions.subarray(src * w, (src + 1) * w), i * w);
    out.oldLogProbs.set(all.oldLogProbs.subarray(src * w, (src + 1) * w), i * w);
    if (out.avail) out.avail.set(all.avail!.subarray(src * a, (src + 1) * a), i * a);
    out.advantages[i] = all.advantages[src]!;
    out.factor[i] = factor[src]!;
    out.active[i] = all.active[src]!;
  });
  return out;
}

/** Agent `agent`'s current log-probabilities of its rollout actions, [rows, width]. */
export function agentLogProbs(policy: HappoPolicy, agent: number, rows: AgentBatch): Float32Array {
  const { obsDim: o } = policy.model.config;
  const a = policy.model.actionDim;
  const w = policy.actionWidth;
  const b = rows.rows;
  return readTidy(() => {
    const actions = w === 1 ? tf.tensor(rows.actions, [b], 'int32') : tf.tensor(rows.actions, [b, w]);
    const avail = rows.avail ? tf.cast(tf.tensor(rows.avail, [b, a], 'int32'), 'bool') : null;
    return policy.agentEvaluate(agent, tf.tensor(rows.obs, [b, o]), actions, avail).logProbs;
  });
}

/** The critic's rows `idx`: states, rollout values, targets (normalised as configured) and masks. */
function criticRows(u: PpoUpdateContext, idx: Int32Array, returns: Float32Array): CriticBatch {
  const { agents: n, stateDim: s } = u.buffer.shape;
  const b = idx.length;
  const out: CriticBatch = {
    rows: b,
    state: new Float32Array(b * s),
    oldValues: new Float32Array(b * n),
    targets: new Float32Array(b * n),
    active: new Float32Array(b * n),
  };
  const raw = new Float32Array(b * n);
  idx.forEach((src, i) => {
    out.state.set(u.buffer.state.subarray(src * s, (src + 1) * s), i * s);
    out.oldValues.set(u.buffer.values.subarray(src * n, (src + 1) * n), i * n);
    out.active.set(u.buffer.active.subarray(src * n, (src + 1) * n), i * n);
    raw.set(returns.subarray(src * n, (src + 1) * n), i * n);
  });
  const c = u.config;
  if (c.useValueNorm && c.quirkValueNormPerMinibatch) u.valueNorm.update(raw);
  for (let i = 0; i < raw.length; i++)
    out.targets[i] = c.useValueNorm ? u.valueNorm.normalize(raw[i]!) : raw[i]!;
  return out;
}

/** Running sums of the update's statistics, and their means as metrics. */
class Totals {
  private readonly actor = new Float64Array(ACTOR_STAT_KEYS.length);
  private actorSteps = 0;
  private value = 0;
  private criticSteps = 0;
  private gradNorm = 0;

  addActor(stats: Float32Array, gradNorm: number): void {
    ACTOR_STAT_KEYS.forEach((_, k) => {
      this.actor[k] = this.actor[k]! + stats[k]!;
    });
    this.actorSteps += 1;
    this.gradNorm += Math.fround(gradNorm);
  }

  addCritic(valueLoss: number, gradNorm: number): void {
    this.value += valueLoss;
    this.criticSteps += 1;
    this.gradNorm += Math.fround(gradNorm);
  }

  /**
   * `loss/…` as the PPO update names them (each a mean over the steps that produced it; gradNorm
   * over every actor and critic step) and `happo/order/<k>` = the agent updated k-th.
   */
  metrics(entropyCoef: number, valueLossCoef: number, order: Int32Array): Record<string, number> {
    const out: Record<string, number> = {};
    ACTOR_STAT_KEYS.forEach((key, k) => {
      out[`loss/${key}`] = this.actor[k]! / Math.max(this.actorSteps, 1);
    });
    out['loss/value'] = this.value / Math.max(this.criticSteps, 1);
    out['loss/total'] =
      out['loss/policy']! - entropyCoef * out['loss/entropy']! + valueLossCoef * out['loss/value'];
    out['loss/gradNorm'] = this.gradNorm / Math.max(this.actorSteps + this.criticSteps, 1);
    order.forEach((agent, k) => {
      out[`happo/order/${k}`] = agent;
    });
    return out;
  }
}
