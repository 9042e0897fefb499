/**
 * A sweep run as a BullMQ job: the queue's name, the job's payload (the plain SweepRun and the code
 * version that queued it), its id and options, and the progress a worker reports. The id is
 * `<sweep>/<run id>`, stable, so a sweep queued twice adds each run once (BullMQ ignores an add
 * whose job id exists); the sweep's name is in it because run ids are unique within a sweep only.
 */
import type { JobsOptions } from 'bullmq';
import { z } from 'zod';
import { type SweepRun, SweepRunSchema } from '../sweepRun.js';

/** The BullMQ queue every sweep's runs go to. */
export const RUN_QUEUE_NAME = 'steer-sweep-runs';

/** The name of every job on it. */
export const RUN_JOB_NAME = 'train';

/** Attempts of a job by default: a run whose child fails is retried twice (it resumes from its checkpoint). */
export const DEFAULT_RUN_ATTEMPTS = 3;

/** The first retry's delay [ms]; each next one doubles it. */
const RETRY_DELAY_MS = 10_000;

/** How long finished jobs stay on the queue (for `steer sweep status`) [s]: 30 days. */
const KEEP_FINISHED_S = 30 * 24 * 3600;

/** A job's payload. */
export const RunJobSchema = z.strictObject({
  /** The run, as `steer sweep plan --json` prints it. */
  run: SweepRunSchema,
  /** The code version of the command that queued it (codeVersion.ts); a worker runs only its own. */
  codeVersion: z.string().min(1),
});

/** A job's payload. */
export type RunJob = z.infer<typeof RunJobSchema>;

/** What a worker reports while it trains a run (job.updateProgress). */
export const RunProgressSchema = z.strictObject({
  /** Trained from scratch or resumed from its checkpoint. */
  action: z.enum(['trained', 'resumed']),
  /** The last update its metrics.jsonl logged. */
  update: z.int().min(0),
  /** PPO updates of the run. */
  updates: z.int().min(1),
});

/** A worker's progress report. */
export type RunProgress = z.infer<typeof RunProgressSchema>;

/** A job's result: the run's outcome (sweepExecutor.ts `SweepRunOutcome`), as the worker returned it. */
export const RunOutcomeSchema = z.strictObject({
  id: z.string(),
  action: z.enum(['trained', 'resumed', 'skipped']),
  status: z.enum(['done', 'failed']),
  update: z.int().min(0),
  error: z.string().nullable(),
  seconds: z.number().min(0),
});

/** The job id of `run`. */
export function runJobId(run: Pick<SweepRun, 'sweep' | 'id'>): string {
  return `${run.sweep}/${run.id}`; // neither has a ':' (sweep names and run ids are checked), as BullMQ requires
}

/** The options of `run`'s job: its id, attempts with exponential back-off, finished jobs kept a while. */
export function runJobOptions(run: SweepRun, attempts: number): JobsOptions {
  return {
    jobId: runJobId(run),
    attempts,
    backoff: { type: 'exponential', delay: RETRY_DELAY_MS },
    removeOnComplete: { age: KEEP_FINISHED_S },
    removeOnFail: { age: KEEP_FINISHED_S },
  };
}
