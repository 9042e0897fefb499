/**
 * The greedy verdict over a run's updates (metrics.jsonl's eval/converged): whether it ever reached
 * the target, how often in the later half, and how often it changed.
 */
import { describe, expect, it } from 'vitest';
import { targetHistory } from '../../../../src/main/analysis/targetHistory.js';

const records = (verdicts: number[]) =>
  verdicts.map((converged, i) => ({ update: i + 1, 'eval/converged': converged, 'loss/total': 0.5 }));

describe('targetHistory', () => {
  it('tells a policy that settles on the target from one that keeps visiting it', () => {
    expect(targetHistory(records([0, 0, 0, 1, 1, 1, 1, 1]))).toEqual({
      updates: 8,
      everAtTarget: true,
      lateShare: 1,
      switches: 1,
    });
    expect(targetHistory(records([0, 1, 0, 0, 1, 0, 0, 0, 1, 0]))).toEqual({
      updates: 10,
      everAtTarget: true,
      lateShare: 0.2, // updates 6..10: one at the target
      switches: 6,
    });
    expect(targetHistory(records([0, 0, 0]))).toMatchObject({ everAtTarget: false, lateShare: 0 });
  });

  it('is null for a run that logs no verdict, and skips records without one', () => {
    expect(targetHistory([{ update: 1, 'loss/total': 1 }])).toBeNull();
    expect(targetHistory([{ update: 1 }, { update: 2, 'eval/converged': 1 }])).toEqual({
      updates: 1,
      everAtTarget: true,
      lateShare: 1,
      switches: 0,
    });
  });
});
