/**
 * The pure parts of `steer sweep bench` (src/main/bench/sweepBench.ts): speed-up and efficiency
 * against the same setting's 1-worker sweep, the queue's overhead from the workers' logs, the
 * table and the results card.
 */
import { describe, expect, it } from 'vitest';
import {
  formatOverhead,
  formatScalingTable,
  formatSweepBenchCard,
  type SweepTiming,
  scalingRows,
  summarizeOverhead,
  sweepBenchFile,
  workerGaps,
} from '../../../../src/main/bench/sweepBench.js';
import { parseWorkerCounts } from '../../../../src/main/commands/sweepBench.js';
import { parseSweep } from '../../../../src/main/sweep/index.js';

const timings: SweepTiming[] = [
  { setting: 'local', workers: 1, round: 0, runs: 40, seconds: 200, failed: 0, failures: [] },
  { setting: 'local', workers: 2, round: 0, runs: 40, seconds: 105, failed: 0, failures: [] },
  { setting: 'local', workers: 4, round: 0, runs: 40, seconds: 100, failed: 0, failures: [] },
  { setting: 'queue', workers: 1, round: 0, runs: 40, seconds: 210, failed: 0, failures: [] },
  { setting: 'queue', workers: 2, round: 0, runs: 40, seconds: 140, failed: 0, failures: [] },
];

describe('scalingRows', () => {
  it('divides the speed-up against the same setting at 1 worker by min(workers, cores)', () => {
    const rows = scalingRows(timings, 2);
    expect(rows.map((r) => r.speedUp)).toEqual([1, 200 / 105, 2, 1, 1.5]);
    // 4 workers on 2 cores: linear is 2×, not 4×
    expect(rows.map((r) => r.efficiency)).toEqual([1, 200 / 105 / 2, 1, 1, 0.75]);
    expect(rows[0]!.runsPerMinute).toBeCloseTo(12, 12);
  });

  it('has no speed-up without a 1-worker sweep of the setting', () => {
    const rows = scalingRows(
      [{ setting: 'queue', workers: 2, round: 0, runs: 4, seconds: 10, failed: 0, failures: [] }],
      2,
    );
    expect(rows[0]).toMatchObject({ speedUp: null, efficiency: null, runsPerMinute: 24 });
  });

  it('averages the rounds of a setting and worker count, and keeps each round in order', () => {
    const timed = (
      setting: 'local' | 'queue',
      workers: number,
      round: number,
      seconds: number,
      failed = 0,
    ) => ({
      setting,
      workers,
      round,
      runs: 10,
      seconds,
      failed,
      failures: failed > 0 ? [`run ${round}: boom`] : [],
    });
    // the order of a two-round bench: 1, 2 forward, then 2, 1 backward
    const rows = scalingRows(
      [
        timed('local', 1, 0, 100),
        timed('local', 2, 0, 60),
        timed('local', 2, 1, 50, 1),
        timed('local', 1, 1, 120),
      ],
      2,
    );
    expect(rows.map((r) => [r.workers, r.seconds, r.roundSeconds])).toEqual([
      [1, 110, [100, 120]],
      [2, 55, [60, 50]],
    ]);
    expect(rows[1]).toMatchObject({
      speedUp: 2,
      efficiency: 1,
      runs: 20,
      failed: 1,
      failures: ['run 1: boom'],
    });
    expect(rows[1]!.runsPerMinute).toBeCloseTo((60 * 10) / 55, 12); // a round's runs over the mean time
    expect(formatScalingTable(rows).split('\n')[3]).toMatch(/\| 19 \(1 failed\) +\|$/);
    expect(formatScalingTable(rows).split('\n')[3]).toMatch(/\| 55\.0 s \(60\.0, 50\.0\) +\|/);
  });
});

describe('workerGaps', () => {
  it("measures each worker's time from a run's done line to the next run's training line", () => {
    const log = [
      'backend: wasm',
      '2026-01-01T00:00:00.000Z steer worker, process 1 on h: queue redis://127.0.0.1:1, lease 60 s',
      '2026-01-01T00:00:00.100Z steer/matrix-penalty0/seed-1: training',
      '2026-01-01T00:00:03.000Z steer/matrix-penalty0/seed-1: done (trained, update 2)',
      '2026-01-01T00:00:03.012Z steer/matrix-penalty0/seed-3: training',
      '2026-01-01T00:00:06.000Z steer/matrix-penalty0/seed-3: done (trained, update 2)',
      '2026-01-01T00:00:06.040Z steer/matrix-penalty0/seed-5: resuming',
      '2026-01-01T00:00:09.000Z steer/matrix-penalty0/seed-5: done (resumed, update 2)',
      '2026-01-01T00:00:09.500Z stopping: no new run; running ones save and go back to the queue',
    ].join('\n');
    expect(workerGaps(log)).toEqual([12, 40]);
  });

  it('summarizes the gaps by their median and max', () => {
    expect(summarizeOverhead([30, 10, 20, 50])).toEqual({ mean: 27.5, median: 25, max: 50, count: 4 });
    expect(summarizeOverhead([7])).toEqual({ mean: 7, median: 7, max: 7, count: 1 });
    expect(summarizeOverhead([])).toBeNull();
    expect(formatOverhead({ mean: 27.5, median: 25, max: 50, count: 4 })).toBe(
      'queue overhead per run: mean 28 ms, median 25 ms, max 50 ms (4 gaps)',
    );
  });
});

describe('the table and the card', () => {
  const rows = scalingRows(timings, 2);

  it('prints one row per sweep timed', () => {
    const lines = formatScalingTable(rows).split('\n');
    expect(lines[0]).toMatch(
      /^\| setting +\| workers \| wall time \| runs\/min \| speed-up \| efficiency \| runs done \|$/,
    );
    expect(lines).toHaveLength(2 + timings.length);
    expect(lines[4]).toMatch(/^\| local pool +\| 4 +\| 100\.0 s +\| 24\.0 +\| 2\.00× +\| 1\.00 +\| 40 +\|$/);
    expect(lines[6]).toMatch(/^\| queue +\| 2 +\| 140\.0 s +\| 17\.1 +\| 1\.50× +\| 0\.75 +\| 40 +\|$/);
  });

  it('records the command, date, machine and sweep above the table and the overhead', () => {
    const card = formatSweepBenchCard(
      rows,
      { mean: 14, median: 12, max: 31, count: 76 },
      {
        command: 'steer sweep bench --markdown card.md',
        date: '2026-01-01T00:00:00.000Z',
        machine: '2 × CPU, linux 6, Node v20; load average 0.10 at start',
        cores: 2,
        plan: {
          runs: 40,
          algo: 'steer',
          env: 'matrix:penalty0',
          updates: 10,
          overrides: { numEnvs: 1 },
          backend: 'wasm',
          rounds: 2,
        },
      },
    );
    expect(card).toContain('- Command: `steer sweep bench --markdown card.md`\n');
    expect(card).toContain('- Date: 2026-01-01T00:00:00.000Z\n');
    expect(card).toContain('- Machine: 2 × CPU, linux 6, Node v20; load average 0.10 at start\n');
    expect(card).toContain(
      '- Sweep: 40 runs of steer on matrix:penalty0, 10 updates each, numEnvs=1; backend wasm; 2 cores; 2 rounds\n',
    );
    expect(card).toContain(formatScalingTable(rows));
    expect(card).toContain('Queue overhead per run: mean 14 ms, median 12 ms, max 31 ms (76 gaps).\n');
  });
});

describe('sweepBenchFile', () => {
  it('is a valid sweep of seeds 1..runs of one algorithm on one env', () => {
    const text = sweepBenchFile(
      {
        runs: 3,
        algo: 'mappo',
        env: 'matrix:penalty0',
        updates: 2,
        overrides: { ppoEpochs: 1 },
        workers: [1],
        rounds: 1,
        redisServer: null,
        backend: 'wasm',
      },
      'bench-local-1',
    );
    const parsed = parseSweep(text, 'json');
    expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
    expect(parsed.ok && parsed.sweep).toMatchObject({
      name: 'bench-local-1',
      algos: ['mappo'],
      envs: ['matrix:penalty0'],
      seeds: [1, 2, 3],
      updates: 2,
      overrides: { ppoEpochs: 1 },
      runsDir: 'runs',
    });
  });
});

describe('parseWorkerCounts', () => {
  it('takes 1, 2, 4 by default and each count once; a count given twice is refused', () => {
    expect(parseWorkerCounts(undefined)).toEqual([1, 2, 4]);
    expect(parseWorkerCounts(['1', '3'])).toEqual([1, 3]);
    expect(() => parseWorkerCounts(['1', '1'])).toThrow('--workers: 1 is given twice; give each count once');
    expect(() => parseWorkerCounts(['0'])).toThrow('--workers: expected whole numbers in 1..');
  });
});
