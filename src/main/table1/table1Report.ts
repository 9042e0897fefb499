/**
 * Table 1 from a batch of runs (docs/spec/steer.md §c.7, §c.8): per algorithm and game the share of
 * seeds whose greedy policy reaches the target, with a 95 % Wilson interval, beside the paper's
 * percentage for that method (paperTable1.ts), laid out as the paper prints it (methods as rows,
 * games as columns), then the raw counts the same way. Pure functions: the command that runs the
 * seeds is in runTable1.ts.
 */
import type { Table1Game } from '../../core/envs/matrix/targets.js';
import { describeActions } from '../cli/progress.js';
import { methodLabel, paperPercent } from './paperTable1.js';
import { wilsonInterval } from './wilson.js';

/** The outcome of one (algorithm, game, seed) run. */
export interface Table1RunResult {
  /** The algorithm's registry name, e.g. "steer", "mappo". */
  readonly algo: string;
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
  /** What this invocation did with it: trained from scratch, resumed, or found finished. */
  readonly action: 'trained' | 'resumed' | 'skipped';
  /** Wall time of this invocation's work on it [s]. */
  readonly seconds: number;
  /** Why it failed: the child's last error line. */
  readonly error?: string;
}

/** One cell of the table: an algorithm on a game. */
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
  /** The algorithm's percentage in the paper, or null where the paper has none. */
  readonly paperPercent: number | null;
}

/** One row of the table: an algorithm, its cells in the order of the games. */
export interface Table1AlgoSummary {
  /** The registry name ("steer"). */
  readonly algo: string;
  /** How the table names it: the paper's method ("STEER"), else the registry name. */
  readonly label: string;
  readonly games: readonly Table1GameSummary[];
}

/** Counts per algorithm (in the order of `algos`) and game (in the order of `games`). */
export function summarizeTable1(
  algos: readonly string[],
  games: readonly Table1Game[],
  results: readonly Table1RunResult[],
): Table1AlgoSummary[] {
  return algos.map((algo) => ({
    algo,
    label: methodLabel(algo),
    games: games.map((game) => {
      const mine = results.filter((r) => r.algo === algo && r.game === game.key);
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
        paperPercent: paperPercent(algo, game.key),
      };
    }),
  }));
}

/** "95% (76–99)": our percentage and its 95 % Wilson interval, rounded to whole percent. */
export function formatOurCell(s: Table1GameSummary): string {
  if (s.percent === null) return '–';
  return `${Math.round(s.percent)}% (${Math.round(s.low)}–${Math.round(s.high)})`;
}

/** "100%", or "–" where the paper has no figure. */
function formatPaperCell(s: Table1GameSummary): string {
  return s.paperPercent === null ? '–' : `${s.paperPercent}%`;
}

/** "18/19 (1 failed)": converged over finished runs, and the failed ones if any. */
function formatCountCell(s: Table1GameSummary): string {
  return `${s.converged}/${s.runs}${s.failed > 0 ? ` (${s.failed} failed)` : ''}`;
}

/**
 * The table in Markdown, paper layout: games as columns, one row per algorithm with our percentage
 * (95 % Wilson interval) beside the paper's; then, laid out the same way, the raw counts.
 */
export function formatTable1(summaries: readonly Table1AlgoSummary[]): string {
  const columns = summaries[0]?.games.map((g) => g.label) ?? [];
  const percentages = markdownTable(
    ['method: ours (95% Wilson interval) · paper', ...columns],
    summaries.map((a) => [a.label, ...a.games.map((g) => `${formatOurCell(g)} · ${formatPaperCell(g)}`)]),
  );
  const counts = markdownTable(
    ['converged / runs', ...columns],
    summaries.map((a) => [a.label, ...a.games.map(formatCountCell)]),
  );
  return `${percentages}\n\n${counts}`;
}

/** A Markdown table with every column padded to its widest cell. */
function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
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
export function formatTable1Report(summaries: readonly Table1AlgoSummary[], info: Table1ReportInfo): string {
  const failures = info.results.filter((r) => r.status === 'failed');
  const perGame = summaries.flatMap((a) =>
    a.games.map(
      (g) =>
        `| ${a.label} | ${g.label} | ${g.converged} | ${g.runs} | ${g.failed} | ${formatOurCell(g)} | ${formatPaperCell(g)} |`,
    ),
  );
  return [
    `# Table 1: share of seeds converging to the target strategy (${summaries.map((a) => a.label).join(', ')})`,
    '',
    'Written by `steer table1`; do not edit by hand. Convergence as in docs/spec/steer.md §c.7: one greedy',
    "episode from reset with the parameters after the last update; converged iff every agent's return",
    "equals the game's target. Intervals are 95 % Wilson score intervals over the seeds; the paper's",
    'figures are those of docs/spec/steer.md §c.8.',
    '',
    `- Command: \`${info.command}\``,
    `- Date: ${info.date}`,
    `- Backend: ${info.backend}`,
    `- Algorithms: ${summaries.map((a) => a.algo).join(', ')}`,
    `- Seeds: 1..${info.seeds} per game${summaries.length > 1 ? ' and algorithm' : ''}`,
    `- Machine: ${info.machine}`,
    `- Wall time: ${(info.wallSeconds / 60).toFixed(1)} min (this invocation: ${describeActions(info.results)})`,
    `- Run folders: \`${info.runsDir}\``,
    '',
    formatTable1(summaries),
    '',
    '## Per game',
    '',
    '| method | game | converged | runs | failed | ours | paper |',
    '|---|---|---|---|---|---|---|',
    ...perGame,
    ...(failures.length === 0
      ? []
      : [
          '',
          '## Failed runs',
          '',
          ...failures.map((f) => `- ${f.algo} ${f.game} seed ${f.seed}: ${f.error ?? 'failed'}`),
        ]),
    '',
  ].join('\n');
}
