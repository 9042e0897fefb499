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
 */
import { isDeepStrictEqual } from 'node:util';
import { type Job, Queue } from 'bullmq';
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

/** How the queue executor queues and follows. */
export interface QueueExecutorOptions extends Pick<SweepRunSettings, 'resolvePath' | 'targetOf'> {
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
        const outcomes = await Promise.all(
          batch.map(async (run) => this.observe(run, await queue.getJob(runJobId(run)), seen, events)),
        );
        for (const [index, outcome] of outcomes.entries()) {
          if (outcome === null) continue;
          pending.delete(batch[index]!);
          ended(batch[index]!, outcome);
        }
      }
      if (pending.size > 0) await sleep(Math.max(this.options.pollMs ?? 1000, pending.size * 5), signal);
    }
  }

  /** Reports what changed for `run`'s job; its outcome once it has ended, else null. */
  private async observe(
    run: SweepRun,
    job: Job | undefined,
    seen: Map<string, Seen>,
    events: SweepEvents,
  ): Promise<SweepRunOutcome | null> {
    if (job === undefined) return this.vanished(run);
    const state = await job.getState();
    const progress = RunProgressSchema.safeParse(job.progress);
    if (state === 'completed') {
      const outcome = RunOutcomeSchema.safeParse(job.returnvalue);
      if (outcome.success) return outcome.data;
      return failedOutcome(run, `job ${job.id} completed without a run outcome`, 0);
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

  /** A job gone from the queue before it ended (removed by hand): the run store says what became of it. */
  private async vanished(run: SweepRun): Promise<SweepRunOutcome> {
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
