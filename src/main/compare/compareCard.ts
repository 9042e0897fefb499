/**
 * The results card of `steer compare` (docs/results/compare-<name>.md): what was run and how
 * (command, date, machine, backend, budget, wall time, run folders), the final evaluation table,
 * the learning-curve charts beside it, how the intervals are computed, and any failed run.
 */
import { describeActions } from '../cli/progress.js';
import type { ChartFile } from './compareCharts.js';
import type { CompareRunOutcome } from './compareEvaluation.js';
import { type FinalTable, formatFinalTable } from './finalTable.js';

/** Everything the card states besides the table and charts. */
export interface CompareCardInfo {
  /** The env's canonical name, or the scenario's name and file. */
  readonly env: string;
  /** The exact command line that produced the card. */
  readonly command: string;
  /** ISO 8601 start time. */
  readonly date: string;
  readonly machine: string;
  readonly backend: string;
  readonly algos: readonly string[];
  readonly seeds: number;
  /** PPO updates per run, env steps per run (null when unknown), and the --set overrides. */
  readonly updates: number;
  readonly envSteps: number | null;
  readonly overrides: readonly string[];
  /** How the final evaluation was made (one sentence). */
  readonly evaluation: string;
  readonly wallSeconds: number;
  readonly runsDir: string;
  /** Runs trained, resumed and skipped in this invocation. */
  readonly outcomes: readonly CompareRunOutcome[];
  /** The x axis's description, e.g. "update". */
  readonly axis: string;
}

/** "12.5 s", "3.2 min" or "1.5 h". */
export function formatWallTime(seconds: number): string {
  if (seconds < 90) return `${seconds.toFixed(1)} s`;
  if (seconds < 90 * 60) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** The card's Markdown. */
export function formatCompareCard(
  table: FinalTable,
  charts: readonly ChartFile[],
  info: CompareCardInfo,
): string {
  const failures = info.outcomes.filter((o) => o.status === 'failed');
  const budget = `${info.updates} PPO updates per run${info.envSteps === null ? '' : ` (${info.envSteps.toLocaleString('en-US')} env steps)`}`;
  return [
    `# Comparison on ${info.env}: ${info.algos.join(', ')}`,
    '',
    'Written by `steer compare`; do not edit by hand. Each algorithm was trained with seeds',
    `1..${info.seeds}, each seed its own run. Figures are means over the seeds with 95 % confidence`,
    "intervals from Student's t over the seeds (mean ± t₀.₉₇₅,ₙ₋₁ · s/√n, s the sample standard",
    "deviation): they assume the seeds' results independent and roughly normal, and are wide for few",
    'seeds. The share of seeds converged (docs/spec/steer.md §c.7) has a 95 % Wilson score interval',
    'instead; a run that failed counts in it as a seed that did not converge (the means are over the',
    "runs evaluated). The curves' bands are the same Student-t interval at each point, over the seeds",
    'that logged the metric there; a metric that is 0 or 1 in every run (eval/converged) is a share of',
    'seeds, and its band is the Wilson interval.',
    '',
    `- Command: \`${info.command}\``,
    `- Date: ${info.date}`,
    `- Machine: ${info.machine}`,
    `- Backend: ${info.backend}`,
    `- Budget: ${budget}${info.overrides.length === 0 ? '' : `; ${info.overrides.map((o) => `--set ${o}`).join(' ')}`}`,
    `- Seeds: 1..${info.seeds} per algorithm`,
    `- Final evaluation: ${info.evaluation}`,
    `- Wall time: ${formatWallTime(info.wallSeconds)} (${describeActions(info.outcomes)})`,
    `- Run folders: \`${info.runsDir}\``,
    '',
    '## Final evaluation',
    '',
    formatFinalTable(table),
    '',
    '## Learning curves',
    '',
    ...(charts.length === 0
      ? ['No run logged the metrics asked for.']
      : charts.flatMap((c) => [
          `### ${c.metric}`,
          '',
          `![${c.metric} against ${info.axis}, mean and 95 % band over seeds](${c.png})`,
          '',
          `SVG: [${c.svg}](${c.svg})`,
          '',
        ])),
    ...(failures.length === 0
      ? []
      : [
          '## Failed runs',
          '',
          ...failures.map((f) => `- ${f.algo} seed ${f.seed}: ${f.error ?? 'failed'}`),
          '',
        ]),
  ].join('\n');
}
