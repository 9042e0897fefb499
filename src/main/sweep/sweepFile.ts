/**
 * The sweep file (docs/sweeps.md): algorithms × envs and scenarios × seeds, one budget, training-
 * config overrides, where the runs go. `parseSweep` reads its text (JSON or YAML) into a `SweepFile`
 * with every default filled in and every name checked against the registries, or into issues located
 * as the scenario files' are (`algos[2]: unknown algorithm "nope"; the algorithms are steer, …`).
 * Pure: the scenario files a sweep names are opened by sweepScenarios.ts.
 */
import { z } from 'zod';
import { TRAIN_LIMITS, TrainConfigSchema } from '../../core/algos/config.js';
import { algorithmNamed } from '../../core/algos/registry.js';
import {
  describeValue,
  flag,
  listOf,
  numberIn,
  numberOneOf,
  strictFields,
  text,
} from '../../core/scenario/fields.js';
import { settableConfigKeys } from '../cli/options.js';
import {
  canonicalEnvName,
  evaluatedOverEpisodes,
  planTrainConfig,
  RUN_DEFAULTS,
  RunPlanError,
} from '../train/runPlan.js';
import { envSlug } from './runId.js';
import { readSweepDocument, type SweepFormat } from './sweepDocument.js';
import { fromZodIssues, issueAt, type SweepIssue } from './sweepIssues.js';
import type { OverrideValue, SweepScenario } from './sweepRun.js';

/** Format version of sweep files written for this build (the only one so far; `version` may be left out). */
export const SWEEP_FILE_VERSION = 1;
/** Most seeds per sweep. */
export const MAX_SWEEP_SEEDS = 1000;
/** Largest seed. */
export const MAX_SEED = 2 ** 31 - 1;
/** Most runs one sweep expands to. */
export const MAX_SWEEP_RUNS = 10_000;
/** Most child processes at once. */
export const MAX_SWEEP_JOBS = 256;
/** Child processes at once when neither the file nor `--jobs` says (as table1 and compare). */
export const DEFAULT_SWEEP_JOBS = 2;
/** Where the runs go when the file does not say: `runs/sweeps/<name>`. */
export const SWEEPS_DIR = 'runs/sweeps';

const integer = { integer: true } as const;

const SeedCount = numberIn(1, MAX_SWEEP_SEEDS, '', integer);
const SeedList = listOf(numberIn(0, MAX_SEED, '', integer), 1, MAX_SWEEP_SEEDS, 'seeds');

/** A number n (seeds 1..n) or a list of seeds; either way the list, in order. */
const Seeds = z.unknown().transform((value, ctx) => {
  if (typeof value !== 'number' && !Array.isArray(value)) {
    ctx.addIssue({
      code: 'custom',
      input: value,
      message: `expected a number of seeds n (seeds 1..n, at most ${MAX_SWEEP_SEEDS}) or a list of seeds such as [1, 2, 5], received ${describeValue(value)}`,
    });
    return z.NEVER;
  }
  const parsed = Array.isArray(value) ? SeedList.safeParse(value) : SeedCount.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ code: 'custom', input: value, path: issue.path, message: issue.message });
    }
    return z.NEVER;
  }
  const seeds = parsed.data;
  return typeof seeds === 'number' ? Array.from({ length: seeds }, (_, i) => i + 1) : seeds;
});

/** An algorithm of the registry. */
const AlgoName = text(100).superRefine((name, ctx) => {
  try {
    algorithmNamed(name);
  } catch (error) {
    ctx.addIssue({ code: 'custom', input: name, message: (error as Error).message });
  }
});

/** A registry env name (aliases accepted), made canonical. */
const EnvName = text(200).transform((name, ctx) => {
  try {
    return canonicalEnvName(name);
  } catch (error) {
    ctx.addIssue({ code: 'custom', input: name, message: (error as Error).message });
    return z.NEVER;
  }
});

/** The keys `overrides` takes: those `--set` takes, but the algorithm (the sweep's `algos`). */
const OVERRIDE_KEYS = settableConfigKeys().filter((key) => key !== 'algo');

/** Training-config keys → values, each key and value checked as `steer train --set` checks them. */
const Overrides = z
  .record(z.string(), z.union([z.number(), z.boolean(), z.string(), z.null()]), {
    error: (issue) =>
      `expected training-config keys and their values (an object such as {ppoEpochs: 10}), received ${describeValue(issue.input)}`,
  })
  .superRefine((overrides, ctx) => {
    const shape: Record<string, z.ZodType> = TrainConfigSchema.shape;
    for (const [key, value] of Object.entries(overrides)) {
      const problem =
        key === 'seed'
          ? 'the seeds are the `seeds` field, not an override'
          : key === 'algo'
            ? 'the algorithms are the `algos` field, not an override'
            : !Object.hasOwn(shape, key)
              ? `unknown training config key "${key}"; the keys are ${OVERRIDE_KEYS.join(', ')}`
              : shape[key]!.safeParse(value)
                  .error?.issues.map((issue) => issue.message)
                  .join('; ');
      if (problem !== undefined)
        ctx.addIssue({ code: 'custom', input: value, path: [key], message: problem });
    }
  });

const ScenarioEntry = strictFields(
  { file: text(1000), density: numberOneOf([1, 2, 3]).optional() },
  'a scenario entry',
);

const Evaluation = strictFields(
  {
    every: numberIn(1, TRAIN_LIMITS.updates, '', integer).optional(),
    episodes: numberIn(1, TRAIN_LIMITS.evalEpisodes, '', integer).optional(),
  },
  'evaluation',
);

/** Why a name is refused: it names the default runs folder, `runs/sweeps/<name>`. */
function nameError(issue: { readonly input?: unknown }): string {
  return `expected a name of 1 to 80 letters, digits, ".", "_" or "-", starting with a letter or digit, no "..", received ${describeValue(issue.input)}`;
}

/** The fields of a sweep file as written (docs/sweeps.md lists them with their defaults). */
export const SweepFileSchema = strictFields(
  {
    version: numberOneOf([SWEEP_FILE_VERSION]).optional(),
    name: z
      .string({ error: nameError })
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/, { error: nameError })
      .refine((name) => !name.includes('..'), { error: nameError }),
    algos: listOf(AlgoName, 1, 100, 'algorithm names'),
    envs: listOf(EnvName, 1, 100, 'env names').optional(),
    scenarios: listOf(ScenarioEntry, 1, 100, 'scenario entries').optional(),
    seeds: Seeds,
    updates: numberIn(1, TRAIN_LIMITS.updates, '', integer),
    overrides: Overrides.optional(),
    referenceQuirks: flag().optional(),
    checkpointEvery: numberIn(1, TRAIN_LIMITS.updates, '', integer).optional(),
    evaluation: Evaluation.optional(),
    runsDir: text(1000).optional(),
    jobs: numberIn(1, MAX_SWEEP_JOBS, '', integer).optional(),
  },
  'a sweep',
);

/** A sweep file, checked, with every default filled in. */
export interface SweepFile {
  readonly name: string;
  /** Registry names, in the file's order. */
  readonly algos: readonly string[];
  /** Canonical registry env names, in the file's order. */
  readonly envs: readonly string[];
  readonly scenarios: readonly SweepScenario[];
  readonly seeds: readonly number[];
  /** PPO updates of every run. */
  readonly updates: number;
  readonly overrides: Readonly<Record<string, OverrideValue>>;
  readonly referenceQuirks: boolean;
  readonly checkpointEvery: number;
  /** Scenario runs' training-time evaluation; null when the sweep has no scenario. */
  readonly evaluation: { readonly every: number; readonly episodes: number } | null;
  /**
   * MA-MuJoCo runs' training-time evaluation when the file writes one (its missing fields the
   * MuJoCo defaults); null: each run's own defaults (runPlan.ts, every 25 updates, 5 episodes).
   */
  readonly mujocoEvaluation: { readonly every: number; readonly episodes: number } | null;
  /** The runs folder, relative to the working directory (default `runs/sweeps/<name>`). */
  readonly runsDir: string;
  /** Child processes at once. */
  readonly jobs: number;
}

/** A sweep file's verdict. */
export type SweepParseResult =
  | { readonly ok: true; readonly sweep: SweepFile }
  | { readonly ok: false; readonly issues: readonly SweepIssue[] };

/** Reads and checks the text of a sweep file. Never throws. */
export function parseSweep(text: string, format: SweepFormat): SweepParseResult {
  const document = readSweepDocument(text, format);
  if (!document.ok) return { ok: false, issues: [document.issue] };
  const parsed = SweepFileSchema.safeParse(document.value);
  if (!parsed.success) return { ok: false, issues: fromZodIssues(parsed.error.issues) };
  const written = parsed.data;
  const sweep: SweepFile = {
    name: written.name,
    algos: written.algos,
    envs: written.envs ?? [],
    scenarios: (written.scenarios ?? []).map((s) => ({ file: s.file, density: s.density ?? null })),
    seeds: written.seeds,
    updates: written.updates,
    overrides: written.overrides ?? {},
    referenceQuirks: written.referenceQuirks ?? false,
    checkpointEvery: written.checkpointEvery ?? RUN_DEFAULTS.checkpointEvery,
    evaluation:
      written.scenarios === undefined
        ? null
        : {
            every: written.evaluation?.every ?? RUN_DEFAULTS.trainingEvaluation.every,
            episodes: written.evaluation?.episodes ?? RUN_DEFAULTS.trainingEvaluation.episodes,
          },
    mujocoEvaluation:
      written.evaluation === undefined || !(written.envs ?? []).some(evaluatedOverEpisodes)
        ? null
        : {
            every: written.evaluation.every ?? RUN_DEFAULTS.mujocoEvaluation.every,
            episodes: written.evaluation.episodes ?? RUN_DEFAULTS.mujocoEvaluation.episodes,
          },
    runsDir: written.runsDir ?? `${SWEEPS_DIR}/${written.name}`,
    jobs: written.jobs ?? DEFAULT_SWEEP_JOBS,
  };
  const issues = [
    ...shapeIssues(sweep, written.evaluation !== undefined),
    ...duplicateIssues(sweep),
    ...configIssues(sweep, sweep.envs),
  ];
  return issues.length > 0 ? { ok: false, issues } : { ok: true, sweep };
}

/** What the fields cannot be together: no env at all, an evaluation without scenarios, too many runs. */
function shapeIssues(sweep: SweepFile, evaluationWritten: boolean): SweepIssue[] {
  const issues: SweepIssue[] = [];
  if (sweep.envs.length + sweep.scenarios.length === 0) {
    issues.push(
      issueAt([], 'expected envs (registry names such as matrix:penalty-100) or scenarios (files), or both'),
    );
  }
  if (evaluationWritten && sweep.scenarios.length === 0 && !sweep.envs.some(evaluatedOverEpisodes)) {
    issues.push(
      issueAt(
        ['evaluation'],
        "only for scenario runs (scenarios), MA-MuJoCo envs (mujoco:…) and bridged envs (pettingzoo:…): another registry env's run is judged by one greedy episode",
      ),
    );
  }
  const runs = sweep.algos.length * (sweep.envs.length + sweep.scenarios.length) * sweep.seeds.length;
  if (runs > MAX_SWEEP_RUNS) {
    issues.push(
      issueAt(
        [],
        `expected at most ${MAX_SWEEP_RUNS} runs, received ${runs} (${sweep.algos.length} algorithms × ` +
          `${sweep.envs.length + sweep.scenarios.length} envs × ${sweep.seeds.length} seeds)`,
      ),
    );
  }
  return issues;
}

/**
 * Entries that would give the same run ids: an algorithm or seed listed twice, two names of one env
 * (`matrix:mixing`, `matrix:different_order`), two scenarios with the same file name and density.
 */
function duplicateIssues(sweep: SweepFile): SweepIssue[] {
  const issues: SweepIssue[] = [];
  const check = (field: string, keys: readonly string[], shown: (i: number) => string) => {
    const first = new Map<string, number>();
    keys.forEach((key, i) => {
      const earlier = first.get(key);
      if (earlier === undefined) first.set(key, i);
      else issues.push(issueAt([field, i], `${shown(i)} gives the same runs as ${field}[${earlier}]`));
    });
  };
  check('algos', sweep.algos, (i) => `"${sweep.algos[i]}"`);
  check('seeds', sweep.seeds.map(String), (i) => `seed ${sweep.seeds[i]}`);
  const slugs = [...sweep.envs, ...sweep.scenarios].map(envSlug);
  check('envs', slugs.slice(0, sweep.envs.length), (i) => `"${sweep.envs[i]}"`);
  const envSlugs = new Set(slugs.slice(0, sweep.envs.length));
  check('scenarios', slugs.slice(sweep.envs.length), (i) => `"${sweep.scenarios[i]!.file}"`);
  sweep.scenarios.forEach((scenario, i) => {
    if (envSlugs.has(envSlug(scenario))) {
      issues.push(
        issueAt(['scenarios', i, 'file'], `"${scenario.file}" gives the run folders of an env of envs`),
      );
    }
  });
  return issues;
}

/**
 * Plans the training config of every algorithm on every env of `envNames` (canonical), so that an
 * override the config refuses (a bound, numHeads not a divisor of embedDim, a key an algorithm does
 * not take) is found before anything runs; each distinct problem once, with the first pair it hit.
 */
export function configIssues(sweep: SweepFile, envNames: readonly string[]): SweepIssue[] {
  const seen = new Set<string>();
  const issues: SweepIssue[] = [];
  const changed = Object.keys(sweep.overrides).length > 0 || sweep.referenceQuirks;
  for (const env of envNames) {
    for (const algo of sweep.algos) {
      try {
        const request = { algo, updates: sweep.updates, overrides: sweep.overrides };
        planTrainConfig(env, { ...request, referenceQuirks: sweep.referenceQuirks }, sweep.seeds[0] ?? 1);
      } catch (error) {
        if (!(error instanceof RunPlanError)) throw error;
        if (seen.has(error.message)) continue;
        seen.add(error.message);
        issues.push(issueAt(changed ? ['overrides'] : [], `${algo} on ${env}: ${error.message}`));
      }
    }
  }
  return issues;
}
