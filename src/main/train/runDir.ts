/**
 * The run folder (a run can be rebuilt from its folder):
 *
 *   runs/<id>/argv.json            the command lines that created and resumed the run
 *   runs/<id>/config.json          env name and the resolved training config (validated on read)
 *   runs/<id>/scenario.json        HORM runs: a copy of the scenario file the env is built from
 *   runs/<id>/metrics.jsonl        one line per PPO update, stable slash-namespaced keys
 *   runs/<id>/checkpoints/latest/  weights, optimizer, RNG, normaliser, env snapshots, counters
 *
 * Every JSON file is written atomically.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { StoredTrainConfigSchema, type TrainConfig, totalUpdates } from '../../core/algos/config.js';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomicWrite.js';
import { zodIssueLines } from '../io/fileIssues.js';

/** Paths inside one run folder. */
export interface RunPaths {
  readonly dir: string;
  readonly argv: string;
  readonly config: string;
  readonly metrics: string;
  readonly checkpoint: string;
  /** The copy of the scenario file (scenario runs only). */
  readonly scenario: string;
}

/** The files of run folder `dir`. */
export function runPaths(dir: string): RunPaths {
  return {
    dir,
    argv: join(dir, 'argv.json'),
    config: join(dir, 'config.json'),
    metrics: join(dir, 'metrics.jsonl'),
    checkpoint: join(dir, 'checkpoints', 'latest'),
    scenario: join(dir, RUN_SCENARIO_FILE),
  };
}

/** A run folder is missing, already taken, or holds a bad file. */
export class RunDirError extends Error {
  override readonly name = 'RunDirError';
}

/** Name of the scenario copy inside a run folder. */
export const RUN_SCENARIO_FILE = 'scenario.json';

/** Format version of config.json written by this build. */
export const RUN_CONFIG_FORMAT_VERSION = 1;

/** Schema of `config.json`. */
export const RunConfigSchema = z.strictObject({
  formatVersion: z.literal(RUN_CONFIG_FORMAT_VERSION),
  kind: z.literal('steer-run'),
  /** Registry name of the env, e.g. "matrix:penalty-100". */
  env: z.string().min(1),
  /** PPO updates of the whole run (derived from `train`; kept for readers). */
  totalUpdates: z.int().min(1),
  /** Save checkpoints/latest every this many updates (and always at the end). */
  checkpointEvery: z.int().min(1),
  /** The resolved training configuration. */
  train: StoredTrainConfigSchema,
  /** Scenario runs (HORM): the env is rebuilt from the copy in the run folder, not from `env`. */
  scenario: z
    .strictObject({
      /** The copy inside the run folder (always "scenario.json"). */
      file: z.literal(RUN_SCENARIO_FILE),
      /** The file given to `steer train --scenario`, as typed. */
      source: z.string().min(1),
      /** The scenario's name. */
      name: z.string().min(1),
    })
    .optional(),
  /**
   * Scenario and MA-MuJoCo runs: the greedy evaluation logged while training (scenario runs:
   * docs/spec/horm.md §8.4, every 10 iterations, 32 episodes; MA-MuJoCo: every 25 updates, 5
   * episodes, docs/envs/mujoco.md), on the fixed held-out env seeds seed, seed + 1, … (§10.7 Rec.).
   */
  evaluation: z
    .strictObject({
      /** Evaluate every this many updates (and after the last). */
      every: z.int().min(1),
      /** Episodes per evaluation. */
      episodes: z.int().min(1),
      /** Env seed of the first evaluation episode. */
      seed: z.int().min(0),
    })
    .optional(),
});

/** The contents of config.json. */
export type RunConfig = z.infer<typeof RunConfigSchema>;

/**
 * The config.json of a new run: `train` resolved, `totalUpdates` derived from it; a scenario run
 * also records where its scenario came from and its training-time evaluation.
 */
export function newRunConfig(options: {
  readonly env: string;
  readonly train: TrainConfig;
  readonly checkpointEvery: number;
  readonly scenario?: { readonly source: string; readonly name: string };
  /** Scenario and MA-MuJoCo runs: the training-time evaluation. */
  readonly evaluation?: RunEvaluation;
}): RunConfig {
  const run: RunConfig = {
    formatVersion: RUN_CONFIG_FORMAT_VERSION,
    kind: 'steer-run',
    env: options.env,
    totalUpdates: totalUpdates(options.train),
    checkpointEvery: options.checkpointEvery,
    train: options.train,
  };
  if (options.scenario !== undefined) {
    const { source, name } = options.scenario;
    run.scenario = { file: RUN_SCENARIO_FILE, source, name };
  }
  if (options.evaluation !== undefined) run.evaluation = { ...options.evaluation };
  return run;
}

/** A scenario run's training-time evaluation settings. */
export type RunEvaluation = NonNullable<RunConfig['evaluation']>;

/** One invocation of the CLI on this run. */
export interface Invocation {
  /** Arguments after `steer`, as typed. */
  readonly argv: readonly string[];
  readonly cwd: string;
  /** ISO 8601 start time. */
  readonly at: string;
  /** The ML backend used. */
  readonly backend: string;
  readonly node: string;
}

/** Contents of argv.json: the invocation that created the run, then every resume. */
export interface ArgvFile {
  readonly created: Invocation;
  readonly resumes: Invocation[];
}

/**
 * Refuses an existing, non-empty `dir` (a previous run would be overwritten); an empty folder is
 * accepted.
 */
export async function assertNewRunDir(dir: string, label = dir): Promise<void> {
  if (!existsSync(dir)) return;
  const info = await stat(dir);
  if (info.isDirectory() && (await readdir(dir)).length === 0) return;
  throw new RunDirError(
    `${label} already exists; continue that run with 'steer train --resume ${label}', or choose another --out`,
  );
}

/**
 * Creates a run folder: config.json, argv.json and, for a scenario run, `scenarioText` (the file's
 * text, unchanged) as scenario.json. The folder must be new (see assertNewRunDir).
 */
export async function createRunDir(
  dir: string,
  config: RunConfig,
  invocation: Invocation,
  scenarioText?: string,
): Promise<void> {
  await assertNewRunDir(dir);
  const paths = runPaths(dir);
  if ((config.scenario === undefined) !== (scenarioText === undefined)) {
    throw new Error('createRunDir: config.scenario and the scenario text go together');
  }
  if (scenarioText !== undefined) await writeFileAtomic(paths.scenario, scenarioText);
  await writeJsonAtomic(paths.config, RunConfigSchema.parse(config));
  const argv: ArgvFile = { created: invocation, resumes: [] };
  await writeJsonAtomic(paths.argv, argv);
}

/** Adds a resume to argv.json (keeps what is there; tolerates a missing or unreadable file). */
export async function recordResume(dir: string, invocation: Invocation): Promise<void> {
  const path = runPaths(dir).argv;
  let file: ArgvFile = { created: invocation, resumes: [] };
  try {
    const raw = JSON.parse(await readFile(path, 'utf8')) as Partial<ArgvFile>;
    if (raw.created !== undefined) file = { created: raw.created, resumes: [...(raw.resumes ?? [])] };
  } catch {
    // no usable argv.json: this resume becomes its first entry
  }
  if (file.created !== invocation) file.resumes.push(invocation);
  await writeJsonAtomic(path, file);
}

/**
 * The backend run `dir` last trained on: argv.json's latest entry (its last resume, else its
 * creation), or null when argv.json is missing, unreadable or does not say. A resume without
 * --backend continues on it, so a cpu run is not silently continued on another backend.
 */
export async function lastRunBackend(dir: string): Promise<string | null> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(runPaths(dir).argv, 'utf8'));
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const { created, resumes } = raw as { created?: Partial<Invocation>; resumes?: unknown };
  const latest =
    (Array.isArray(resumes) ? (resumes.at(-1) as Partial<Invocation> | undefined) : undefined) ?? created;
  return typeof latest?.backend === 'string' ? latest.backend : null;
}

/** Reads and validates `<dir>/config.json`; errors name the file and the field. */
export async function readRunConfig(dir: string): Promise<RunConfig> {
  const path = runPaths(dir).config;
  if (!existsSync(dir)) throw new RunDirError(`${dir}: run folder not found`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new RunDirError(`${dir}: not a run folder (no config.json); runs are made by 'steer train --out'`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new RunDirError(`${path}: invalid JSON: ${(error as Error).message}`);
  }
  const parsed = RunConfigSchema.safeParse(raw);
  if (!parsed.success) throw new RunDirError(`${path}: ${zodIssueLines(parsed.error.issues).join('; ')}`);
  const config = parsed.data;
  const derived = totalUpdates(config.train);
  if (derived !== config.totalUpdates) {
    throw new RunDirError(
      `${path}: totalUpdates: expected ${derived} (totalEnvSteps / episodeLength / numEnvs), found ${config.totalUpdates}`,
    );
  }
  return config;
}
