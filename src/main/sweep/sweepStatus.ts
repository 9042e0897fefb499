/**
 * The sweep status file, `<runsDir>/sweep-status.json`: per run id its state (queued, running, done,
 * failed), the update it reached, its last error line; and the process running the sweep, if any.
 * Written atomically (a reader sees the old file or the new one) after every change, by one writer
 * at a time: the `steer sweep run` that holds the sweep (a second one is refused while the first
 * lives). The run folders stay the truth about training: `steer sweep status` reads the update of
 * a running run from its metrics.jsonl, and a run the file says is running while no process runs the
 * sweep (a crash) is shown as queued, to be resumed.
 */

import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { writeJsonAtomic } from '../io/atomicWrite.js';
import { zodIssueLines } from '../io/fileIssues.js';
import type { SweepRunOutcome, SweepRunState } from './sweepExecutor.js';
import type { SweepRun } from './sweepRun.js';

/** The status file's name in the runs folder. */
export const SWEEP_STATUS_FILE = 'sweep-status.json';

/** Format version written by this build. */
export const SWEEP_STATUS_FORMAT_VERSION = 1;

const RunStatusSchema = z.strictObject({
  state: z.enum(['queued', 'running', 'done', 'failed']),
  /** The update its checkpoint held when last reported (all of them when done). */
  update: z.int().min(0),
  /** PPO updates of the run. */
  updates: z.int().min(1),
  /** Trained from scratch, resumed, or skipped (finished before); null before it was run. */
  action: z.enum(['trained', 'resumed', 'skipped']).nullable(),
  /** Why it failed, one line; null otherwise. */
  error: z.string().nullable(),
  /** The run folder (as the sweep file gives it). */
  runDir: z.string(),
  /** ISO 8601 time of the last change. */
  updatedAt: z.string(),
});

/** One run's entry. */
export type RunStatus = z.infer<typeof RunStatusSchema>;

const RunnerSchema = z.strictObject({
  pid: z.int().min(1),
  host: z.string(),
  /** The executor's description ("local pool of 2 processes"). */
  executor: z.string(),
  startedAt: z.string(),
});

/** The process running a sweep. */
export type SweepRunner = z.infer<typeof RunnerSchema>;

/** Schema of sweep-status.json. */
export const SweepStatusSchema = z.strictObject({
  formatVersion: z.literal(SWEEP_STATUS_FORMAT_VERSION),
  kind: z.literal('steer-sweep-status'),
  /** The sweep's name. */
  sweep: z.string(),
  /** The sweep file as last run. */
  file: z.string(),
  updatedAt: z.string(),
  /** The process running the sweep now; null when none is. */
  runner: RunnerSchema.nullable(),
  /**
   * The queue a queued sweep's runs were handed to (`--queue`, without its password), null for one
   * trained on this machine; absent in files written before queues (read as null).
   */
  queue: z.string().nullable().default(null),
  /** By run id, in the order the runs start. */
  runs: z.record(z.string(), RunStatusSchema),
});

/** The contents of sweep-status.json. */
export type SweepStatus = z.infer<typeof SweepStatusSchema>;

/** The status file of the runs folder `runsDir` (resolved). */
export function sweepStatusPath(runsDir: string): string {
  return join(runsDir, SWEEP_STATUS_FILE);
}

/** Reads a status file: null when there is none; an Error naming the file and field when it is damaged. */
export async function readSweepStatus(path: string): Promise<SweepStatus | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null; // ENOTDIR: a runs folder that cannot exist
    throw new Error(`${path}: cannot read the file: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: invalid JSON: ${(error as Error).message}`);
  }
  const parsed = SweepStatusSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${path}: ${zodIssueLines(parsed.error.issues).join('; ')}`);
  return parsed.data;
}

/**
 * Whether `runner` still runs: on this host, a process with its pid exists (a pid reused by another
 * process after a crash reads as alive; the next `sweep run` then says which pid to check). A runner
 * on another host is taken at its word.
 */
export function runnerAlive(runner: SweepRunner | null): boolean {
  if (runner === null) return false;
  if (runner.host !== hostname()) return true;
  try {
    process.kill(runner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by another user
  }
}

/**
 * The state a reader should show for `entry`: a run marked running whose runner is gone (a crash,
 * a kill) was stopped and will be resumed: queued.
 */
export function shownState(entry: RunStatus | undefined, runner: SweepRunner | null): SweepRunState {
  if (entry === undefined) return 'queued';
  return entry.state === 'running' && !runnerAlive(runner) ? 'queued' : entry.state;
}

/**
 * The status file of one `steer sweep run`: every run of the sweep (entries of runs no longer in the
 * file are dropped; done and failed ones are kept until the run is taken up again), then a change
 * per event. Writes are queued, one at a time, each the whole file, atomically.
 */
export class SweepStatusRecorder {
  private status: SweepStatus;
  private writing: Promise<void> = Promise.resolve();
  /** The first write that failed; later writes are skipped and `flush` rejects with it. */
  private failure: unknown = null;

  constructor(
    private readonly path: string,
    sweep: {
      readonly name: string;
      readonly file: string;
      readonly runs: readonly SweepRun[];
      /** The queue the runs go to (its label), for a queued sweep. */
      readonly queue?: string;
    },
    runner: SweepRunner,
    previous: SweepStatus | null,
    private readonly now: () => Date = () => new Date(),
  ) {
    const at = this.now().toISOString();
    const runs: Record<string, RunStatus> = {};
    for (const run of sweep.runs) {
      const before = previous?.runs[run.id];
      const kept = before !== undefined && before.updates === run.updates && before.state !== 'running';
      runs[run.id] = kept
        ? { ...before, runDir: run.runDir }
        : { ...idle(run, at), update: before?.update ?? 0 };
    }
    this.status = {
      formatVersion: SWEEP_STATUS_FORMAT_VERSION,
      kind: 'steer-sweep-status',
      sweep: sweep.name,
      file: sweep.file,
      updatedAt: at,
      runner,
      queue: sweep.queue ?? null,
      runs,
    };
    this.save();
  }

  /** The status as recorded so far. */
  get current(): SweepStatus {
    return this.status;
  }

  /** `run` started training. */
  started(run: SweepRun, action: 'trained' | 'resumed' | 'skipped'): void {
    this.change(run.id, { state: 'running', action, error: null });
  }

  /** `run` ended. */
  ended(outcome: SweepRunOutcome): void {
    const { status, update, action, error } = outcome;
    this.change(outcome.id, { state: status, update, action, error });
  }

  /** `run` was interrupted at `update`: queued again, to be resumed. */
  stopped(run: SweepRun, update: number): void {
    this.change(run.id, { state: 'queued', update });
  }

  /** No process runs the sweep any more; resolves once every write is on disk. */
  async finish(): Promise<void> {
    this.status = { ...this.status, runner: null, updatedAt: this.now().toISOString() };
    this.save();
    await this.flush();
  }

  /** Resolves once every write so far is on disk; rejects with the first write that failed. */
  async flush(): Promise<void> {
    await this.writing;
    if (this.failure !== null) throw this.failure;
  }

  private change(id: string, fields: Partial<RunStatus>): void {
    const entry = this.status.runs[id];
    if (entry === undefined) throw new Error(`sweep status: no run ${id}`);
    const updatedAt = this.now().toISOString();
    this.status = {
      ...this.status,
      updatedAt,
      runs: { ...this.status.runs, [id]: { ...entry, ...fields, updatedAt } },
    };
    this.save();
  }

  private save(): void {
    const snapshot = this.status;
    this.writing = this.writing.then(async () => {
      if (this.failure !== null) return;
      try {
        await writeJsonAtomic(this.path, snapshot);
      } catch (error) {
        this.failure = error; // reported by flush(), never an unhandled rejection
      }
    });
  }
}

/** A run not yet taken up. */
function idle(run: SweepRun, at: string): RunStatus {
  return {
    state: 'queued',
    update: 0,
    updates: run.updates,
    action: null,
    error: null,
    runDir: run.runDir,
    updatedAt: at,
  };
}
