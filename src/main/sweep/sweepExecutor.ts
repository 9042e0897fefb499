/**
 * What runs a sweep's runs: an executor takes SweepRuns (plain data) and reports what happened to
 * each. Two: the local pool (localPool.ts: child processes on this machine) and the queue
 * (queue/bullmqExecutor.ts: BullMQ on Redis, whose `steer worker` processes on other machines take
 * the runs, each training a run as runSweepRun.ts does). The command and the status file see only
 * this interface.
 */
import type { SweepRun } from './sweepRun.js';

/** A run's state in a sweep: waiting (or stopped midway, to resume), training, finished, failed. */
export type SweepRunState = 'queued' | 'running' | 'done' | 'failed';

/** The states, in the order the status table counts them. */
export const SWEEP_RUN_STATES: readonly SweepRunState[] = ['done', 'running', 'failed', 'queued'];

/** What an executor did with a run: trained from scratch, resumed from its checkpoint, or nothing (finished before). */
export type SweepRunAction = 'trained' | 'resumed' | 'skipped';

/** What happened to one run. */
export interface SweepRunOutcome {
  readonly id: string;
  readonly action: SweepRunAction;
  readonly status: 'done' | 'failed';
  /** The update its checkpoint holds (all of them when done); 0 when it has none. */
  readonly update: number;
  /** Why it failed, in one line; null when done. */
  readonly error: string | null;
  /** Wall time of this invocation's work on it [s]. */
  readonly seconds: number;
}

/** What an executor reports while it works; every callback is optional. */
export interface SweepEvents {
  /** `run` starts training (`action`: trained or resumed). */
  readonly onStart?: (run: SweepRun, action: SweepRunAction) => void;
  /** `run` ended: done or failed (skipped runs too). */
  readonly onOutcome?: (run: SweepRun, outcome: SweepRunOutcome) => void;
  /** `run` was interrupted; its checkpoint holds `update`, and a rerun resumes it from there. */
  readonly onStopped?: (run: SweepRun, update: number) => void;
}

/** Runs a sweep's runs. */
export interface SweepExecutor {
  /** How status and messages name it ("local pool of 2 processes"). */
  readonly description: string;
  /**
   * Runs `runs` (skipping finished ones, resuming stopped ones); resolves with the outcomes of the
   * runs that ended, in `runs` order. On `signal` no run starts and running ones are stopped with
   * their state saved (reported by onStopped, left out of the outcomes); the queue instead stops
   * following its runs, which its workers go on training.
   */
  execute(runs: readonly SweepRun[], events: SweepEvents, signal?: AbortSignal): Promise<SweepRunOutcome[]>;
}
