/**
 * Greedy evaluation on HORM (docs/spec/horm.md §8.4, with the corrected metrics its Rec. asks for): the
 * policy plays `episodes` episodes on the env seeds seed, seed + 1, …, every agent taking the argmax
 * in the env's priority order (leader first, each follower given its leaders' actions). Episodes run
 * in waves of `batch` envs so one act() serves a whole wave. `evaluateHormBaseline` plays a scripted
 * policy of docs/spec/horm.md Appendix B (`steer baseline`) through the same loop and metric code, so
 * trained models and baselines are directly comparable.
 *
 * Metrics (docs/horm.md "Metrics"):
 * - crashRate: fraction of episodes in which any CAV crashed (the env ends the episode then, §8.1);
 *   crashRateAgent0 is the reference's agent-0-only figure (§8.4, §10.5), for comparison;
 * - meanSpeed [m/s]: per episode the mean CAV speed over all agents and all policy steps (after
 *   each step), then the mean over episodes (the reference's training-log "average speed", §8.3);
 * - meanReturnPerAgent: per agent the undiscounted sum of its rewards (regional by default, §7.5)
 *   over the episode, mean over episodes; meanReturn = their mean over agents (= Σ steps of the
 *   mean-over-agents reward, the training-log return of §8.3 and Appendix B);
 * - mergeCompletion: ramp CAVs (agents whose lane at reset is j-k-0, k-b-0 or b-c-1) that were on a
 *   main-road lane (a-b-0, b-c-0, c-d-0) and not crashed after some policy step, over all ramp CAVs
 *   of all episodes; the lane is the simulator's current-lane label (§1.5), so a CAV counts once
 *   its centre is closer to the main lane than to the merge lane. Null when no episode had one;
 * - meanEpisodeLength: policy steps per episode (100 without a crash, §2.5).
 */
import type { MarlPolicy } from '../../core/algos/marl.js';
import type { BaselinePolicy } from '../../core/envs/horm/baselinePolicies.js';
import type { HormEnv } from '../../core/envs/horm/index.js';
import type { EnvSpec, EnvStep, EnvTransition } from '../../core/envs/types.js';
import { Rng } from '../../core/rng.js';
import { isMainLane } from '../../core/sim/horm/index.js';

/** Sees one evaluation episode as it is played (e.g. a replay recorder). */
export interface EpisodeObserver {
  /** After reset, with what reset returned. */
  start(step: EnvStep): void;
  /** After each step; `values` = the policy's value per agent (agent order) for the state acted in. */
  step(transition: EnvTransition, values: Float32Array): void;
  /** After the terminal step. */
  end(): void;
}

/** Options of `evaluateHorm`. */
export interface HormEvalOptions {
  /** Episodes to play. */
  readonly episodes: number;
  /** Env seed of the first episode; episode i uses seed + i. */
  readonly seed: number;
  /** Envs stepped together (one act() per step for all of them); default min(episodes, 32). */
  readonly batch?: number;
  /** Normalised-space value → return space (the trainer's value normaliser), for observers. */
  readonly denormalize?: (value: number) => number;
  /** Called at each episode's reset; the observer returned (if any) sees the episode. */
  readonly observe?: (env: HormEnv, episode: number, seed: number) => EpisodeObserver | null;
}

/** One evaluation episode. */
export interface HormEpisodeResult {
  readonly seed: number;
  /** Policy steps. */
  readonly length: number;
  /** Undiscounted return per agent. */
  readonly returns: number[];
  /** Some CAV crashed. */
  readonly crashed: boolean;
  /** Agent 0 crashed (the reference's logged flag). */
  readonly crashedAgent0: boolean;
  /** Mean CAV speed over agents and steps [m/s]. */
  readonly meanSpeed: number;
  /** Agents that started on the ramp or merge lane. */
  readonly rampCavs: number;
  /** Of those, how many reached the main road uncrashed. */
  readonly merged: number;
}

/** Aggregate metrics of an evaluation (see the file comment for definitions). */
export interface HormEvaluation {
  readonly env: string;
  readonly episodes: number;
  readonly seed: number;
  readonly crashRate: number;
  readonly crashRateAgent0: number;
  /** [m/s] */
  readonly meanSpeed: number;
  readonly meanReturn: number;
  readonly meanReturnPerAgent: number[];
  readonly mergeCompletion: number | null;
  readonly rampCavs: number;
  readonly meanEpisodeLength: number;
  readonly results: HormEpisodeResult[];
}

/** Default envs per wave (the reference evaluates 32 episodes, §8.4). */
export const DEFAULT_EVAL_BATCH = 32;

/** Per-env bookkeeping of the episode in progress. */
interface Running extends HormLiveEpisode {
  readonly slot: number;
  readonly env: HormEnv;
  step: EnvStep;
  seed: number;
  length: number;
  readonly returns: Float64Array;
  speedSum: number;
  readonly ramp: Uint8Array;
  readonly merged: Uint8Array;
  observer: EpisodeObserver | null;
  done: boolean;
}

/** One live episode of a wave, as an actor sees it. */
export interface HormLiveEpisode {
  /** Its env's index in the wave (0 … batch − 1); an env plays one episode at a time. */
  readonly slot: number;
  readonly env: HormEnv;
  /** What the last reset or step returned. */
  readonly step: EnvStep;
  /** Env seed of the episode. */
  readonly seed: number;
}

/**
 * Chooses the joint actions that `evaluateHormWith` plays: a network policy (`evaluateHorm`) or a
 * scripted one (`evaluateHormBaseline`). The metrics do not depend on which.
 */
export interface HormActor {
  /** Called after each episode's reset, before its first `act`. */
  begin?(episode: HormLiveEpisode): void;
  /**
   * For every live episode b (in `live` order): its joint action, agent order, into
   * actions[b·n + k], and the value estimate per agent (return space, NaN when there is none) into
   * values[b·n + k]. Both arrays have room for the whole wave.
   */
  act(live: readonly HormLiveEpisode[], actions: Float64Array, values: Float32Array): void;
}

/** Plays the episodes greedily and returns their metrics. */
export function evaluateHorm(
  policy: MarlPolicy,
  makeEnv: () => HormEnv,
  options: HormEvalOptions,
): HormEvaluation {
  return evaluateHormWith(
    (spec, batch) => policyActor(policy, spec, batch, options.denormalize ?? ((v: number) => v)),
    makeEnv,
    options,
  );
}

/**
 * Plays the episodes with a scripted policy (docs/spec/horm.md Appendix B), with the metrics of
 * `evaluateHorm`. `policyFor(seed)` gives the policy of the episode with env seed `seed`, so every
 * episode is reproducible on its own, whatever the wave size.
 */
export function evaluateHormBaseline(
  policyFor: (seed: number) => BaselinePolicy,
  makeEnv: () => HormEnv,
  options: HormEvalOptions,
): HormEvaluation {
  return evaluateHormWith(
    (spec, batch) => {
      const policies: (BaselinePolicy | null)[] = new Array(batch).fill(null);
      const joint = new Int32Array(spec.numAgents);
      return {
        begin: (episode) => {
          policies[episode.slot] = policyFor(episode.seed);
        },
        act: (live, actions, values) => {
          const n = spec.numAgents;
          live.forEach((r, b) => {
            policies[r.slot]!.act(r.env.sim, joint);
            for (let k = 0; k < n; k++) actions[b * n + k] = joint[k]!;
          });
          values.fill(Number.NaN);
        },
      };
    },
    makeEnv,
    options,
  );
}

/**
 * The evaluation loop behind `evaluateHorm` and `evaluateHormBaseline`: plays the episodes in
 * waves, the actions chosen by `makeActor(spec, batch)`'s actor, and returns their metrics.
 */
export function evaluateHormWith(
  makeActor: (spec: EnvSpec, batch: number) => HormActor,
  makeEnv: () => HormEnv,
  options: HormEvalOptions,
): HormEvaluation {
  const batch = Math.max(1, Math.min(options.batch ?? DEFAULT_EVAL_BATCH, options.episodes));
  const first = makeEnv();
  const n = first.spec.numAgents;
  const actor = makeActor(first.spec, batch);
  const running: Running[] = Array.from({ length: batch }, (_, i) => ({
    slot: i,
    env: i === 0 ? first : makeEnv(),
    step: null as unknown as EnvStep, // set at each wave's reset
    seed: 0,
    length: 0,
    returns: new Float64Array(n),
    speedSum: 0,
    ramp: new Uint8Array(n),
    merged: new Uint8Array(n),
    observer: null,
    done: true,
  }));
  const actions = new Float64Array(batch * n);
  const waveValues = new Float32Array(batch * n);
  const joint = new Float64Array(n);
  const values = new Float32Array(n);
  const results: HormEpisodeResult[] = [];

  for (let start = 0; start < options.episodes; start += batch) {
    const live = resetWave(running, start, Math.min(batch, options.episodes - start), options, actor);
    while (live.length > 0) {
      actor.act(live, actions, waveValues);
      live.forEach((r, b) => {
        for (let k = 0; k < n; k++) {
          joint[k] = actions[b * n + k]!;
          values[k] = waveValues[b * n + k]!;
        }
        stepEpisode(r, joint, values, results);
      });
      for (let b = live.length - 1; b >= 0; b--) if (live[b]!.done) live.splice(b, 1);
    }
  }
  results.sort((p, q) => p.seed - q.seed);
  return summarize(first.spec.name, options.seed, n, results);
}

/** Resets the first `count` slots for the episodes from `start` on; the wave's live episodes. */
function resetWave(
  running: Running[],
  start: number,
  count: number,
  options: HormEvalOptions,
  actor: HormActor,
): Running[] {
  for (let i = 0; i < count; i++) {
    const r = running[i]!;
    r.seed = options.seed + start + i;
    r.step = r.env.reset(r.seed);
    r.length = 0;
    r.returns.fill(0);
    r.speedSum = 0;
    r.merged.fill(0);
    const lanes = r.env.sim.world.vehicles.lane;
    for (let k = 0; k < r.ramp.length; k++) r.ramp[k] = isMainLane(lanes[k]!) ? 0 : 1;
    r.done = false;
    actor.begin?.(r);
    r.observer = options.observe?.(r.env, start + i, r.seed) ?? null;
    r.observer?.start(r.step);
  }
  return running.slice(0, count);
}

/** One step of episode `r` with the joint action; its result joins `results` when it ends. */
function stepEpisode(
  r: Running,
  joint: Float64Array,
  values: Float32Array,
  results: HormEpisodeResult[],
): void {
  const n = joint.length;
  const transition = r.env.step(joint);
  r.length += 1;
  const t = r.env.sim.world.vehicles;
  let speed = 0;
  for (let k = 0; k < n; k++) {
    r.returns[k] = r.returns[k]! + transition.rewards[k]!;
    speed += t.speed[k]!;
    if (r.ramp[k] === 1 && r.merged[k] === 0 && isMainLane(t.lane[k]!) && t.crashed[k] === 0) {
      r.merged[k] = 1;
    }
  }
  r.speedSum += speed / n;
  r.observer?.step(transition, values);
  r.step = transition;
  if (transition.episodeDone) {
    r.done = true;
    r.observer?.end();
    r.observer = null;
    results.push(episodeResult(r, n));
  }
}

/**
 * The network policy's actor: one greedy act() per wave step over all live episodes, every agent
 * taking the argmax in its env's priority order (leader first, each follower given its leaders'
 * actions).
 */
function policyActor(
  policy: MarlPolicy,
  spec: EnvSpec,
  batch: number,
  denormalize: (value: number) => number,
): HormActor {
  const { numAgents: n, obsDim: o, actionSpace } = spec;
  const a = actionSpace.kind === 'discrete' ? actionSpace.n : 0;
  const stateDim = policy.model.config.stateDim;
  const useState = policy.readsState;
  // policy input for at most `batch` envs, rows in priority order
  const obs = new Float32Array(batch * n * o);
  const state = new Float32Array(batch * stateDim);
  const avail = new Uint8Array(batch * n * Math.max(a, 1));
  const rng = Rng.fromSeed(0); // greedy acting draws nothing; act() wants one
  return {
    act(live, actions, values) {
      let masked = false;
      live.forEach((r, b) => {
        const s = r.step;
        for (let p = 0; p < n; p++) {
          const agent = s.priority[p]!;
          obs.set(s.obs.subarray(agent * o, (agent + 1) * o), (b * n + p) * o);
          if (s.availActions) {
            masked = true;
            avail.set(s.availActions.subarray(agent * a, (agent + 1) * a), (b * n + p) * a);
          } else {
            avail.fill(1, (b * n + p) * a, (b * n + p + 1) * a);
          }
        }
        if (useState) state.set(s.state.length > 0 ? s.state : s.obs.subarray(0, n * o), b * stateDim);
      });
      const size = live.length;
      const out = policy.act(
        {
          batch: size,
          obs: obs.subarray(0, size * n * o),
          state: useState ? state.subarray(0, size * stateDim) : null,
          avail: masked ? avail.subarray(0, size * n * a) : null,
        },
        true,
        rng,
      );
      live.forEach((r, b) => {
        for (let p = 0; p < n; p++) {
          const agent = r.step.priority[p]!;
          actions[b * n + agent] = out.actions[b * n + p]!;
          values[b * n + agent] = denormalize(out.values[b * n + p]!);
        }
      });
    },
  };
}

function episodeResult(r: Running, n: number): HormEpisodeResult {
  const t = r.env.sim.world.vehicles;
  let rampCavs = 0;
  let merged = 0;
  for (let k = 0; k < n; k++) {
    rampCavs += r.ramp[k]!;
    merged += r.merged[k]!;
  }
  return {
    seed: r.seed,
    length: r.length,
    returns: Array.from(r.returns),
    crashed: r.env.sim.anyCavCrashed(),
    crashedAgent0: t.crashed[0] === 1,
    meanSpeed: r.speedSum / Math.max(r.length, 1),
    rampCavs,
    merged,
  };
}

/** Aggregates episode results (see the file comment). */
export function summarize(
  env: string,
  seed: number,
  numAgents: number,
  results: HormEpisodeResult[],
): HormEvaluation {
  const count = results.length;
  const mean = (f: (e: HormEpisodeResult) => number) =>
    count === 0 ? Number.NaN : results.reduce((s, e) => s + f(e), 0) / count;
  const perAgent = Array.from({ length: numAgents }, (_, j) => mean((e) => e.returns[j]!));
  const rampCavs = results.reduce((s, e) => s + e.rampCavs, 0);
  const merged = results.reduce((s, e) => s + e.merged, 0);
  return {
    env,
    episodes: count,
    seed,
    crashRate: mean((e) => (e.crashed ? 1 : 0)),
    crashRateAgent0: mean((e) => (e.crashedAgent0 ? 1 : 0)),
    meanSpeed: mean((e) => e.meanSpeed),
    meanReturn: perAgent.reduce((s, v) => s + v, 0) / numAgents,
    meanReturnPerAgent: perAgent,
    mergeCompletion: rampCavs === 0 ? null : merged / rampCavs,
    rampCavs,
    meanEpisodeLength: mean((e) => e.length),
    results,
  };
}
