/**
 * The dashboard's run list as data: the run folders under runs/ and the bundled models/
 * (`runs.list`) merged with this
 * session's jobs (`jobs.list`), and what a row of the list and the selected run's header say
 * (status, algorithm, env or scenario, seed, progress, the action offered). Plain TypeScript, no
 * DOM: unit-tested on its own (test/unit/renderer/dashboard/runRows.test.ts).
 */
import type { ApiResponse } from '../../shared/api/contract.js';
import { isBundledRun, runFolderOf } from '../../shared/api/jobMethods.js';
import type { FieldRow } from '../ui/dom.js';

/** A job of this app session, as `jobs.list` returns it. */
export type JobInfo = ApiResponse<'jobs.list'>['jobs'][number];
/** A run folder under runs/, as `runs.list` returns it. */
export type RunInfo = ApiResponse<'runs.list'>['runs'][number];

/** One row of the run list: a run folder, and the job training it if any. */
export interface RunRow {
  readonly runId: string;
  readonly run: RunInfo | null;
  readonly job: JobInfo | null;
}

/**
 * The runs on disk and this session's jobs, merged by run id (jobs first, then the runs as listed:
 * newest first, the bundled models/ last).
 */
export function mergeRuns(jobs: readonly JobInfo[], runs: readonly RunInfo[]): RunRow[] {
  const rows = new Map<string, RunRow>();
  for (const job of jobs) rows.set(job.runId, { runId: job.runId, job, run: null });
  for (const run of runs) {
    const row = rows.get(run.runId);
    rows.set(run.runId, { runId: run.runId, job: row?.job ?? null, run });
  }
  return [...rows.values()];
}

/** The status a row shows: its job's while this session has one, else the folder's. */
export function statusOf(row: RunRow): string {
  return row.job?.status ?? row.run?.status ?? 'unreadable';
}

/** What one entry of the run list shows. */
export interface RunEntry {
  readonly status: string;
  /** The algorithm's registry name ("steer", "mappo"); "" when the folder's config.json does not read. */
  readonly algo: string;
  /** The algorithm, the scenario (else the env), the seed, the job's backend: "mappo · HORM easy · seed 0 · cpu". */
  readonly what: string;
  /** Updates done: the job's while it trains, else those in the folder's checkpoint. */
  readonly update: number;
  /** Updates the run is configured for. */
  readonly total: number;
  /** Why the job failed, else null. */
  readonly error: string | null;
  /** The button offered: Stop while a job trains, Resume for a folder that can go on, else none. */
  readonly action: 'stop' | 'resume' | null;
}

/** Folder statuses (and ended job statuses) a run can be resumed from. */
const RESUMABLE = ['stopped', 'failed', 'partial', 'new'];

/** The algorithm of `row`: its job's, else its folder's ("" when neither says). */
export function algoOf(row: RunRow): string {
  return row.job?.algo ?? row.run?.algo ?? '';
}

/** The run list's entry for `row` (a bundled model is read-only: no Resume). */
export function runEntry(row: RunRow): RunEntry {
  const { run, job } = row;
  const status = statusOf(row);
  const algo = algoOf(row);
  const env = job?.env ?? run?.env ?? '';
  const scenario = job?.scenario ?? run?.scenario ?? null;
  const seed = job?.seed ?? run?.seed ?? null;
  const training = job !== null && (job.status === 'running' || job.status === 'stopping');
  const parts = [algo, scenario ?? env, seed === null ? '' : `seed ${seed}`, job?.backend ?? ''].filter(
    (part) => part !== '',
  );
  return {
    status,
    algo,
    what: parts.join(' · '),
    update: training ? job.update : (run?.update ?? job?.update ?? 0),
    total: job?.totalUpdates ?? run?.totalUpdates ?? 0,
    error: job?.status === 'failed' && job.error !== null ? job.error : null,
    action:
      status === 'starting' || status === 'running'
        ? 'stop'
        : run !== null && RESUMABLE.includes(status) && !isBundledRun(row.runId) // bundled: read-only
          ? 'resume'
          : null,
  };
}

/** The selected run's title: its folder, "runs/dash-1" or "models/horm-easy". */
export function runTitle(runId: string): string {
  return runFolderOf(runId).path;
}

/** The run list with no run folder and no bundled model. */
export const NO_RUNS_TEXT = 'no runs under runs/ or models/ yet';

/** The header's rows while no run is selected. */
export const NO_RUN_FIELDS: readonly FieldRow[] = Object.freeze([
  ['—', 'start a job or pick a run on the left'],
] as const);

/**
 * The selected run's header: status, algorithm, env (and scenario), seed, updates, the metrics
 * records held (`records`, the last one at update `lastUpdate`), and the job's backend and error
 * when it has them.
 */
export function runFields(row: RunRow, records: number, lastUpdate: number): FieldRow[] {
  const { run, job } = row;
  const scenario = job?.scenario ?? run?.scenario;
  const rows: FieldRow[] = [
    ['status', statusOf(row), job?.status === 'failed' ? 'bad' : undefined],
    ['algorithm', algoOf(row) || '—'],
    ['env', `${job?.env ?? run?.env ?? ''}${scenario ? ` · scenario "${scenario}"` : ''}`],
    ['seed', String(job?.seed ?? run?.seed ?? '—')],
    ['updates', `${job?.update ?? run?.update ?? 0} / ${job?.totalUpdates ?? run?.totalUpdates ?? 0}`],
    ['records', `${records} (last at update ${lastUpdate})`],
  ];
  if (isBundledRun(row.runId)) rows.push(['folder', `${runFolderOf(row.runId).path} (bundled, read-only)`]);
  if (job?.backend) rows.push(['backend', job.backend]);
  if (job?.error) rows.push(['error', job.error, 'bad']);
  return rows;
}
