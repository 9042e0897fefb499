/**
 * A queued sweep's cancel mark, without Redis: its key is per sweep and scoped to the run queue, its
 * value round-trips (a value written by hand still cancels), and a job the cancel ended is told
 * apart by its reason, which readers of the queue show as queued, not failed.
 */
import { describe, expect, it } from 'vitest';
import {
  CANCELLED_REASON,
  cancelledReason,
  cancelMarkKey,
  describeCancelMark,
  isCancelledReason,
  parseCancelMark,
  RUN_QUEUE_NAME,
  runState,
} from '../../../../../src/main/sweep/queue/index.js';

const MARK = { by: 'steer sweep cancel, process 4242 on node-a', at: '2026-12-07T21:40:00.000Z' };

describe('the cancel mark', () => {
  it('has one key per sweep, under the run queue', () => {
    expect(cancelMarkKey('matrix-penalty')).toBe(`${RUN_QUEUE_NAME}:cancelled:matrix-penalty`);
    expect(cancelMarkKey('a')).not.toBe(cancelMarkKey('b'));
  });

  it('round-trips its value; a value that is not a mark still cancels, by an unknown process', () => {
    expect(parseCancelMark(JSON.stringify(MARK))).toEqual(MARK);
    expect(parseCancelMark('1')).toEqual({ by: 'an unknown process', at: 'an unknown time' });
    expect(parseCancelMark('{"by":3}')).toEqual({ by: 'an unknown process', at: 'an unknown time' });
    expect(describeCancelMark(MARK)).toBe(
      'steer sweep cancel, process 4242 on node-a, at 2026-12-07T21:40:00.000Z',
    );
  });

  it("gives the reason of a job it ended, which says who cancelled and how to continue, and is told apart from a failure's", () => {
    const reason = cancelledReason(MARK);
    expect(reason.startsWith(CANCELLED_REASON)).toBe(true);
    expect(reason).toContain(describeCancelMark(MARK));
    expect(reason).toContain("'steer sweep run --queue'");
    expect(isCancelledReason(reason)).toBe(true);
    expect(isCancelledReason('the child exited with code 1')).toBe(false);
    expect(isCancelledReason(undefined)).toBe(false);
  });
});

describe('runState: a job state as a run state', () => {
  it('shows a job ended by a cancel as queued (resumable), any other failure as failed', () => {
    expect(runState('failed', cancelledReason(MARK))).toBe('queued');
    expect(runState('failed', 'out of memory')).toBe('failed');
    expect(runState('failed')).toBe('failed');
    expect(runState('completed')).toBe('done');
    expect(runState('active')).toBe('running');
    expect(runState('waiting')).toBe('queued');
    expect(runState('delayed')).toBe('queued');
    expect(runState('unknown')).toBeNull();
  });
});
