/**
 * The final evaluation table of a comparison: one row per algorithm, each figure the mean over its
 * seeds with a 95 % Student-t interval (meanInterval.ts); the share of seeds converged (§c.7) with a
 * 95 % Wilson score interval instead, since a share of 0/1 outcomes is a binomial proportion (a
 * t-interval would be empty at 0 % or 100 %). A run that failed is a seed that did not converge: it
 * counts in the share's trials, so a crashed seed cannot raise it; the means are over the runs
 * evaluated (a failed run has no figure). Registry envs: greedy return (mean over agents) and
 * converged; HORM: crash rate, mean regional return, merge completion and mean speed (the rates'
 * intervals cut to [0, 100] %).
 */
import { wilsonInterval } from '../table1/wilson.js';
import type { CompareRunOutcome } from './compareEvaluation.js';
import type { FinalEvaluation, GreedyEvaluation, HormFinalEvaluation } from './finalEvaluation.js';
import { type MeanInterval, meanInterval } from './meanInterval.js';

/** One algorithm's row: its runs and the figures of its column headings. */
export interface FinalRow {
  readonly algo: string;
  /** Runs evaluated, and runs that failed. */
  readonly runs: number;
  readonly failed: number;
  /** Cells in the order of `FinalTable.columns`. */
  readonly cells: readonly string[];
}

/** The table: its kind, headings and rows. */
export interface FinalTable {
  readonly kind: FinalEvaluation['kind'];
  readonly columns: readonly string[];
  readonly rows: readonly FinalRow[];
}

const GREEDY_COLUMNS = ['greedy return (mean of agents)', 'converged (Wilson)'];
const HORM_COLUMNS = ['crash rate', 'mean return (regional)', 'merge completion', 'mean speed [m/s]'];

/**
 * "12.3 [10.1, 14.5]" (3 decimals at most); "12.3" with one seed; "–" with none. A rate (`scale`
 * 100, unit "%") has its interval cut to [0, 100] %: a t-interval knows no bounds.
 */
export function formatInterval(m: MeanInterval, scale = 1, unit = ''): string {
  const f = (v: number) => `${String(Number((v * scale).toFixed(scale === 1 ? 3 : 1)))}${unit}`;
  const bound = (v: number) => (unit === '%' ? Math.min(1, Math.max(0, v)) : v);
  if (m.n === 0) return '–';
  if (m.low === null || m.high === null) return f(m.mean);
  return `${f(m.mean)} [${f(bound(m.low))}, ${f(bound(m.high))}]`;
}

/** "2/3 = 67% [21, 94]": converged seeds, their share and its 95 % Wilson interval [%]. */
export function formatShare(successes: number, trials: number): string {
  if (trials === 0) return '–';
  const w = wilsonInterval(successes, trials);
  const pct = (v: number) => String(Math.round(v * 100));
  return `${successes}/${trials} = ${pct(successes / trials)}% [${pct(w.low)}, ${pct(w.high)}]`;
}

/** `failed`: the algorithm's runs that failed, each a trial of the share that did not converge. */
function greedyCells(evaluations: readonly GreedyEvaluation[], failed: number): string[] {
  const returns = evaluations.map((e) => e.returns.reduce((s, v) => s + v, 0) / e.returns.length);
  const converged = evaluations.filter((e) => e.converged).length;
  const hasTarget = evaluations.some((e) => e.target !== null);
  return [
    formatInterval(meanInterval(returns)),
    hasTarget ? formatShare(converged, evaluations.length + failed) : '–',
  ];
}

function hormCells(evaluations: readonly HormFinalEvaluation[]): string[] {
  const of = (f: (e: HormFinalEvaluation) => number | null) =>
    meanInterval(evaluations.map(f).filter((v): v is number => v !== null));
  return [
    formatInterval(
      of((e) => e.crashRate),
      100,
      '%',
    ),
    formatInterval(of((e) => e.meanReturn)),
    formatInterval(
      of((e) => e.mergeCompletion),
      100,
      '%',
    ),
    formatInterval(of((e) => e.meanSpeed)),
  ];
}

/** The table of `outcomes`, algorithms in `algos` order; `horm` picks the kind. */
export function summarizeFinal(
  algos: readonly string[],
  outcomes: readonly CompareRunOutcome[],
  horm: boolean,
): FinalTable {
  const rows = algos.map((algo) => {
    const mine = outcomes.filter((o) => o.algo === algo);
    const evaluations = mine.flatMap((o) => (o.evaluation === null ? [] : [o.evaluation]));
    const failed = mine.length - evaluations.length;
    const cells = horm
      ? hormCells(evaluations.filter((e): e is HormFinalEvaluation => e.kind === 'horm'))
      : greedyCells(
          evaluations.filter((e): e is GreedyEvaluation => e.kind === 'greedy'),
          failed,
        );
    return { algo, runs: evaluations.length, failed, cells };
  });
  return { kind: horm ? 'horm' : 'greedy', columns: horm ? HORM_COLUMNS : GREEDY_COLUMNS, rows };
}

/** The table in Markdown, every column padded to its widest cell. */
export function formatFinalTable(table: FinalTable): string {
  const header = ['algorithm', 'runs', ...table.columns];
  const rows = table.rows.map((r) => [
    r.algo,
    `${r.runs}${r.failed > 0 ? ` (${r.failed} failed)` : ''}`,
    ...r.cells,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
