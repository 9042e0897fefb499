/**
 * `steer sweep status` of a queued sweep: the state of each run's job on the queue (waiting or
 * delayed: queued; active: running; completed: done; failed: failed, with its reason) over the rows
 * the status file gives, and the update each run reached from the run store (live from
 * metrics.jsonl while it runs, else its checkpoint), since the command that queued the sweep may
 * have stopped following it long ago. A run without a job keeps its row. A job ended by `steer sweep
 * cancel` (sweepCancel.ts) shows as queued: its run is saved and the next `sweep run` resumes it.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { checkpointIdentity } from '../../train/runState.js';
import { loggedUpdate, type SweepStatusRow } from '../statusTable.js';
import type { SweepRunState } from '../sweepExecutor.js';
import type { SweepRun } from '../sweepRun.js';
import type { PathResolver } from '../sweepTargets.js';
import { RUN_QUEUE_NAME, runJobId } from './runJob.js';
import { isCancelledReason } from './sweepCancel.js';

/** A BullMQ job state (and a failed job's reason) as a sweep run's state; null for no job. */
export function runState(state: string, failedReason?: string): SweepRunState | null {
  if (state === 'completed') return 'done';
  if (state === 'failed') return isCancelledReason(failedReason) ? 'queued' : 'failed';
  if (state === 'active') return 'running';
  return state === 'unknown' ? null : 'queued';
}

/** `rows` (one per run of `runs`, in order) with the queue's states and the run store's updates. */
export async function queueStatusRows(
  connection: Redis,
  runs: readonly SweepRun[],
  rows: readonly SweepStatusRow[],
  resolvePath: PathResolver,
): Promise<SweepStatusRow[]> {
  const queue = new Queue(RUN_QUEUE_NAME, { connection });
  queue.on('error', () => {}); // a command that fails says so; nothing to report twice
  try {
    return await Promise.all(
      runs.map(async (run, index) => {
        const row = rows[index]!;
        const job = await queue.getJob(runJobId(run));
        const state = job === undefined ? null : runState(await job.getState(), job.failedReason);
        if (state === null) return row;
        const runDir = resolvePath(run.runDir);
        const saved = (await checkpointIdentity(runDir))?.update ?? 0;
        const update = state === 'running' ? ((await loggedUpdate(runDir)) ?? saved) : saved;
        const error = state === 'failed' ? job!.failedReason || 'failed' : null;
        return { ...row, state, update, error };
      }),
    );
  } finally {
    await queue.close();
  }
}
