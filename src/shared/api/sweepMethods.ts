/**
 * The Training tab's sweeps (contract.ts spreads these into API_METHODS): the sweeps found under
 * runs/ (folders holding a sweep-status.json that `steer sweep run` writes, docs/sweeps.md
 * "Status"), their counts and progress, and one sweep's runs. Read-only: sweeps are started on the
 * command line (`steer sweep run <file>`); a sweep's run opens in the run view through the run
 * methods (jobMethods.ts), which take its `runId` path.
 *
 * Platform-free: zod only (the renderer imports contract.ts, which imports this file).
 */
import { z } from 'zod';
import { isRunPath } from './jobMethods.js';

/** A sweep run's states, as `steer sweep status` shows them, in the order the counts list them. */
export const SWEEP_STATES = Object.freeze(['done', 'running', 'failed', 'queued'] as const);

/** A sweep run's state. */
export type SweepState = (typeof SWEEP_STATES)[number];

/** The command that starts (or continues) a sweep, named where the app says sweeps start. */
export const SWEEP_RUN_COMMAND = 'steer sweep run <file>';

/** A sweep's runs folder relative to runs/: "sweeps/matrix-penalty" (see isRunPath's shape). */
export const SweepPathSchema = z.string().refine(isRunPath, {
  message:
    'expected a sweep folder under runs/ like "sweeps/matrix-penalty": "/"-separated folder names of letters, digits, ".", "_" or "-", no ".."',
});

/** Runs per state. */
export const SweepCountsSchema = z.strictObject({
  done: z.int().nonnegative(),
  running: z.int().nonnegative(),
  failed: z.int().nonnegative(),
  queued: z.int().nonnegative(),
});

/** One sweep found under runs/. */
export const SweepInfoSchema = z.strictObject({
  /** Its runs folder relative to runs/ ("sweeps/matrix-penalty"): what `sweeps.status` takes. */
  path: z.string(),
  /** The sweep's name ("" when the status file cannot be read). */
  name: z.string(),
  /** The sweep file as last run (null when the status file cannot be read). */
  file: z.string().nullable(),
  /** Last change of the status file (ISO 8601; null when it cannot be read). */
  updatedAt: z.string().nullable(),
  /** Whether a process runs the sweep now (`steer sweep run`, alive). */
  running: z.boolean(),
  /** The queue of a queued sweep (its URL without password), else null. */
  queue: z.string().nullable(),
  /** Runs the status file lists. */
  runs: z.int().nonnegative(),
  counts: SweepCountsSchema,
  /** Updates reached, summed over the runs (the overall progress bar's value). */
  update: z.int().nonnegative(),
  /** Updates of all the runs (its maximum). */
  updates: z.int().nonnegative(),
  /** One line when the status file is damaged: the file, the field, what is wrong. */
  error: z.string().optional(),
});

/** A sweep list entry. */
export type SweepInfo = z.output<typeof SweepInfoSchema>;

/** One run of a sweep. */
export const SweepRunInfoSchema = z.strictObject({
  /** The run's id in the sweep: "steer/matrix-penalty-100/seed-1". */
  id: z.string(),
  /** Its folder relative to runs/, for the run methods: "sweeps/matrix-penalty/steer/matrix-penalty-100/seed-1". */
  runId: z.string(),
  state: z.enum(SWEEP_STATES),
  /** Update reached (live from metrics.jsonl while it runs). */
  update: z.int().nonnegative(),
  /** PPO updates of the run. */
  updates: z.int().nonnegative(),
  /** Last error line of a failed run, else null. */
  error: z.string().nullable(),
  /** Whether its folder holds a run (config.json) that the run view can open. */
  hasFolder: z.boolean(),
});

/** A sweep's run as the API shows it. */
export type SweepRunInfo = z.output<typeof SweepRunInfoSchema>;

/** The sweep methods. */
export const SWEEP_METHODS = {
  'sweeps.list': {
    summary:
      'the sweeps under runs/ (folders holding a sweep-status.json: runs/<name>/, runs/sweeps/<name>/), with counts and progress',
    request: z.strictObject({}),
    response: z.strictObject({ sweeps: z.array(SweepInfoSchema) }),
  },
  'sweeps.status': {
    summary: "one sweep's runs in start order: state, update of total, last error line",
    request: z.strictObject({ path: SweepPathSchema }),
    response: z.strictObject({ sweep: SweepInfoSchema, runs: z.array(SweepRunInfoSchema) }),
  },
} as const;
