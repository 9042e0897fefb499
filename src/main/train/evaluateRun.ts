/**
 * Loads a run folder's latest checkpoint and evaluates its greedy policy: one §c.7 episode for a
 * registry env (docs/spec/steer.md), or the HORM metrics over many held-out episodes for a scenario run
 * (hormEvaluate.ts). What `steer eval` prints and what the desktop app will show for a finished run.
 */
import type { MarlPolicy } from '../../core/algos/marl.js';
import { Trainer } from '../../core/algos/ppo/trainer.js';
import type { HormEnv } from '../../core/envs/horm/index.js';
import type { MultiAgentEnv } from '../../core/envs/types.js';
import { CheckpointError } from '../io/checkpoint.js';
import { type Evaluation, evaluateGreedy } from './evaluate.js';
import { type EpisodeObserver, evaluateHorm, type HormEvaluation } from './hormEvaluate.js';
import { type RunConfig, RunDirError, readRunConfig, runPaths } from './runDir.js';
import {
  assertSameEnv,
  type LoadedScenario,
  loadRunEnvironment,
  type RunEnvironment,
} from './runEnvironment.js';
import { isMissingCheckpoint, restoreTrainerCheckpoint } from './trainerCheckpoint.js';

/** A run's saved policy, evaluated. */
export interface RunEvaluation {
  readonly run: RunConfig;
  /** Updates the saved policy has had. */
  readonly update: number;
  readonly evaluation: Evaluation;
}

/** A scenario run's saved policy, evaluated on HORM. */
export interface HormRunEvaluation {
  readonly run: RunConfig;
  /** Updates the saved policy has had. */
  readonly update: number;
  /** The scenario played (the one given, or the run's own copy). */
  readonly scenario: LoadedScenario;
  readonly evaluation: HormEvaluation;
}

/** Options of `evaluateHormRun`. */
export interface HormRunEvalOptions {
  /** Scenario to play; default the run's scenario.json. Must build the run's env. */
  readonly scenario?: LoadedScenario;
  readonly episodes: number;
  /** Env seed of the first episode. */
  readonly seed: number;
  /**
   * Called at each episode's reset; the observer returned (if any) sees the episode (e.g. a replay
   * recorder). `info` says which run (its algorithm: `run.train.algo`) and checkpoint update plays
   * which scenario.
   */
  readonly observe?: (
    env: HormEnv,
    episode: number,
    seed: number,
    info: { readonly run: RunConfig; readonly update: number; readonly scenario: LoadedScenario },
  ) => EpisodeObserver | null;
}

/** A trainer holding `runDir`'s latest checkpoint; errors name the folder and what is wrong. */
async function restoredTrainer(
  runDir: string,
  run: RunConfig,
  environment: Pick<RunEnvironment, 'makeEnv' | 'makeVector'>,
): Promise<{ trainer: Trainer; update: number }> {
  const trainer = new Trainer(run.env, environment.makeEnv, run.train, environment.makeVector);
  try {
    const update = await restoreTrainerCheckpoint(runPaths(runDir).checkpoint, trainer, run);
    return { trainer, update };
  } catch (error) {
    trainer.dispose();
    if (isMissingCheckpoint(error)) {
      throw new RunDirError(
        `${runDir}: no checkpoint yet (checkpoints/latest); train it with 'steer train --resume ${runDir}'`,
      );
    }
    throw error instanceof CheckpointError ? new RunDirError(error.message) : error;
  }
}

/** A registry-env run's saved policy, restored, beside a new env of the run. */
export interface RestoredRunPolicy {
  readonly run: RunConfig;
  /** Updates the saved policy has had. */
  readonly update: number;
  /** The policy in `<runDir>/checkpoints/latest`; valid only during the call it is handed to. */
  readonly policy: MarlPolicy;
  /** A new env of the run, not yet reset. */
  readonly env: MultiAgentEnv;
  /** More envs of the run; the caller closes them. */
  readonly makeEnv: () => MultiAgentEnv;
}

/**
 * Calls `use` with the policy in `<runDir>/checkpoints/latest` of a registry-env run and a new env
 * of the run; frees both when `use` returns (or throws).
 */
export async function withRunPolicy<T>(runDir: string, use: (restored: RestoredRunPolicy) => T): Promise<T> {
  const run = await readRunConfig(runDir);
  if (run.scenario !== undefined) {
    throw new RunDirError(`${runDir}: a scenario (HORM) run; evaluate it with evaluateHormRun`);
  }
  const environment = await loadRunEnvironment(runDir, run);
  const { trainer, update } = await restoredTrainer(runDir, run, environment);
  const env = environment.makeEnv();
  try {
    return use({ run, update, policy: trainer.policy, env, makeEnv: environment.makeEnv });
  } finally {
    trainer.dispose();
    env.close?.();
  }
}

/** Evaluates the policy in `<runDir>/checkpoints/latest` by §c.7 (registry-env runs). */
export async function evaluateRun(runDir: string): Promise<RunEvaluation> {
  return withRunPolicy(runDir, ({ run, update, policy, env }) => ({
    run,
    update,
    evaluation: evaluateGreedy(policy, env),
  }));
}

/** Plays `episodes` greedy HORM episodes with the policy in `<runDir>/checkpoints/latest`. */
export async function evaluateHormRun(
  runDir: string,
  options: HormRunEvalOptions,
): Promise<HormRunEvaluation> {
  const run = await readRunConfig(runDir);
  if (run.scenario === undefined) {
    throw new RunDirError(
      `${runDir}: trained on ${run.env}, not on a scenario; evaluate it without --scenario (docs/spec/steer.md §c.7)`,
    );
  }
  const own = await loadRunEnvironment(runDir, run);
  const scenario = options.scenario ?? own.scenario!;
  assertSameEnv(scenario, run, runDir);
  const { trainer, update } = await restoredTrainer(runDir, run, { makeEnv: scenario.makeEnv });
  try {
    const norm = trainer.valueNorm;
    const evaluation = evaluateHorm(trainer.policy, scenario.makeEnv, {
      episodes: options.episodes,
      seed: options.seed,
      denormalize: run.train.useValueNorm ? (v) => norm.denormalize(v) : undefined,
      observe:
        options.observe === undefined
          ? undefined
          : (env, episode, seed) => options.observe!(env, episode, seed, { run, update, scenario }),
    });
    return { run, update, scenario, evaluation };
  } finally {
    trainer.dispose();
  }
}

export type { EpisodeObserver };
