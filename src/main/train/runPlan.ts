/**
 * Planning a new run, the same way for `steer train` and for the app's training jobs: the env (a
 * registry name or an opened scenario), the algorithm (a name of src/core/algos/registry.ts), the
 * training config (defaults ← the env family's preset, less what the algorithm does not take
 * (src/core/algos/algorithmConfig.ts) ← reference quirks ← overrides ← algorithm ← seed ← updates),
 * the checkpoint interval and, for a scenario run,
 * its training-time evaluation, into the run folder's config.json. The defaults every entry point
 * shares live here, so the CLI and the app cannot drift apart. A request that cannot become a run
 * is a RunPlanError naming the field; each entry point says it its own way (CLI line, API issue).
 */
import { resolveAlgorithmConfig } from '../../core/algos/algorithmConfig.js';
import { REFERENCE_QUIRKS, type TrainConfig, totalUpdates } from '../../core/algos/config.js';
import { algorithmNamed } from '../../core/algos/registry.js';
import type { OpenedScenario } from '../../core/envs/horm/index.js';
import { canonicalEnvName as registryCanonicalEnvName } from '../../core/envs/registry.js';
import { newRunConfig, type RunConfig, type RunEvaluation } from './runDir.js';

/** Defaults of new runs and of evaluations, for every entry point. */
export const RUN_DEFAULTS = Object.freeze({
  /** Root seed of a registry-env run (a scenario run takes the scenario's seed). */
  seed: 1,
  /** Save checkpoints/latest every this many updates (and at the end, and on a stop). */
  checkpointEvery: 10,
  /**
   * First env seed of an evaluation after training: 10,000, 10,001, … Training draws its env
   * seeds from the run's RNG (32-bit), so these are held out in practice (a clash has a chance of
   * about 1e−3 over a whole run).
   */
  evaluationSeed: 10_000,
  /** Episodes of `steer eval` / `steer baseline` on a scenario. */
  evaluationEpisodes: 100,
  /** A scenario run's training-time evaluation (docs/spec/horm.md §8.4, §9): eval_interval, eval_episodes. */
  trainingEvaluation: Object.freeze({ every: 10, episodes: 32, seed: 10_000 }),
  /** An MA-MuJoCo run's training-time evaluation (train_mujoco.sh: every 25 updates, 5 episodes). */
  mujocoEvaluation: Object.freeze({ every: 25, episodes: 5, seed: 10_000 }),
});

/**
 * True for a registry env whose runs are judged over seeded greedy episodes every few updates
 * (`eval/meanReturn`): MA-MuJoCo (docs/envs/mujoco.md) and the envs behind the Python bridge
 * (docs/envs/bridge.md). The other registry envs are judged by one greedy episode after each update.
 */
export function evaluatedOverEpisodes(envName: string): boolean {
  return envName.startsWith('mujoco:') || envName.startsWith('pettingzoo:');
}

/** The defaults of a run's training-time evaluation, or null for an env evaluated after every update. */
export function trainingEvaluationDefaults(envName: string, scenario: boolean): RunEvaluation | null {
  if (scenario) return RUN_DEFAULTS.trainingEvaluation;
  if (evaluatedOverEpisodes(envName)) return RUN_DEFAULTS.mujocoEvaluation;
  return null;
}

/** What a new run is asked to be (every field but the env optional: RUN_DEFAULTS fill them). */
export interface NewRunRequest {
  /** A registry env name (aliases accepted) or a scenario that passed the gate. */
  readonly env: string | OpenedScenario;
  /** The algorithm, a registry name (`steer train --algo`); default the config's, "steer". */
  readonly algo?: string | undefined;
  readonly seed?: number | undefined;
  /** PPO updates; default the preset's budget. */
  readonly updates?: number | undefined;
  /** Training-config keys to override (validated with the config schema). */
  readonly overrides?: Readonly<Record<string, unknown>> | undefined;
  /** Every reference quirk on, before the overrides. */
  readonly referenceQuirks?: boolean | undefined;
  readonly checkpointEvery?: number | undefined;
  /** Scenario and MA-MuJoCo runs only: the training-time evaluation. */
  readonly evaluation?:
    | { readonly every?: number | undefined; readonly episodes?: number | undefined }
    | undefined;
}

/** Which field of a request could not be planned. */
export type RunPlanField = 'env' | 'algo' | 'config' | 'seed' | 'evaluation';

/** A request that cannot become a run; `field` says which part of it. */
export class RunPlanError extends Error {
  override readonly name = 'RunPlanError';

  constructor(
    readonly field: RunPlanField,
    message: string,
  ) {
    super(message);
  }
}

/** A planned run: its config.json and, for a scenario run, the scenario text to copy beside it. */
export interface RunPlan {
  readonly run: RunConfig;
  readonly scenarioText: string | null;
}

/** Plans a new run (throws RunPlanError). */
export function planNewRun(request: NewRunRequest): RunPlan {
  const scenario = typeof request.env === 'string' ? null : request.env;
  const envName = scenario === null ? canonicalEnvName(request.env as string) : scenario.envName;
  const defaults = trainingEvaluationDefaults(envName, scenario !== null);
  if (defaults === null && request.evaluation !== undefined) {
    throw new RunPlanError(
      'evaluation',
      'the training-time evaluation is for scenario and MA-MuJoCo runs only',
    );
  }
  const seed = request.seed ?? scenario?.scenario.seed ?? RUN_DEFAULTS.seed;
  const train = planTrainConfig(envName, request, seed);
  const run = newRunConfig({
    env: envName,
    train,
    checkpointEvery: request.checkpointEvery ?? RUN_DEFAULTS.checkpointEvery,
    ...(scenario !== null && { scenario: { source: scenario.file, name: scenario.scenario.name } }),
    ...(defaults !== null && { evaluation: trainingEvaluation(request.evaluation, defaults) }),
  });
  return { run, scenarioText: scenario?.text ?? null };
}

/** The env's canonical registry name ("matrix:penalty-0" → "matrix:penalty0"). */
export function canonicalEnvName(name: string): string {
  try {
    return registryCanonicalEnvName(name);
  } catch (error) {
    throw new RunPlanError('env', (error as Error).message);
  }
}

/**
 * The training config of a new run on `envName` (canonical): preset ← quirks ← overrides ←
 * algorithm ← seed ← updates; at least one update. What `planNewRun` puts in config.json's `train`,
 * and what `steer compare` and `steer table1` check a folder's run against before reusing it.
 */
export function planTrainConfig(
  envName: string,
  request: Omit<NewRunRequest, 'env'>,
  seed: number,
): TrainConfig {
  const overrides = { ...(request.overrides ?? {}) };
  if (Object.hasOwn(overrides, 'seed')) {
    throw new RunPlanError('seed', 'seed: the seed has its own option, not a config override');
  }
  checkAlgorithm(request.algo, overrides.algo);
  let config: TrainConfig;
  try {
    config = resolveAlgorithmConfig(
      envName,
      {
        ...(request.referenceQuirks ? REFERENCE_QUIRKS : {}),
        ...overrides,
        ...(request.algo !== undefined && { algo: request.algo }),
        seed,
      } as Partial<TrainConfig>,
      { updates: request.updates },
    );
  } catch (error) {
    // "Invalid training configuration:\nembedDim: …\nnumBlocks: …" → one line
    const message = (error as Error).message.replace(/:\n/g, ': ').replace(/\n/g, '; ');
    throw new RunPlanError('config', message);
  }
  if (totalUpdates(config) < 1) {
    throw new RunPlanError(
      'config',
      `this config trains 0 updates: totalEnvSteps ${config.totalEnvSteps} < episodeLength × numEnvs = ` +
        `${config.episodeLength * config.numEnvs}; raise totalEnvSteps or give the number of updates`,
    );
  }
  return config;
}

/**
 * The algorithm asked for must be in the registry, whether it came as `algo` (field "algo") or as
 * a config override (`--set algo=…`, field "config"); given both ways, the names must agree. A
 * name that is not even a name (not a string) is left to the config schema.
 */
function checkAlgorithm(asked: string | undefined, override: unknown): void {
  if (asked !== undefined && override !== undefined && override !== asked) {
    throw new RunPlanError(
      'algo',
      `the algorithm is given twice, "${asked}" and, as a config override, "${String(override)}"; give it once`,
    );
  }
  const [name, field] = asked !== undefined ? [asked, 'algo' as const] : [override, 'config' as const];
  if (typeof name !== 'string') return;
  try {
    algorithmNamed(name);
  } catch (error) {
    const message = (error as Error).message;
    throw new RunPlanError(field, field === 'algo' ? message : `algo: ${message}`);
  }
}

/** A run's training-time evaluation: the request's, else the defaults. */
function trainingEvaluation(asked: NewRunRequest['evaluation'], defaults: RunEvaluation): RunEvaluation {
  return {
    every: asked?.every ?? defaults.every,
    episodes: asked?.episodes ?? defaults.episodes,
    seed: defaults.seed,
  };
}

/**
 * The `steer train` command line that makes the same run as `request` in folder `out` on `backend`
 * (what argv.json records for a run the app started). `scenarioPath` is the scenario file's path
 * as the command would be given it. The algorithm is always written, with its own option.
 */
export function trainCommandLine(
  plan: RunPlan,
  request: NewRunRequest,
  out: string,
  backend: string,
  scenarioPath?: string,
): string[] {
  const { run } = plan;
  const evaluation = request.evaluation;
  return [
    'train',
    ...(scenarioPath !== undefined ? ['--scenario', scenarioPath] : ['--env', run.env]),
    '--algo',
    run.train.algo,
    '--seed',
    String(run.train.seed),
    '--out',
    out,
    '--updates',
    String(run.totalUpdates),
    '--backend',
    backend,
    '--checkpoint-every',
    String(run.checkpointEvery),
    ...(request.referenceQuirks ? ['--reference-quirks'] : []),
    ...(evaluation?.every !== undefined ? ['--eval-every', String(evaluation.every)] : []),
    ...(evaluation?.episodes !== undefined ? ['--eval-episodes', String(evaluation.episodes)] : []),
    ...Object.entries(request.overrides ?? {})
      .filter(([key]) => key !== 'algo') // written as --algo above
      .flatMap(([key, value]) => ['--set', `${key}=${String(value)}`]),
  ];
}
