/**
 * What the dashboard's Checkpoints and Evaluate panels say: a checkpoint's line, the episodes an
 * evaluation asks for, and an evaluation's summary and metric rows (`runs.evaluate`, as `steer
 * eval` names its metrics). Plain TypeScript, no DOM: unit-tested on its own
 * (test/unit/renderer/dashboard/evaluationText.test.ts).
 */
import type { ApiResponse } from '../../shared/api/contract.js';
import { MAX_EVALUATE_EPISODES } from '../../shared/api/jobMethods.js';
import type { FieldRow } from '../ui/dom.js';
import { formatNumber } from '../ui/format.js';

/** One checkpoint folder of a run, as `runs.checkpoints` lists it. */
export type CheckpointInfo = ApiResponse<'runs.checkpoints'>['checkpoints'][number];
/** The answer of `runs.evaluate`. */
export type Evaluation = ApiResponse<'runs.evaluate'>;

/** The checkpoint list of a run that has none. */
export const NO_CHECKPOINTS_TEXT = 'none yet (the first is saved after checkpointEvery updates, or on stop)';
/** The replay list of an evaluation that recorded none. */
export const NO_REPLAYS_TEXT = 'no replays: only scenario (HORM) and MA-MuJoCo runs record episodes';
/** Episodes the Evaluate field starts with. */
export const DEFAULT_EVALUATE_EPISODES = 4;

/** "latest: update 648 · <local time it was written> · 825 KB". */
export function checkpointLine(checkpoint: CheckpointInfo): string {
  const { name, update, createdAt, tensorBytes } = checkpoint;
  return `${name}: update ${update} · ${new Date(createdAt).toLocaleString()} · ${formatNumber(tensorBytes / 1024, 0)} KB`;
}

/**
 * The episodes to ask for, from the field's text: a whole number in [1, MAX_EVALUATE_EPISODES];
 * anything else (0, −3, 21, 2.5, empty) is not changed into one but refused, saying the range.
 */
export function episodesToPlay(text: string): { episodes: number } | { error: string } {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (trimmed !== '' && Number.isInteger(value) && value >= 1 && value <= MAX_EVALUATE_EPISODES) {
    return { episodes: value };
  }
  const received = trimmed === '' ? 'nothing' : trimmed;
  return {
    error: `Episodes: expected a whole number from 1 to ${MAX_EVALUATE_EPISODES}, received ${received}`,
  };
}

/** "update 648 · 4 episodes · 12.3 s". */
export function evaluationSummary(result: Evaluation): string {
  const { update, episodes, seconds } = result;
  return `update ${update} · ${episodes} episode${episodes === 1 ? '' : 's'} · ${formatNumber(seconds, 1)} s`;
}

/** How `runs.evaluate` metrics read: label and formatting per key (returns as they are). */
const EVALUATION_LABELS: Readonly<
  Record<string, readonly [label: string, unit: '%' | 'm/s' | 'steps' | '']>
> = {
  crashRate: ['crash rate (any CAV)', '%'],
  crashRateAgent0: ['crash rate (agent 0)', '%'],
  meanSpeed: ['mean speed', 'm/s'],
  meanReturn: ['mean return', ''],
  maxReturn: ['max return', ''],
  minReturn: ['min return', ''],
  mergeCompletion: ['merge completion', '%'],
  meanEpisodeLength: ['episode length', 'steps'],
  converged: ['converged (§c.7)', ''],
};

/** One row of the evaluation panel. */
export function evaluationRow(key: string, value: number | null): FieldRow {
  const [label, unit] = EVALUATION_LABELS[key] ?? [key.replace('/', ' '), ''];
  if (value === null) return [label, 'n/a'];
  if (key === 'converged') return [label, value === 1 ? 'yes' : 'no'];
  if (unit === '%') return [label, `${formatNumber(100 * value, 1)} %`];
  return [label, `${formatNumber(value, 2)}${unit === '' ? '' : ` ${unit}`}`];
}

/** The evaluation panel's rows, in the order the metrics came. */
export function evaluationRows(metrics: Evaluation['metrics']): FieldRow[] {
  return Object.entries(metrics).map(([key, value]) => evaluationRow(key, value));
}

/** A recorded replay's button: "▶ episode-0-seed-10000.replay". */
export function replayButtonText(path: string): string {
  return `▶ ${path.split('/').pop()}`;
}
