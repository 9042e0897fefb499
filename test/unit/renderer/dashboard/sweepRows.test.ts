import { describe, expect, it } from 'vitest';
import {
  NO_SWEEPS_TEXT,
  type SweepInfo,
  type SweepRunInfo,
  sweepBadge,
  sweepCounts,
  sweepRunFields,
  sweepWhat,
} from '../../../../src/renderer/dashboard/sweepRows.js';

const SWEEP: SweepInfo = {
  path: 'sweeps/matrix-penalty',
  name: 'matrix-penalty',
  file: 'sweeps/matrix-penalty.yaml',
  updatedAt: '2026-12-07T10:00:00.000Z',
  running: false,
  queue: null,
  runs: 4,
  counts: { done: 1, running: 2, failed: 0, queued: 1 },
  update: 175,
  updates: 400,
};

const FAILED: SweepRunInfo = {
  id: 'mappo/matrix-penalty-100/seed-1',
  runId: 'sweeps/matrix-penalty/mappo/matrix-penalty-100/seed-1',
  state: 'failed',
  update: 12,
  updates: 100,
  error: 'Error: out of memory',
  hasFolder: true,
};

describe('sweep rows', () => {
  it('count the runs per state as `steer sweep status` does', () => {
    expect(sweepCounts(SWEEP)).toBe('4 runs: 1 done, 2 running, 0 failed, 1 queued');
    expect(sweepCounts({ ...SWEEP, runs: 1, counts: { done: 1, running: 0, failed: 0, queued: 0 } })).toBe(
      '1 run: 1 done, 0 running, 0 failed, 0 queued',
    );
  });

  it('say what runs a sweep and badge it', () => {
    expect(sweepWhat(SWEEP)).toBe('sweeps/matrix-penalty.yaml · not running');
    expect(sweepWhat({ ...SWEEP, running: true })).toBe('sweeps/matrix-penalty.yaml · running');
    expect(sweepWhat({ ...SWEEP, queue: 'redis://q:6379' })).toBe(
      'sweeps/matrix-penalty.yaml · on the queue redis://q:6379',
    );
    expect(sweepWhat({ ...SWEEP, error: 'runs/sweeps/matrix-penalty/sweep-status.json: invalid JSON' })).toBe(
      'runs/sweeps/matrix-penalty',
    );
    expect(sweepBadge(SWEEP)).toBe('stopped');
    expect(sweepBadge({ ...SWEEP, running: true })).toBe('running');
    expect(sweepBadge({ ...SWEEP, counts: { ...SWEEP.counts, failed: 1 } })).toBe('failed');
    expect(sweepBadge({ ...SWEEP, counts: { done: 4, running: 0, failed: 0, queued: 0 } })).toBe('complete');
    expect(sweepBadge({ ...SWEEP, error: 'runs/x/sweep-status.json: invalid JSON' })).toBe('unreadable');
  });

  it('point at the command line when there is no sweep', () => {
    expect(NO_SWEEPS_TEXT).toContain('steer sweep run <file>');
    expect(NO_SWEEPS_TEXT).toContain('steer table1 or steer compare');
  });

  it("head a sweep's run with its sweep, id, state, updates and error line", () => {
    expect(sweepRunFields(SWEEP, FAILED, 12, 11)).toEqual([
      ['sweep', 'matrix-penalty'],
      ['run', 'mappo/matrix-penalty-100/seed-1'],
      ['state', 'failed', 'bad'],
      ['updates', '12 / 100'],
      ['records', '12 (last at update 11)'],
      ['error', 'Error: out of memory', 'bad'],
    ]);
  });
});
