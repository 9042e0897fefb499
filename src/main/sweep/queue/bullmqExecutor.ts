/**
 * The queue executor: `steer sweep run FILE --queue redis://…` hands the sweep's runs to `steer
 * worker` processes through a BullMQ queue on Redis, then follows them until each has ended, with
 * the same events as the local pool (so the status file, the progress line and the final table are
 * the same). Each run is first decided from its folder in the run store, as the local pool decides
 * it (runSweepRun.ts `decideSweepRun`): a finished run is skipped and a folder holding another run
 * refused, without a job; the others are queued, one job per run with the run's stable id (a
 * sweep queued twice adds nothing twice):
 *
 * - no job yet, or a finished one (completed or failed: queued again, as a rerun of a local sweep
 *   retries its failed runs): a new job;
 * - a job waiting with the same run and code version: kept; with another: replaced;
 * - a job being trained: kept.
 *
 * Jobs are followed by polling their state and progress (a lost Redis only delays that; a restarted
 * one with its append-only file keeps every job). One Ctrl-C stops following, not the runs: they
 * stay on the queue and the workers go on; the same command follows them again.
 *
 * A sweep cancelled by `steer sweep cancel` (its mark, sweepCancel.ts) is queued again: the mark is
 * cleared before any run is queued, and a job the cancel ended is queued again as a finished one is
 * (its run resumes from its checkpoint). A mark found while following stops the command: the runs it
 * saw training are recorded as stopped at their checkpoints, and `execute` throws a
 * SweepCancelledError, one line saying who cancelled the sweep and how to continue it.
 */
import { isDeepStrictEqual } from 'node:util';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { checkpointIdentity } from '../../train/runState.js';
import { decideSweepRun, type SweepRunSettings } from '../runSweepRun.js';
import type { SweepEvents, SweepExecutor, SweepRunOutcome } from '../sweepExecutor.js';
import type { SweepRun } from '../sweepRun.js';
import type { QueueAddress } from './queueAddress.js';
import { QueueError } from './queueError.js';
import {
  RUN_JOB_NAME,
  RUN_QUEUE_NAME,
  type RunJob,
  RunJobSchema,
  RunOutcomeSchema,
  RunProgressSchema,
  runJobId,
  runJobOptions,
} from './runJob.js';
import { clearSweepCancel, describeCancelMark, isCancelledReason, sweepCancelMark } from './sweepCancel.js';

/** How the queue executor queues and follows. */
export interface QueueExecutorOptions
  extends Pick<SweepRunSettings, 'resolvePath' | 'targetOf' | 'otherRunRemedy'> {
  /** An open connection to the queue's Redis (connection.ts); the executor does not close it. */
  readonly connection: Redis;
  readonly address: QueueAddress;
  /** The code version the jobs carry (codeVersion.ts). */
  readonly codeVersion: string;
  /** Attempts of each job (a failed child is retried, resuming from its checkpoint). */
  readonly attempts: number;
  /** How often the jobs are polled [ms]; default 1000. */
  readonly pollMs?: number;
  /** Notes for the user (no worker connected, a lost connection). */
  readonly log: (line: string) => void;
}

/** Jobs polled at once (their commands share the connection's pipeline). */
const POLL_BATCH = 64;

/** What the executor last saw of a job it follows. */
type Seen = 'queued' | 'running';

/** The sweep followed was cancelled (`steer sweep cancel`); the message says by whom and what next. */
export class SweepCancelledError extends QueueError {}

/** Runs sweeps through the queue (see the header). */
export class QueueExecutor implements SweepExecutor {
  readonly description: string;

  constructor(private readonly options: QueueExecutorOptions) {
    this.description = `queue ${options.address.label}`;
  }

  async execute(
    runs: readonly SweepRun[],
    events: SweepEvents,
    signal?: AbortSignal,
  ): Promise<SweepRunOutcome[]> {
    const queue = new Queue(RUN_QUEUE_NAME, { connection: this.options.connection });
    queue.on('error', () => {}); // connection errors: reported once by the connection (connection.ts)
    const outcomes = new Map<string, SweepRunOutcome>();
    const ended = (run: SweepRun, outcome: SweepRunOutcome) => {
      outcomes.set(run.id, outcome);
      events.onOutcome?.(run, outcome);
    };
    try {
      const sweep = runs[0]?.sweep;
      const mark = sweep === undefined ? null : await clearSweepCancel(this.options.connection, sweep);
      if (mark !== null) {
        this.options.log(
          `sweep ${sweep} was cancelled (${describeCancelMark(mark)}); queuing its unfinished runs again`,
        );
      }
      const queued: SweepRun[] = [];
      for (const run of runs) {
        if (signal?.aborted) break; // the rest are queued by the next run of the command
        const decision = await decideSweepRun(run, this.options);
        if (decision.kind === 'ended') ended(run, decision.outcome);
        else {
          await this.submit(queue, run);
          queued.push(run);
        }
      }
      if (queued.length > 0 && (await workersOf(queue)) === 0) {
        this.options.log(
          `no worker is connected to ${this.options.address.label} yet; the runs wait for one ` +
            `(steer worker --queue ${this.options.address.label})`,
        );
      }
      await this.follow(queue, queued, events, ended, signal);
    } finally {
      await queue.close();
    }
    return runs.flatMap((run) => outcomes.get(run.id) ?? []);
  }

  /** Queues `run` (see the header). */
  private async submit(queue: Queue, run: SweepRun): Promise<void> {
    const id = runJobId(run);
    const data: RunJob = { run, codeVersion: this.options.codeVersion };
    const existing = await queue.getJob(id);
    if (existing !== undefined) {
      const before = RunJobSchema.safeParse(existing.data);
      if (before.success && before.data.run.runDir !== run.runDir) {
        throw new QueueError(
          `${this.options.address.label} holds job ${id} of another sweep named ${run.sweep} (runs in ` +
            `${before.data.run.runDir}, not ${run.runDir}); give one of the sweeps another name`,
        );
      }
      const state = await existing.getState();
      if (state === 'active') return;
      const finished = state === 'completed' || state === 'failed';
      if (!finished && before.success && isDeepStrictEqual(before.data, data)) return;
      try {
        await existing.remove();
      } catch {
        return; // a worker took it in the meantime: it is being trained
      }
    }
    await queue.add(RUN_JOB_NAME, data, runJobOptions(run, this.options.attempts));
  }

  /** Polls the jobs of `runs` until each has ended, or `signal`. */
  private async follow(
    queue: Queue,
    runs: readonly SweepRun[],
    events: SweepEvents,
    ended: (run: SweepRun, outcome: SweepRunOutcome) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const seen = new Map<string, Seen>(runs.map((run) => [run.id, 'queued']));
    const pending = new Set(runs);
    while (pending.size > 0 && !signal?.aborted) {
      const runsNow = [...pending];
      for (let start = 0; start < runsNow.length; start += POLL_BATCH) {
        const batch = runsNow.slice(start, start + POLL_BATCH);
        const outcomes = await Promise.all(batch.map(async (run) => this.observe(run, queue, seen, events)));
        for (const [index, outcome] of outcomes.entries()) {
          if (outcome === null) continue;
          pending.delete(batch[index]!);
          ended(batch[index]!, outcome);
        }
      }
      if (pending.size > 0) await this.stopIfCancelled(pending, seen, events);
      if (pending.size > 0) await sleep(Math.max(this.options.pollMs ?? 1000, pending.size * 5), signal);
    }
  }

  /**
   * Throws a SweepCancelledError when the sweep of `pending` was cancelled, after reporting each run
   * seen training as stopped at the update its checkpoint holds (the worker made it save there).
   */
  private async stopIfCancelled(
    pending: ReadonlySet<SweepRun>,
    seen: ReadonlyMap<string, Seen>,
    events: SweepEvents,
  ): Promise<void> {
    const [first] = pending;
    const mark = first === undefined ? null : await sweepCancelMark(this.options.connection, first.sweep);
    if (first === undefined || mark === null) return;
    for (const run of pending) {
      if (seen.get(run.id) !== 'running') continue;
      events.onStopped?.(run, (await checkpointIdentity(this.options.resolvePath(run.runDir)))?.update ?? 0);
    }
    const label = this.options.address.label;
    throw new SweepCancelledError(
      `sweep ${first.sweep} was cancelled (${describeCancelMark(mark)}): stopped following it with ` +
        `${pending.size} run${pending.size === 1 ? '' : 's'} not done, each saved where it stopped; ` +
        `the same command (--queue ${label}) continues them`,
    );
  }

  /** Reports what changed for `run`'s job; its outcome once it has ended, else null. */
  private async observe(
    run: SweepRun,
    queue: Queue,
    seen: Map<string, Seen>,
    events: SweepEvents,
  ): Promise<SweepRunOutcome | null> {
    const id = runJobId(run);
    // the state first, then the job: a job read before it completed has no return value yet
    const state = await queue.getJobState(id);
    const job = state === 'unknown' ? undefined : await queue.getJob(id);
    if (job === undefined) return this.vanished(run);
    const progress = RunProgressSchema.safeParse(job.progress);
    if (state === 'completed') {
      const outcome = RunOutcomeSchema.safeParse(job.returnvalue);
      if (outcome.success) return outcome.data;
      return failedOutcome(run, `job ${job.id} completed without a run outcome`, 0);
    }
    if (state === 'failed' && isCancelledReason(job.failedReason) && (await this.cancelled(run))) {
      return null; // ended by the cancel: stopIfCancelled says so
    }
    if (state === 'failed') {
      const saved = (await checkpointIdentity(this.options.resolvePath(run.runDir)))?.update ?? 0;
      const action = progress.success ? progress.data.action : 'skipped';
      return { ...failedOutcome(run, job.failedReason || 'failed', saved), action };
    }
    const now: Seen = state === 'active' ? 'running' : 'queued';
    if (now !== seen.get(run.id)) {
      seen.set(run.id, now);
      if (now === 'running') events.onStart?.(run, progress.success ? progress.data.action : 'trained');
      else events.onStopped?.(run, progress.success ? progress.data.update : 0);
    }
    return null;
  }

  /** Whether `run`'s sweep is cancelled now. */
  private async cancelled(run: SweepRun): Promise<boolean> {
    return (await sweepCancelMark(this.options.connection, run.sweep)) !== null;
  }

  /**
   * A job gone from the queue before it ended: removed by a cancel (null: stopIfCancelled says so),
   * or by hand (the run store says what became of the run).
   */
  private async vanished(run: SweepRun): Promise<SweepRunOutcome | null> {
    if (await this.cancelled(run)) return null;
    const decision = await decideSweepRun(run, this.options);
    if (decision.kind === 'ended') return decision.outcome;
    return failedOutcome(
      run,
      `its job ${runJobId(run)} left the queue before the run ended`,
      decision.update,
    );
  }
}

/** The workers connected to `queue`, or null when Redis does not say (CLIENT LIST disabled). */
async function workersOf(queue: Queue): Promise<number | null> {
  try {
    return await queue.getWorkersCount();
  } catch {
    return null;
  }
}

/** The outcome of a run whose job failed. */
function failedOutcome(run: SweepRun, error: string, update: number): SweepRunOutcome {
  return { id: run.id, action: 'skipped', status: 'failed', update, error, seconds: 0 };
}

/** Waits `ms`, or until `signal`. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
