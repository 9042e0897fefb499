/**
 * How a run's greedy verdict moved during training: metrics.jsonl logs `eval/converged` (1 when the
 * greedy joint action after that update is the game's target, docs/spec/steer.md §c.7) after every
 * update of a Table 1 game. A policy that settles has one switch to 1 and stays; one that keeps
 * moving (simultaneous learners around a mixed equilibrium) hits the target now and then, so its
 * final verdict depends on the update it stopped at.
 */
import type { MetricsRecord } from '../io/metricsLog.js';

/** The greedy verdict over a run's updates. */
export interface TargetHistory {
  /** Updates that logged a verdict. */
  readonly updates: number;
  /** The greedy cell was the target after at least one update. */
  readonly everAtTarget: boolean;
  /** Share of the second half of those updates (the later ⌈n/2⌉) whose greedy cell was the target. */
  readonly lateShare: number;
  /** Times the verdict changed from one logged update to the next. */
  readonly switches: number;
}

/** The verdicts of `records` in order, or null when none logs `eval/converged` (not a Table 1 game). */
export function targetHistory(records: readonly MetricsRecord[]): TargetHistory | null {
  const verdicts = records.flatMap((record) => {
    const value = record['eval/converged'];
    return typeof value === 'number' ? [value === 1] : [];
  });
  if (verdicts.length === 0) return null;
  const late = verdicts.slice(Math.floor(verdicts.length / 2));
  let switches = 0;
  for (let i = 1; i < verdicts.length; i++) if (verdicts[i] !== verdicts[i - 1]) switches++;
  return {
    updates: verdicts.length,
    everAtTarget: verdicts.includes(true),
    lateShare: late.filter(Boolean).length / late.length,
    switches,
  };
}
