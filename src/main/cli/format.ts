/** Small text formatters shared by the commands' human-readable output. */

import type { EpisodesEvaluation } from '../train/episodesEvaluate.js';
import type { Evaluation } from '../train/evaluate.js';
import type { HormEvaluation } from '../train/hormEvaluate.js';

/** A number for people: integers as is, others with up to 3 decimals ("9.875", "-0.5"). */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toFixed(3)));
}

/** A large figure with thousands separators ("12,353"). */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/**
 * Joint actions per step, runs of equal steps folded: [[0,0]×9, [2,0]] → "(0,0)×9 (2,0)";
 * continuous values to 3 decimals (formatNumber).
 */
export function formatJointActions(actions: readonly (readonly number[])[]): string {
  const parts: string[] = [];
  const keyOf = (joint: readonly number[]) => `(${joint.map(formatNumber).join(',')})`;
  let i = 0;
  while (i < actions.length) {
    const key = keyOf(actions[i]!);
    let j = i + 1;
    while (j < actions.length && keyOf(actions[j]!) === key) j++;
    parts.push(j - i > 1 ? `${key}×${j - i}` : key);
    i = j;
  }
  return parts.join(' ');
}

/** Per-agent values: "agent 0: 10, agent 1: 10". */
export function formatPerAgent(values: readonly number[]): string {
  return values.map((v, j) => `agent ${j}: ${formatNumber(v)}`).join(', ');
}

/** Lines "label  value" with the labels padded to one column. */
export function formatFields(fields: readonly (readonly [string, string])[]): string {
  const width = Math.max(...fields.map(([label]) => label.length));
  return fields.map(([label, value]) => `${label.padEnd(width)}  ${value}\n`).join('');
}

/** "actions / returns / target / converged" lines of a greedy evaluation (`train` and `eval`). */
export function evaluationFields(e: Evaluation): [string, string][] {
  return [
    ['actions', `${formatJointActions(e.actions)}  (greedy, agent 0 leads)`],
    ['returns', formatPerAgent(e.returns)],
    ['target', e.target === null ? 'none (not a Table 1 game)' : formatPerAgent(e.target)],
    ['converged', e.target === null ? 'n/a' : e.converged ? 'yes' : 'no'],
  ];
}

/** A fraction as a percentage for people: 0.125 → "12.5%". */
export function formatPercent(fraction: number | null): string {
  return fraction === null || !Number.isFinite(fraction) ? '–' : `${formatNumber(100 * fraction)}%`;
}

/** The text lines of seeded greedy episodes (`train` and `eval` of an MA-MuJoCo run). */
export function episodesEvaluationFields(e: EpisodesEvaluation): [string, string][] {
  const last = e.seed + e.episodes - 1;
  return [
    ['episodes', `${e.episodes} greedy, env seeds ${e.seed}${e.episodes > 1 ? `–${last}` : ''}`],
    [
      'return',
      `mean ${formatNumber(e.meanReturn)}, max ${formatNumber(e.maxReturn)}, min ${formatNumber(e.minReturn)} (shared by the agents)`,
    ],
    ['episode length', `${formatNumber(e.meanLength)} steps (mean)`],
  ];
}

/** The text lines of a HORM evaluation (`train` and `eval`). */
export function hormEvaluationFields(e: HormEvaluation): [string, string][] {
  const last = e.seed + e.episodes - 1;
  const merged = e.results.reduce((s, r) => s + r.merged, 0);
  return [
    ['episodes', `${e.episodes} greedy, env seeds ${e.seed}${e.episodes > 1 ? `–${last}` : ''}`],
    [
      'crash rate',
      `${formatPercent(e.crashRate)} (any CAV; agent 0 only: ${formatPercent(e.crashRateAgent0)})`,
    ],
    ['mean speed', `${formatNumber(e.meanSpeed)} m/s (CAVs, over the episode)`],
    ['mean return', `${formatNumber(e.meanReturn)} (${formatPerAgent(e.meanReturnPerAgent)})`],
    [
      'merge completion',
      e.mergeCompletion === null
        ? 'n/a (no ramp CAVs)'
        : `${formatPercent(e.mergeCompletion)} (${merged} of ${e.rampCavs} ramp CAVs reached the main road)`,
    ],
    ['episode length', `${formatNumber(e.meanEpisodeLength)} steps`],
  ];
}
