/**
 * The training dashboard's part of the API contract (contract.ts spreads these into API_METHODS):
 * training jobs that run in worker threads on the main side (src/main/jobs), the run folders under
 * runs/, their metrics, checkpoints, and an evaluation that records replays (docs/app.md
 * "Training dashboard").
 *
 * A job is the live training session of one run folder, so both are named by the run's id: the
 * folder name under runs/ (`runs/<runId>/`). One job at a time per run.
 *
 * Platform-free: zod and core only (the renderer imports contract.ts, which imports this file).
 */
import { z } from 'zod';
import { TRAIN_LIMITS, TrainConfigSchema } from '../../core/algos/config.js';
import { AUTO_BACKEND, BACKEND_NAMES } from '../../core/nn/backend.js';
import { BUNDLED_SCENARIO_DIR, scenarioSourceOf, USER_SCENARIO_DIR } from './scenarioMethods.js';

/** Folder of the run folders, relative to the project root. */
export const RUNS_DIR = 'runs';
/** Longest scenario path a job accepts [characters]. */
const MAX_PATH_CHARS = 1024;
/** A run id: one folder name of letters, digits, '.', '_', '-', starting with a letter or digit. */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;
/** Most updates one job may be given, as `steer train --updates` (the HORM preset runs 1250). */
export const MAX_JOB_UPDATES = TRAIN_LIMITS.updates;
/** Most episodes `runs.evaluate` plays in one call. */
export const MAX_EVALUATE_EPISODES = 20;
/** Most records one `jobs.metrics` answer carries; `more` says when the caller should ask again. */
export const MAX_METRICS_RECORDS = 2000;
/** Longest algorithm name a job accepts [characters]. */
const MAX_ALGO_CHARS = 100;

/**
 * Folder of the bundled trained models, relative to the project root. Each `models/<name>` is a
 * run folder the run methods read as `runId` "models/<name>" (listed by `runs.list`, never trained).
 */
export const BUNDLED_MODELS_DIR = 'models';

/**
 * Folder names under runs/ that hold other things than runs (the editor's scenario files in
 * runs/scenarios/, recorded replays in runs/replays/, sweeps in runs/sweeps/), or that would be
 * read as another folder (`models/<name>` names a bundled model), so never a run id: a run there
 * would mix its files into theirs. Compared without case (macOS and Windows folders).
 */
export const RESERVED_RUN_IDS = Object.freeze(['scenarios', 'replays', 'sweeps', 'models'] as const);

/** Whether `id` is an acceptable run id (see RunIdSchema). */
export function isRunId(id: string): boolean {
  return RUN_ID.test(id) && !id.includes('..') && !isReservedRunId(id);
}

/** Whether `id` names one of the RESERVED_RUN_IDS folders. */
export function isReservedRunId(id: string): boolean {
  return (RESERVED_RUN_IDS as readonly string[]).includes(id.toLowerCase());
}

/** Most folders a run path goes down under runs/ (a sweep's run: sweeps/<name>/<algo>/<env>/set-<hash>/seed-<n>). */
const MAX_RUN_PATH_SEGMENTS = 8;

/**
 * Whether `path` names a run folder the read methods (`jobs.metrics`, `runs.checkpoints`,
 * `runs.evaluate`) may open: a run id, a "/"-separated path of folder names under runs/ (a
 * sweep's run, "sweeps/matrix-penalty/steer/matrix-penalty-100/seed-1"; `sweeps.status` names
 * them) whose first folder is not runs/scenarios/ or runs/replays/, or a bundled model
 * "models/<name>" (BUNDLED_MODELS_DIR).
 */
export function isRunPath(path: string): boolean {
  if (isRunId(path)) return true;
  const segments = path.split('/');
  if (segments.length < 2 || segments.length > MAX_RUN_PATH_SEGMENTS) return false;
  if (segments[0]!.toLowerCase() === BUNDLED_MODELS_DIR) {
    // A bundled model: exactly models/<name>.
    return segments[0] === BUNDLED_MODELS_DIR && segments.length === 2 && isRunId(segments[1]!);
  }
  if (segments[0]!.toLowerCase() === 'scenarios' || segments[0]!.toLowerCase() === 'replays') return false;
  return segments.every((segment) => RUN_ID.test(segment) && !segment.includes('..'));
}

/** Whether run path `runId` names a bundled model ("models/horm-easy"), which is read, never written. */
export function isBundledRun(runId: string): boolean {
  return runId.startsWith(`${BUNDLED_MODELS_DIR}/`);
}

/**
 * Where run path `runId` lies, relative to the project root: `runs/<runId>`, or the bundled model
 * `models/<name>` itself; `root` is the folder it must stay inside.
 */
export function runFolderOf(runId: string): { readonly root: string; readonly path: string } {
  return isBundledRun(runId)
    ? { root: BUNDLED_MODELS_DIR, path: runId }
    : { root: RUNS_DIR, path: `${RUNS_DIR}/${runId}` };
}

/** A run folder's name under runs/: "dash-20261126-1", "horm-easy-s0". */
export const RunIdSchema = z.string().refine(isRunId, {
  message: `expected a run id like "dash-20261126-1": 1–80 letters, digits, ".", "_" or "-", starting with a letter or digit, no "..", and not ${RESERVED_RUN_IDS.map((id) => `"${id}"`).join(', ')} (folders of runs/ that hold other things)`,
});

/** A run folder as the read methods name it (see isRunPath): a run id, a bundled model or a sweep's run path. */
export const RunPathSchema = z.string().refine(isRunPath, {
  message: `expected a run id like "dash-20261126-1", a bundled model like "models/horm-easy" or a sweep's run like "sweeps/matrix-penalty/steer/matrix-penalty-100/seed-1": 1–${MAX_RUN_PATH_SEGMENTS} "/"-separated folder names of 1–80 letters, digits, ".", "_" or "-", each starting with a letter or digit, no "..", not under runs/scenarios/ or runs/replays/`,
});

/**
 * Whether `path` is a scenario file a job may train on: the same files the scenario methods name
 * (scenarioSourceOf): `scenarios/<name>.json` (bundled) or `runs/scenarios/<name>.json` (the
 * user's), directly in one of those folders. (The service also checks that the real path, symlinks
 * resolved, stays inside that folder.)
 */
export function isJobScenarioPath(path: string): boolean {
  return path.length <= MAX_PATH_CHARS && scenarioSourceOf(path) !== null;
}

/** A scenario file path as a job names it: "scenarios/horm-easy.json", "runs/scenarios/mine.json". */
export const JobScenarioPathSchema = z.string().refine(isJobScenarioPath, {
  message: `expected a path like "${BUNDLED_SCENARIO_DIR}/horm-easy.json" or "${USER_SCENARIO_DIR}/my-merge.json": "/"-separated, directly in one of those folders, a name of letters, digits, ".", "_" or "-" ending in .json`,
});

/** A backend a job may ask for: a name of BACKEND_NAMES or "auto" (first available). */
export const JobBackendSchema = z.enum([AUTO_BACKEND, ...BACKEND_NAMES]);

/** What to train: the request of `jobs.start`. */
export const JobSpecSchema = z
  .strictObject({
    /** Env registry name, e.g. "matrix:penalty-0" (tiny) or "horm:density-1"; or give `scenario`. */
    env: z.string().min(1).max(200).optional(),
    /** HORM scenario file (copied into the run folder); or give `env`. */
    scenario: JobScenarioPathSchema.optional(),
    /**
     * The algorithm, a name of the registry (src/core/algos/registry.ts; `jobs.options` lists
     * them), as `steer train --algo`; default "steer". The shape is checked here, the name by the
     * host's run planner.
     */
    algo: TrainConfigSchema.shape.algo.max(MAX_ALGO_CHARS).optional(),
    /** The new run folder's id; default "dash-<yyyymmdd>-<n>", the first free n. */
    runId: RunIdSchema.optional(),
    /** Root seed of the run; default the scenario's seed, else 1 (as `steer train`). */
    seed: z
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .optional(),
    /** ML backend of the job's worker; default "auto". */
    backend: JobBackendSchema.default(AUTO_BACKEND),
    /** PPO updates of the run; default the env's preset (100 matrix, 1250 HORM). */
    updates: z.int().min(1).max(MAX_JOB_UPDATES).optional(),
    /** Save checkpoints/latest every this many updates (and on stop and at the end); default 10. */
    checkpointEvery: z.int().min(1).max(MAX_JOB_UPDATES).optional(),
    /**
     * Training config overrides, as `steer train --set key=value` (e.g. `{ numEnvs: 2 }`); unknown
     * keys and bad values are refused naming the key. The seed has its own field.
     */
    config: z.record(z.string(), z.union([z.number(), z.boolean(), z.string()])).optional(),
  })
  .refine((spec) => (spec.env === undefined) !== (spec.scenario === undefined), {
    message: 'expected env (a registry name) or scenario (a scenario file), exactly one of them',
  });

/** A job request as the service receives it (defaults filled in). */
export type JobSpec = z.output<typeof JobSpecSchema>;

/** Where a job is. `stopping`: asked to stop, finishing its update and checkpoint. */
export const JOB_STATUSES = Object.freeze([
  'starting',
  'running',
  'stopping',
  'stopped',
  'completed',
  'failed',
] as const);

/** A job's status. */
export type JobStatus = (typeof JOB_STATUSES)[number];

/** One training job (the live or last session of a run in this app session). */
export const JobInfoSchema = z.strictObject({
  runId: z.string(),
  status: z.enum(JOB_STATUSES),
  /** Updates done (the last one logged). */
  update: z.int().nonnegative(),
  /** Updates the run is configured for. */
  totalUpdates: z.int().nonnegative(),
  /** Updates done when this session started (0 for a new run). */
  startUpdate: z.int().nonnegative(),
  /** The algorithm trained, a registry name ("steer", "mappo", …). */
  algo: z.string(),
  /** Env registry name, e.g. "matrix:penalty0", "horm:density-1". */
  env: z.string(),
  /** The scenario's name for a scenario run, else null. */
  scenario: z.string().nullable(),
  seed: z.int().nonnegative(),
  /** The backend the worker runs on, once chosen (null while starting). */
  backend: z.string().nullable(),
  /** ISO 8601 times. */
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  /** Why the job failed (status 'failed'), else null. */
  error: z.string().nullable(),
});

/** A job as the API shows it. */
export type JobInfo = z.output<typeof JobInfoSchema>;

/** What a run folder's state is. `running`/`stopping`: a job of this app session trains it. */
export const RUN_STATUSES = Object.freeze([
  'new',
  'partial',
  'complete',
  'running',
  'stopping',
  'unreadable',
] as const);

/** One run folder under runs/. */
export const RunInfoSchema = z.strictObject({
  runId: z.string(),
  status: z.enum(RUN_STATUSES),
  /** The algorithm trained, a registry name ("" when config.json cannot be read). */
  algo: z.string(),
  /** Env registry name ("" when config.json cannot be read). */
  env: z.string(),
  /** The scenario's name for a scenario run, else null. */
  scenario: z.string().nullable(),
  seed: z.int().nonnegative().nullable(),
  totalUpdates: z.int().nonnegative(),
  /** Updates in checkpoints/latest (0 without one). */
  update: z.int().nonnegative(),
  /** Last change of the folder's files (ISO 8601). */
  modifiedAt: z.string(),
  /** Why the folder cannot be read (status 'unreadable'). */
  error: z.string().optional(),
});

/** A run list entry. */
export type RunInfo = z.output<typeof RunInfoSchema>;

/** A metrics value as metrics.jsonl stores it (non-finite numbers are null). */
const MetricValueSchema = z.union([z.number(), z.string(), z.boolean(), z.null()]);

/** One checkpoint folder of a run. */
export const CheckpointInfoSchema = z.strictObject({
  /** Folder name under checkpoints/ ("latest"). */
  name: z.string(),
  /** Updates the saved policy has had. */
  update: z.int().nonnegative(),
  /** When it was written (ISO 8601). */
  createdAt: z.string(),
  /** Size of its tensors [bytes]. */
  tensorBytes: z.int().nonnegative(),
});

/** The dashboard's methods. */
export const JOB_METHODS = {
  'jobs.options': {
    summary:
      'what a job can train on and with: scenario files (scenarios/, runs/scenarios/), env names, the algorithms with their summaries, backends',
    request: z.strictObject({}),
    response: z.strictObject({
      scenarios: z.array(z.strictObject({ path: z.string(), name: z.string() })),
      envs: z.array(z.string()),
      /** The registry's algorithms, in its order: name and one line saying what it is. */
      algorithms: z.array(z.strictObject({ name: z.string(), summary: z.string() })),
      backends: z.array(JobBackendSchema),
    }),
  },
  'jobs.list': {
    summary: 'the training jobs of this app session, newest first',
    request: z.strictObject({}),
    response: z.strictObject({ jobs: z.array(JobInfoSchema) }),
  },
  'jobs.start': {
    summary: 'creates runs/<runId>/ and trains it in a worker thread; answers once the folder exists',
    request: JobSpecSchema,
    response: z.strictObject({ job: JobInfoSchema }),
  },
  'jobs.stop': {
    summary: 'asks a job to stop: it finishes its update, saves a checkpoint and ends as "stopped"',
    request: z.strictObject({ runId: RunIdSchema }),
    response: z.strictObject({ job: JobInfoSchema }),
  },
  'jobs.resume': {
    summary:
      "continues a run folder from its checkpoint to its configured updates, in a new job; on the run's own backend (the last in its argv.json) unless `backend` names one",
    request: z.strictObject({ runId: RunIdSchema, backend: JobBackendSchema.optional() }),
    response: z.strictObject({ job: JobInfoSchema }),
  },
  'jobs.metrics': {
    summary: "a run's metrics.jsonl records after index `since` (0 = all), for incremental polling",
    request: z.strictObject({ runId: RunPathSchema, since: z.int().nonnegative().default(0) }),
    response: z.strictObject({
      runId: z.string(),
      /** Index of the first record returned (= the request's since, or the count if it was past it). */
      from: z.int().nonnegative(),
      records: z.array(z.record(z.string(), MetricValueSchema)),
      /** Records in the file now; pass it as `since` next time. */
      total: z.int().nonnegative(),
      /** True when the answer stopped at MAX_METRICS_RECORDS: ask again from from + records.length. */
      more: z.boolean(),
    }),
  },
  'runs.list': {
    summary:
      'the run folders under runs/ (those with a config.json), newest first, then the bundled models/, with status and updates',
    request: z.strictObject({}),
    response: z.strictObject({ runs: z.array(RunInfoSchema) }),
  },
  'runs.checkpoints': {
    summary: "a run's checkpoint folders with the update each holds",
    request: z.strictObject({ runId: RunPathSchema }),
    response: z.strictObject({ runId: z.string(), checkpoints: z.array(CheckpointInfoSchema) }),
  },
  'runs.evaluate': {
    summary:
      "evaluates a run's latest checkpoint (greedy) in a worker thread; scenario and MA-MuJoCo runs also record each episode into runs/<runId>/replays/",
    request: z.strictObject({
      runId: RunPathSchema,
      /** Scenario and MA-MuJoCo runs: episodes to play (matrix runs play their one §c.7 episode). */
      episodes: z.int().min(1).max(MAX_EVALUATE_EPISODES).default(4),
      /** Scenario runs: env seed of the first episode; default 10,000 (held out from training). */
      seed: z
        .int()
        .min(0)
        .max(2 ** 32 - 1)
        .optional(),
      /** Scenario and MA-MuJoCo runs: write the replays. */
      record: z.boolean().default(true),
      backend: JobBackendSchema.default(AUTO_BACKEND),
    }),
    response: z.strictObject({
      runId: z.string(),
      env: z.string(),
      /** Updates the evaluated policy has had. */
      update: z.int().nonnegative(),
      episodes: z.int().nonnegative(),
      /**
       * Scenario runs: crashRate, crashRateAgent0, meanSpeed [m/s], meanReturn, mergeCompletion
       * (null without ramp CAVs), meanEpisodeLength. MA-MuJoCo runs: meanReturn, maxReturn,
       * minReturn, meanEpisodeLength. Matrix runs: converged (1/0), return/agent<j>.
       */
      metrics: z.record(z.string(), z.number().nullable()),
      /** The replays written (ReplayPathSchema paths, for `replays.open`), in episode order. */
      replays: z.array(z.string()),
      /** Wall time [s]. */
      seconds: z.number().nonnegative(),
    }),
  },
} as const;
