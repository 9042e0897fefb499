/**
 * What the dashboard's Sweeps panel says, as data: a sweep's counts line and what it is (file,
 * who runs it), the empty state pointing at the command line, and the header of a sweep's run
 * opened in the run view. Plain TypeScript, no DOM (test/unit/renderer/dashboard/sweepRows.test.ts).
 */
import type { ApiResponse } from '../../shared/api/contract.js';
import { SWEEP_RUN_COMMAND, SWEEP_STATES } from '../../shared/api/sweepMethods.js';
import type { FieldRow } from '../ui/dom.js';

/** A sweep under runs/, as `sweeps.list` returns it. */
export type SweepInfo = ApiResponse<'sweeps.list'>['sweeps'][number];
/** A run of a sweep, as `sweeps.status` returns it. */
export type SweepRunInfo = ApiResponse<'sweeps.status'>['runs'][number];

/** The panel's text when runs/ holds no sweep: sweeps start on the command line. */
export const NO_SWEEPS_TEXT = `No sweeps under runs/ yet. Sweeps are started on the command line: ${SWEEP_RUN_COMMAND}, steer table1 or steer compare`;

/** "4 runs: 1 done, 2 running, 0 failed, 1 queued", as `steer sweep status` ends. */
export function sweepCounts(sweep: SweepInfo): string {
  const parts = SWEEP_STATES.map((state) => `${sweep.counts[state]} ${state}`);
  return `${sweep.runs} run${sweep.runs === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

/** Its file and who runs it: "sweeps/matrix-penalty.yaml · not running"; its folder when its status file does not read. */
export function sweepWhat(sweep: SweepInfo): string {
  if (sweep.error !== undefined) return `runs/${sweep.path}`;
  const runner =
    sweep.queue !== null ? `on the queue ${sweep.queue}` : sweep.running ? 'running' : 'not running';
  return [sweep.file ?? '', runner].filter((part) => part !== '').join(' · ');
}

/** The status badge of a sweep: running while a process runs it, else done, failed or stopped. */
export function sweepBadge(sweep: SweepInfo): string {
  if (sweep.error !== undefined) return 'unreadable';
  if (sweep.running) return 'running';
  if (sweep.counts.failed > 0) return 'failed';
  return sweep.counts.done === sweep.runs ? 'complete' : 'stopped';
}

/**
 * The run view's header for a sweep's run: the sweep, its id in the sweep, state, updates, the
 * metrics records held (the last at update `lastUpdate`) and a failed run's last error line.
 */
export function sweepRunFields(
  sweep: SweepInfo | undefined,
  run: SweepRunInfo,
  records: number,
  lastUpdate: number,
): FieldRow[] {
  const rows: FieldRow[] = [
    ['sweep', sweep?.name || '—'],
    ['run', run.id],
    ['state', run.state, run.state === 'failed' ? 'bad' : undefined],
    ['updates', `${run.update} / ${run.updates}`],
    ['records', `${records} (last at update ${lastUpdate})`],
  ];
  if (run.error !== null) rows.push(['error', run.error, 'bad']);
  return rows;
}
