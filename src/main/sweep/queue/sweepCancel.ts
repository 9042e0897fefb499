/**
 * A queued sweep's cancel mark: one Redis key per sweep, `steer-sweep-runs:cancelled:<sweep name>`,
 * set by `steer sweep cancel` and cleared by the next `steer sweep run --queue` of the sweep. While it
 * is set, a worker starts none of the sweep's runs (a job it takes ends at once), a worker training
 * one of them stops its child with SIGTERM (the run saves its checkpoint) and ends the job without
 * another attempt, and the command following the sweep stops. A job ended so fails with a reason
 * that starts with CANCELLED_REASON, which the readers of the queue show as queued (it is resumable),
 * not failed. BullMQ's own job cancellation (Worker.cancelJob) reaches only the jobs of one worker
 * object in one process; the mark reaches every worker on every machine.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { RUN_QUEUE_NAME } from './runJob.js';

/** What the mark holds: who cancelled the sweep, and when. */
export const CancelMarkSchema = z.strictObject({
  /** Who cancelled it ("steer sweep cancel, process 4242 on node-a"). */
  by: z.string(),
  /** ISO 8601 time of the cancel. */
  at: z.string(),
});

/** A sweep's cancel mark. */
export type CancelMark = z.infer<typeof CancelMarkSchema>;

/** How the failure reason of a job ended by a cancel starts. */
export const CANCELLED_REASON = 'cancelled with its sweep';

/** How often a worker training a run looks for its sweep's mark [ms]. */
export const CANCEL_CHECK_MS = 1000;

/** The Redis key of sweep `sweep`'s mark. */
export function cancelMarkKey(sweep: string): string {
  return `${RUN_QUEUE_NAME}:cancelled:${sweep}`; // sweep names have no ':' (sweepFile.ts)
}

/** The mark in a key's value; a value that is not one (written by hand) still cancels. */
export function parseCancelMark(text: string): CancelMark {
  try {
    const parsed = CancelMarkSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // not JSON: below
  }
  return { by: 'an unknown process', at: 'an unknown time' };
}

/** "steer sweep cancel, process 4242 on node-a, at 2026-12-07T21:40:00.000Z". */
export function describeCancelMark(mark: CancelMark): string {
  return `${mark.by}, at ${mark.at}`;
}

/** The failure reason of a job ended by `mark`. */
export function cancelledReason(mark: CancelMark): string {
  return (
    `${CANCELLED_REASON} (${describeCancelMark(mark)}); ` +
    "the run is saved, and the next 'steer sweep run --queue' of the sweep resumes it"
  );
}

/** Whether a job's failure reason says it was ended by a cancel. */
export function isCancelledReason(reason: string | undefined): boolean {
  return reason?.startsWith(CANCELLED_REASON) === true;
}

/** Sets the mark of `sweep`. */
export async function markSweepCancelled(connection: Redis, sweep: string, mark: CancelMark): Promise<void> {
  await connection.set(cancelMarkKey(sweep), JSON.stringify(mark));
}

/** The mark of `sweep`, or null when it is not cancelled. */
export async function sweepCancelMark(connection: Redis, sweep: string): Promise<CancelMark | null> {
  const text = await connection.get(cancelMarkKey(sweep));
  return text === null ? null : parseCancelMark(text);
}

/** Clears the mark of `sweep` (atomically read and removed); the mark it held, or null. */
export async function clearSweepCancel(connection: Redis, sweep: string): Promise<CancelMark | null> {
  const key = cancelMarkKey(sweep);
  const replies = await connection.multi().get(key).del(key).exec();
  const [error, text] = replies?.[0] ?? [null, null];
  if (error) throw error;
  return typeof text === 'string' ? parseCancelMark(text) : null;
}
