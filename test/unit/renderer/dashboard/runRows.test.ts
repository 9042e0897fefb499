/**
 * What the dashboard's run list and run header say (src/renderer/dashboard/runRows.ts), on the
 * bundled HORM-easy run folder and jobs of this session training it: which row a job lands in,
 * which update count a row shows (the job's while it trains, the checkpoint's otherwise: where a
 * resume starts), which action it offers, and the header's numbers against the run's own files.
 * Every entry and header names the run's algorithm: the bundled run's is STEER's (its config.json
 * predates `algo`), a new job's is the one it was started with (mappo here).
 */
import { describe, expect, it } from 'vitest';
import { MetricColumns } from '../../../../src/renderer/dashboard/metricSeries.js';
import {
  algoOf,
  type JobInfo,
  mergeRuns,
  NO_RUNS_TEXT,
  type RunInfo,
  type RunRow,
  runEntry,
  runFields,
  runTitle,
  statusOf,
} from '../../../../src/renderer/dashboard/runRows.js';
import type { FieldRow } from '../../../../src/renderer/ui/dom.js';
import { JobInfoSchema, RunInfoSchema } from '../../../../src/shared/api/jobMethods.js';
import { BUNDLED_RECORDS, BUNDLED_RUN, BUNDLED_RUN_ID, BUNDLED_SCENARIO_NAME } from './bundledRun.js';

/** A job of this session on the bundled run (a resume from its checkpoint), as `jobs.list` returns it. */
function jobOnBundledRun(fields: Partial<JobInfo>): JobInfo {
  return JobInfoSchema.parse({
    runId: BUNDLED_RUN_ID,
    status: 'running',
    update: BUNDLED_RUN.update + 5,
    totalUpdates: BUNDLED_RUN.totalUpdates,
    startUpdate: BUNDLED_RUN.update,
    algo: BUNDLED_RUN.algo,
    env: BUNDLED_RUN.env,
    scenario: BUNDLED_RUN.scenario,
    seed: BUNDLED_RUN.seed,
    backend: 'cpu',
    startedAt: '2026-12-01T10:00:00.000Z',
    endedAt: null,
    error: null,
    ...fields,
  });
}

/** A new matrix job of MAPPO whose folder the run list has not read yet. */
const MATRIX_JOB = JobInfoSchema.parse({
  runId: 'dash-20261201-1',
  status: 'starting',
  update: 0,
  totalUpdates: 40,
  startUpdate: 0,
  algo: 'mappo',
  env: 'matrix:penalty0',
  scenario: null,
  seed: 1,
  backend: null,
  startedAt: '2026-12-01T10:01:00.000Z',
  endedAt: null,
  error: null,
});

/** An older folder whose config.json does not read. */
const UNREADABLE_RUN: RunInfo = RunInfoSchema.parse({
  runId: 'broken',
  status: 'unreadable',
  algo: '',
  env: '',
  scenario: null,
  seed: null,
  totalUpdates: 0,
  update: 0,
  modifiedAt: '2026-11-01T00:00:00.000Z',
  error: 'runs/broken/config.json: not JSON',
});

const folderOnly: RunRow = { runId: BUNDLED_RUN_ID, run: BUNDLED_RUN, job: null };
const withJob = (job: JobInfo, run: RunInfo | null = BUNDLED_RUN): RunRow => ({ runId: job.runId, run, job });

/** The value of the row labelled `label` (fails the test when there is none). */
function field(rows: readonly FieldRow[], label: string): FieldRow {
  const found = rows.find(([l]) => l === label);
  expect(found, `row "${label}" in ${JSON.stringify(rows)}`).toBeDefined();
  return found!;
}

describe('mergeRuns', () => {
  it("puts this session's jobs first, then the folders as listed; a folder with a job shares its row", () => {
    const job = jobOnBundledRun({});
    const rows = mergeRuns([MATRIX_JOB, job], [UNREADABLE_RUN, BUNDLED_RUN]);
    expect(rows.map((r) => r.runId)).toEqual([MATRIX_JOB.runId, BUNDLED_RUN_ID, UNREADABLE_RUN.runId]);
    expect(rows[0]).toEqual({ runId: MATRIX_JOB.runId, job: MATRIX_JOB, run: null });
    expect(rows[1]).toEqual({ runId: BUNDLED_RUN_ID, job, run: BUNDLED_RUN });
    expect(rows[2]).toEqual({ runId: 'broken', job: null, run: UNREADABLE_RUN });
  });

  it('shows the job status over the folder status, and the folder status without a job', () => {
    expect(statusOf(folderOnly)).toBe('partial');
    expect(statusOf(withJob(jobOnBundledRun({ status: 'stopping' })))).toBe('stopping');
    expect(statusOf({ runId: 'x', run: null, job: null })).toBe('unreadable');
  });
});

describe('runEntry', () => {
  it('the bundled folder: STEER, its scenario and seed, its checkpoint update of its total, and Resume', () => {
    const entry = runEntry(folderOnly);
    expect(BUNDLED_RUN.update).toBeGreaterThan(0);
    expect(BUNDLED_RUN.update).toBeLessThan(BUNDLED_RUN.totalUpdates);
    // config.json predates `algo`: the host reads it as STEER's, as every run saved before
    expect(BUNDLED_RUN.algo).toBe('steer');
    expect(entry).toEqual({
      status: 'partial',
      algo: 'steer',
      what: `steer · ${BUNDLED_SCENARIO_NAME} · seed ${BUNDLED_RUN.seed}`,
      update: BUNDLED_RUN.update,
      total: BUNDLED_RUN.totalUpdates,
      error: null,
      action: 'resume',
    });
  });

  it("while a job trains it: the job's update (ahead of the checkpoint), its backend, and Stop", () => {
    const job = jobOnBundledRun({ status: 'running' });
    const entry = runEntry(withJob(job));
    expect(entry.update).toBe(job.update);
    expect(entry.update).toBeGreaterThan(BUNDLED_RUN.update);
    expect(entry.what).toBe(`steer · ${BUNDLED_SCENARIO_NAME} · seed ${job.seed} · cpu`);
    expect(entry.action).toBe('stop');
    // Stopping: still the job's count, but nothing to press (the stop is under way).
    const stopping = runEntry(withJob(jobOnBundledRun({ status: 'stopping' })));
    expect([stopping.update, stopping.action]).toEqual([job.update, null]);
  });

  it("a stopped job shows the checkpoint's update, where a resume starts, and offers Resume", () => {
    const job = jobOnBundledRun({ status: 'stopped', endedAt: '2026-12-01T10:05:00.000Z' });
    const entry = runEntry(withJob(job));
    expect(job.update).not.toBe(BUNDLED_RUN.update);
    expect(entry.update).toBe(BUNDLED_RUN.update);
    expect(entry.action).toBe('resume');
    // Until the folder is listed, the job's own count stands in.
    expect(runEntry(withJob(job, null)).update).toBe(job.update);
  });

  it('a failed job shows its message; Resume only when its folder is listed', () => {
    const job = jobOnBundledRun({ status: 'failed', error: 'backend tfjs-node-gpu is not available' });
    expect(runEntry(withJob(job))).toMatchObject({ status: 'failed', error: job.error, action: 'resume' });
    expect(runEntry(withJob(job, null))).toMatchObject({ error: job.error, action: null });
  });

  it('a new job before its folder is listed: its algorithm, the env (no scenario), its seed, 0 of its total, and Stop', () => {
    expect(runEntry({ runId: MATRIX_JOB.runId, run: null, job: MATRIX_JOB })).toEqual({
      status: 'starting',
      algo: 'mappo',
      what: 'mappo · matrix:penalty0 · seed 1',
      update: 0,
      total: 40,
      error: null,
      action: 'stop',
    });
  });

  it('an unreadable or complete folder offers no action', () => {
    const unreadable = runEntry({ runId: 'broken', run: UNREADABLE_RUN, job: null });
    expect(unreadable).toMatchObject({ status: 'unreadable', algo: '', what: '', action: null, error: null });
    const complete = { ...BUNDLED_RUN, status: 'complete' as const, update: BUNDLED_RUN.totalUpdates };
    expect(runEntry({ runId: BUNDLED_RUN_ID, run: complete, job: null }).action).toBeNull();
  });
});

describe('a bundled model (models/<name>, listed by runs.list on a fresh clone)', () => {
  it('is shown as its folder and read-only: no Resume, its header says so', () => {
    const row: RunRow = {
      runId: 'models/horm-easy',
      run: { ...BUNDLED_RUN, runId: 'models/horm-easy' },
      job: null,
    };
    expect(runEntry(row)).toMatchObject({ status: 'partial', algo: 'steer', action: null });
    expect(runTitle(row.runId)).toBe('models/horm-easy');
    expect(runTitle(BUNDLED_RUN_ID)).toBe(`runs/${BUNDLED_RUN_ID}`);
    expect(runFields(row, 0, 0)).toContainEqual(['folder', 'models/horm-easy (bundled, read-only)']);
    expect(NO_RUNS_TEXT).toContain('models/');
  });
});

describe('runFields', () => {
  const columns = new MetricColumns();
  columns.append(BUNDLED_RECORDS);
  const last = columns.x[columns.length - 1]!;

  it('the bundled run: env and scenario, seed, updates, and the records its metrics.jsonl holds', () => {
    const rows = runFields(folderOnly, columns.length, last);
    expect(rows.map(([label]) => label)).toEqual([
      'status',
      'algorithm',
      'env',
      'seed',
      'updates',
      'records',
    ]);
    expect(field(rows, 'status')).toEqual(['status', 'partial', undefined]);
    expect(field(rows, 'algorithm')[1]).toBe('steer');
    expect(field(rows, 'env')[1]).toBe(`${BUNDLED_RUN.env} · scenario "${BUNDLED_SCENARIO_NAME}"`);
    expect(field(rows, 'seed')[1]).toBe(String(BUNDLED_RUN.seed));
    expect(field(rows, 'updates')[1]).toBe(`${BUNDLED_RUN.update} / ${BUNDLED_RUN.totalUpdates}`);
    // One record per update up to the checkpoint: the last one is the checkpoint's update.
    expect(columns.length).toBe(BUNDLED_RECORDS.length);
    expect(last).toBe(BUNDLED_RECORDS.at(-1)!.update);
    expect(field(rows, 'records')[1]).toBe(`${BUNDLED_RECORDS.length} (last at update ${last})`);
  });

  it('a failed job: status marked bad, its backend and its error', () => {
    const job = jobOnBundledRun({ status: 'failed', error: 'worker exited with code 1' });
    const rows = runFields(withJob(job), 0, 0);
    expect(field(rows, 'status')).toEqual(['status', 'failed', 'bad']);
    expect(field(rows, 'updates')[1]).toBe(`${job.update} / ${job.totalUpdates}`);
    expect(field(rows, 'backend')).toEqual(['backend', 'cpu']);
    expect(field(rows, 'error')).toEqual(['error', job.error, 'bad']);
  });

  it('a matrix job: its algorithm, no scenario in the env row, no backend row before the worker picks one', () => {
    const rows = runFields({ runId: MATRIX_JOB.runId, run: null, job: MATRIX_JOB }, 0, 0);
    expect(field(rows, 'algorithm')[1]).toBe('mappo');
    expect(field(rows, 'env')[1]).toBe('matrix:penalty0');
    expect(rows.some(([label]) => label === 'backend')).toBe(false);
  });
});

describe('algoOf', () => {
  it("the job's algorithm while there is a job, else the folder's, else nothing", () => {
    const mappoRun: RunInfo = { ...BUNDLED_RUN, runId: MATRIX_JOB.runId, algo: 'mappo' };
    expect(algoOf({ runId: MATRIX_JOB.runId, run: mappoRun, job: MATRIX_JOB })).toBe('mappo');
    expect(algoOf({ runId: MATRIX_JOB.runId, run: mappoRun, job: null })).toBe('mappo');
    expect(algoOf({ runId: MATRIX_JOB.runId, run: null, job: MATRIX_JOB })).toBe('mappo');
    expect(algoOf({ runId: 'broken', run: UNREADABLE_RUN, job: null })).toBe('');
    // the header says so instead of an empty row
    expect(field(runFields({ runId: 'broken', run: UNREADABLE_RUN, job: null }, 0, 0), 'algorithm')[1]).toBe(
      '—',
    );
  });
});
