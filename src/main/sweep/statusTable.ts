/**
 * What `steer sweep status` (and the end of `steer sweep run`) shows: one row per run of the sweep
 * file, in start order, with its state, the update it reached of its total (and as a progress bar)
 * and its last error, then the counts. A running run's update is read live from its metrics.jsonl;
 * the others come from the status file (sweepStatus.ts), or from the queue and the run store for a
 * queued sweep (queue/queueStatus.ts). Runs the status file does not know yet are queued at update 0.
 */
import { join } from 'node:path';
import { readLastRecord } from '../io/metricsLog.js';
import { SWEEP_RUN_STATES, type SweepRunState } from './sweepExecutor.js';
import type { SweepRun } from './sweepRun.js';
import { type RunStatus, type SweepRunner, type SweepStatus, shownState } from './sweepStatus.js';
import type { PathResolver } from './sweepTargets.js';

/** One run as the status shows it. */
export interface SweepStatusRow {
  readonly id: string;
  readonly state: SweepRunState;
  /** Update reached. */
  readonly update: number;
  /** PPO updates of the run. */
  readonly updates: number;
  /** Last error line of a failed run, else null. */
  readonly error: string | null;
  readonly runDir: string;
}

/** The last update a run's metrics.jsonl logged, or null when it has none (or cannot be read). */
export async function loggedUpdate(runDir: string): Promise<number | null> {
  const update = (await readLastRecord(join(runDir, 'metrics.jsonl')))?.update;
  return typeof update === 'number' ? update : null;
}

/** The rows of `runs` given the status file (null: never run). */
export async function sweepStatusRows(
  runs: readonly SweepRun[],
  status: SweepStatus | null,
  resolvePath: PathResolver,
): Promise<SweepStatusRow[]> {
  const runner = status?.runner ?? null;
  return Promise.all(
    runs.map((run) => statusRow(run, status?.runs[run.id], runner, resolvePath(run.runDir))),
  );
}

/**
 * The rows of the runs a status file lists, in its order, without the sweep file (the app reads
 * sweeps by their runs folder alone). `folderOf` gives the folder a running run's update is read
 * from, or null for an id that names no folder the caller may read (then the file's update shows).
 */
export async function statusFileRows(
  status: SweepStatus,
  folderOf: (id: string) => string | null,
): Promise<SweepStatusRow[]> {
  return Promise.all(
    Object.entries(status.runs).map(([id, entry]) =>
      statusRow({ id, updates: entry.updates, runDir: entry.runDir }, entry, status.runner, folderOf(id)),
    ),
  );
}

/** One run's row: its entry's state as shown (see shownState), its update live from `folder` while it runs. */
async function statusRow(
  run: { readonly id: string; readonly updates: number; readonly runDir: string },
  entry: RunStatus | undefined,
  runner: SweepRunner | null,
  folder: string | null,
): Promise<SweepStatusRow> {
  const state = shownState(entry, runner);
  const live = entry?.state === 'running' && folder !== null ? await loggedUpdate(folder) : null;
  return {
    id: run.id,
    state,
    update: live ?? entry?.update ?? 0,
    updates: run.updates,
    error: state === 'failed' ? (entry?.error ?? null) : null,
    runDir: run.runDir,
  };
}

/** Runs per state. */
export function stateCounts(rows: readonly SweepStatusRow[]): Record<SweepRunState, number> {
  const counts: Record<SweepRunState, number> = { done: 0, running: 0, failed: 0, queued: 0 };
  for (const row of rows) counts[row.state] += 1;
  return counts;
}

/** "4 runs: 2 done, 1 running, 0 failed, 1 queued". */
export function formatCounts(rows: readonly SweepStatusRow[]): string {
  const counts = stateCounts(rows);
  const parts = SWEEP_RUN_STATES.map((state) => `${counts[state]} ${state}`);
  return `${rows.length} run${rows.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

/** Characters of a progress bar between its brackets. */
const BAR_WIDTH = 20;

/** `[########------------]  40%`: the share of a run's updates reached. */
export function progressBar(update: number, updates: number): string {
  const share = updates > 0 ? Math.min(1, Math.max(0, update / updates)) : 0;
  const filled = Math.floor(share * BAR_WIDTH);
  const percent = `${Math.floor(share * 100)}%`.padStart(4);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${percent}`;
}

/** The rows as a text table (columns padded), then the counts line. */
export function formatStatusTable(rows: readonly SweepStatusRow[]): string {
  const header = ['run', 'state', 'update', 'progress', 'error'];
  const cells = rows.map((row) => [
    row.id,
    row.state,
    `${row.update}/${row.updates}`,
    progressBar(row.update, row.updates),
    row.error ?? '',
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((r) => r[c]!.length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...cells.map(line), formatCounts(rows)].join('\n');
}
