/**
 * Table 1 from a batch of runs (docs/spec/steer.md §c.7, §c.8): per game the share of seeds whose greedy
 * policy reaches the target, with a 95 % Wilson interval, beside the paper's STEER percentage, laid
 * out as the paper prints it (methods as rows, games as columns). Pure functions: the command that
 * runs the seeds is in runTable1.ts.
 */
import type { Table1Game } from '../../core/envs/matrix/targets.js';
import { wilsonInterval } from './wilson.js';

/** The outcome of one (game, seed) run. */
export interface Table1RunResult {
  /** Table1Game.key, e.g. "penalty-100". */
  readonly game: string;
  readonly envName: string;
  readonly seed: number;
  readonly runDir: string;
  /** 'ok' = trained and evaluated; 'failed' = the child exited with an error. */
  readonly status: 'ok' | 'failed';
  /** §c.7 judgement (false for a failed run). */
  readonly converged: boolean;
  /** Greedy per-agent returns (null for a failed run). */
  readonly returns: number[] | null;
  readonly target: number[];
  /** Greedy joint actions per step (null for a failed run). */
  readonly actions: number[][] | null;
  /** PPO updates trained (null for a failed run). */
  readonly updates: number | null;
  /** Wall time of the child process [s]. */
  readonly seconds: number;
  /** Why it failed: the child's last error line. */
  readonly error?: string;
}

/** One column of the table. */
export interface Table1GameSummary {
  readonly key: string;
  readonly label: string;
  /** Runs that finished (failed ones excluded). */
  readonly runs: number;
  readonly converged: number;
  readonly failed: number;
  /** 100 × converged / runs, or null with no finished runs. */
  readonly percent: number | null;
  /** 95 % Wilson interval [%]. */
  readonly low: number;
  readonly high: number;
  /** STEER's percentage in the paper, or null where the paper has none. */
  readonly paperPercent: number | null;
}

/** Counts per game, in the order of `games`. */
export function summarizeTable1(
  games: readonly Table1Game[],
  results: readonly Table1RunResult[],
): Table1GameSummary[] {
  return games.map((game) => {
    const mine = results.filter((r) => r.game === game.key);
    const finished = mine.filter((r) => r.status === 'ok');
    const converged = finished.filter((r) => r.converged).length;
    const interval = wilsonInterval(converged, finished.length);
    return {
      key: game.key,
      label: game.label,
      runs: finished.length,
      converged,
      failed: mine.length - finished.length,
      percent: finished.length === 0 ? null : (100 * converged) / finished.length,
      low: 100 * interval.low,
      high: 100 * interval.high,
      paperPercent: game.paperSteerPercent,
    };
  });
}

/** "95% (76–99)": our percentage and its 95 % Wilson interval, rounded to whole percent. */
export function formatOurCell(s: Table1GameSummary): string {
  if (s.percent === null) return '–';
  return `${Math.round(s.percent)}% (${Math.round(s.low)}–${Math.round(s.high)})`;
}

/**
 * The table in Markdown, paper layout: a row for our STEER runs (percentage and 95 % Wilson
 * interval), the paper's STEER row, and the raw counts.
 */
export function formatTable1(summaries: readonly Table1GameSummary[]): string {
  const header = ['method', ...summaries.map((s) => s.label)];
  const rows = [
    ['STEER (this run, 95% Wilson interval)', ...summaries.map(formatOurCell)],
    ['STEER (paper)', ...summaries.map((s) => (s.paperPercent === null ? '–' : `${s.paperPercent}%`))],
    [
      'converged / runs',
      ...summaries.map((s) => `${s.converged}/${s.runs}${s.failed > 0 ? ` (${s.failed} failed)` : ''}`),
    ],
  ];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** What the results card records besides the table. */
export interface Table1ReportInfo {
  /** The exact command line that produced the results. */
  readonly command: string;
  /** ISO 8601 start time. */
  readonly date: string;
  readonly backend: string;
  readonly seeds: number;
  /** CPU model and count, OS, Node version. */
  readonly machine: string;
  readonly wallSeconds: number;
  /** Where the run folders are. */
  readonly runsDir: string;
  readonly results: readonly Table1RunResult[];
}

/** docs/results/table1.md: what was run, how, where, and the table. */
export function formatTable1Report(summaries: readonly Table1GameSummary[], info: Table1ReportInfo): string {
  const failures = info.results.filter((r) => r.status === 'failed');
  const perGame = summaries
    .map((s) => `| ${s.label} | ${s.converged} | ${s.runs} | ${s.failed} | ${formatOurCell(s)} |`)
    .join('\n');
  return [
    '# Table 1: STEER, share of seeds converging to the target strategy',
    '',
    'Written by `steer table1`; do not edit by hand. Convergence as in docs/spec/steer.md §c.7: one greedy',
    "episode from reset with the parameters after the last update; converged iff every agent's return",
    "equals the game's target. Intervals are 95 % Wilson score intervals over the seeds.",
    '',
    `- Command: \`${info.command}\``,
    `- Date: ${info.date}`,
    `- Backend: ${info.backend}`,
    `- Seeds: 1..${info.seeds} per game`,
    `- Machine: ${info.machine}`,
    `- Wall time: ${(info.wallSeconds / 60).toFixed(1)} min`,
    `- Run folders: \`${info.runsDir}\``,
    '',
    formatTable1(summaries),
    '',
    '## Per game',
    '',
    '| game | converged | runs | failed | ours |',
    '|---|---|---|---|---|',
    perGame,
    ...(failures.length === 0
      ? []
      : [
          '',
          '## Failed runs',
          '',
          ...failures.map((f) => `- ${f.game} seed ${f.seed}: ${f.error ?? 'failed'}`),
        ]),
    '',
  ].join('\n');
}
