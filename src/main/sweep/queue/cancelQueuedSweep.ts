/**
 * `steer sweep cancel` of a queued sweep: sets the sweep's cancel mark (sweepCancel.ts) first, so
 * that no worker starts one of its runs from then on, then removes its jobs that wait (waiting,
 * delayed, prioritised), and waits, bounded, until the workers holding its active jobs have seen the
 * mark, stopped their children (each saves its run) and ended those jobs. A job that leaves `active`
 * for the queue meanwhile (a killed worker's, put back by BullMQ's stalled-job check) is removed too.
 * The mark stays until the next `steer sweep run --queue` of the sweep clears it.
 */
import { type Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { SweepRun } from '../sweepRun.js';
import { RUN_QUEUE_NAME, runJobId } from './runJob.js';
import { type CancelMark, markSweepCancelled } from './sweepCancel.js';

/** How a queued sweep is cancelled. */
export interface QueuedCancelOptions {
  /** An open connection to the queue's Redis (connection.ts); not closed here. */
  readonly connection: Redis;
  /** The sweep's runs (one sweep: their `sweep` is its name). */
  readonly runs: readonly SweepRun[];
  /** Who cancels, and when (the mark). */
  readonly mark: CancelMark;
  /** How long to wait for the active jobs to end [ms]. */
  readonly waitMs: number;
  /** How often they are looked at meanwhile [ms]; default 250. */
  readonly pollMs?: number;
  /** Called once the waiting jobs are removed, before waiting for the training ones to end. */
  readonly onRemoved?: (removed: number, training: number) => void;
}

/** What a cancel did. */
export interface QueuedCancelResult {
  /** Jobs removed before any worker took them. */
  readonly removed: number;
  /** Jobs that were being trained when the mark was set. */
  readonly stopping: number;
  /** Ids of the runs still training when the wait ended (none when every worker stopped in time). */
  readonly stillRunning: readonly string[];
}

/** Job states of a run no worker has taken yet: removed by a cancel. */
const NOT_STARTED = new Set(['waiting', 'paused', 'delayed', 'prioritized', 'waiting-children']);

/** Jobs looked at at once (their commands share the connection's pipeline). */
const BATCH = 64;

/** What became of one job: removed now, still being trained, or neither (ended, or none). */
type JobFate = 'removed' | 'active' | 'other';

/** Removes `job` if no worker has taken it; says what it is now. */
async function removeIfWaiting(job: Job | undefined): Promise<JobFate> {
  if (job === undefined) return 'other';
  const state = await job.getState();
  if (state === 'active') return 'active';
  if (!NOT_STARTED.has(state)) return 'other';
  try {
    await job.remove();
    return 'removed';
  } catch {
    return (await job.getState()) === 'active' ? 'active' : 'other'; // a worker took it meanwhile
  }
}

/** The fate of each of `ids`' jobs, looked at in batches. */
async function sweepJobs(queue: Queue, ids: readonly string[]): Promise<Map<string, JobFate>> {
  const fates = new Map<string, JobFate>();
  for (let start = 0; start < ids.length; start += BATCH) {
    const batch = ids.slice(start, start + BATCH);
    const found = await Promise.all(batch.map(async (id) => removeIfWaiting(await queue.getJob(id))));
    for (const [index, fate] of found.entries()) fates.set(batch[index]!, fate);
  }
  return fates;
}

/** Cancels the queued sweep of `options.runs` (see the header). */
export async function cancelQueuedSweep(options: QueuedCancelOptions): Promise<QueuedCancelResult> {
  const { connection, runs } = options;
  const sweep = runs[0]?.sweep;
  if (sweep === undefined) return { removed: 0, stopping: 0, stillRunning: [] };
  await markSweepCancelled(connection, sweep, options.mark);
  const queue = new Queue(RUN_QUEUE_NAME, { connection });
  queue.on('error', () => {}); // a command that fails says so
  try {
    const idOf = new Map(runs.map((run) => [runJobId(run), run.id]));
    const first = await sweepJobs(queue, [...idOf.keys()]);
    let removed = [...first.values()].filter((fate) => fate === 'removed').length;
    let active = [...first].filter(([, fate]) => fate === 'active').map(([id]) => id);
    const stopping = active.length;
    options.onRemoved?.(removed, stopping);
    const deadline = Date.now() + options.waitMs;
    while (active.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
      const now = await sweepJobs(queue, active);
      removed += [...now.values()].filter((fate) => fate === 'removed').length;
      active = active.filter((id) => now.get(id) === 'active');
    }
    return { removed, stopping, stillRunning: active.map((id) => idOf.get(id)!) };
  } finally {
    await queue.close();
  }
}
