/**
 * What the dashboard's Checkpoints and Evaluate panels say (src/renderer/dashboard/
 * evaluationText.ts), on the bundled HORM-easy run: its checkpoint's line against the checkpoint's
 * own manifest, and an evaluation answer made of the run's last periodic evaluation (the numbers
 * `steer eval` reports), every shown number read back and compared with the metric it shows.
 */
import { describe, expect, it } from 'vitest';
import {
  checkpointLine,
  type Evaluation,
  episodesToPlay,
  evaluationRow,
  evaluationRows,
  evaluationSummary,
  replayButtonText,
} from '../../../../src/renderer/dashboard/evaluationText.js';
import { API_METHODS } from '../../../../src/shared/api/contract.js';
import { MAX_EVALUATE_EPISODES } from '../../../../src/shared/api/jobMethods.js';
import { BUNDLED_CHECKPOINT, BUNDLED_RECORDS, BUNDLED_RUN } from './bundledRun.js';

/** The last record of the bundled run that carries the periodic evaluation. */
const lastEval = BUNDLED_RECORDS.filter((r) => typeof r['eval/crashRate'] === 'number').at(-1)!;
const metric = (key: string) => lastEval[`eval/${key}`] as number;

/** A `runs.evaluate` answer with those numbers, under `steer eval`'s names. */
const HORM_EVALUATION: Evaluation = API_METHODS['runs.evaluate'].response.parse({
  runId: BUNDLED_RUN.runId,
  env: BUNDLED_RUN.env,
  update: lastEval.update,
  episodes: metric('episodes'),
  metrics: {
    crashRate: metric('crashRate'),
    crashRateAgent0: metric('crashRateAgent0'),
    meanSpeed: metric('meanSpeed'),
    meanReturn: metric('meanReturn'),
    mergeCompletion: metric('mergeCompletion'),
    meanEpisodeLength: metric('episodeLength'),
  },
  replays: ['runs/horm-easy/replays/update-648/episode-0-seed-10000.replay'],
  seconds: 12.34,
});

/** The numbers in a text, in order. */
function numbers(text: string): number[] {
  return Array.from(text.matchAll(/-?\d+(?:\.\d+)?/g), (m) => Number(m[0]));
}

describe('checkpointLine', () => {
  it('the bundled checkpoint: its name, update, write time and tensor size in KB', () => {
    const line = checkpointLine(BUNDLED_CHECKPOINT);
    const match = /^latest: update (\d+) · (.+) · (\d+) KB$/.exec(line);
    expect(match, line).not.toBeNull();
    expect(Number(match![1])).toBe(BUNDLED_RUN.update);
    expect(match![2]).toContain(String(new Date(BUNDLED_CHECKPOINT.createdAt).getFullYear()));
    expect(Math.abs(Number(match![3]) * 1024 - BUNDLED_CHECKPOINT.tensorBytes)).toBeLessThanOrEqual(512);
  });
});

describe('episodesToPlay', () => {
  it('asks for a whole number of episodes the contract accepts', () => {
    const request = API_METHODS['runs.evaluate'].request;
    for (const [text, episodes] of [
      ['4', 4],
      [' 1 ', 1],
      [String(MAX_EVALUATE_EPISODES), MAX_EVALUATE_EPISODES],
    ] as const) {
      expect(episodesToPlay(text), text).toEqual({ episodes });
      expect(request.safeParse({ runId: 'horm-easy', episodes }).success).toBe(true);
    }
  });

  it('refuses 0, −3, 21 and the like, saying the allowed range, instead of changing them silently', () => {
    for (const [text, received] of [
      ['0', '0'],
      ['-3', '-3'],
      ['21', '21'],
      ['3.6', '3.6'],
      ['abc', 'abc'],
      ['', 'nothing'],
    ]) {
      expect(episodesToPlay(text!), text).toEqual({
        error: `Episodes: expected a whole number from 1 to ${MAX_EVALUATE_EPISODES}, received ${received}`,
      });
    }
    expect(MAX_EVALUATE_EPISODES).toBe(20);
  });
});

describe('evaluationSummary', () => {
  it('update, episodes and wall time', () => {
    const summary = evaluationSummary(HORM_EVALUATION);
    expect(summary).toBe(`update ${lastEval.update} · ${metric('episodes')} episodes · 12.3 s`);
    expect(evaluationSummary({ ...HORM_EVALUATION, episodes: 1, seconds: 0.04 })).toMatch(
      /· 1 episode · 0\.0 s$/,
    );
  });
});

describe('evaluationRows', () => {
  it("labels steer eval's metrics and shows each one's number: rates in %, speed in m/s", () => {
    const rows = evaluationRows(HORM_EVALUATION.metrics);
    expect(rows.map(([label]) => label)).toEqual([
      'crash rate (any CAV)',
      'crash rate (agent 0)',
      'mean speed',
      'mean return',
      'merge completion',
      'episode length',
    ]);
    const shown = Object.fromEntries(rows.map(([label, value]) => [label, value]));
    for (const [label, key] of [
      ['crash rate (any CAV)', 'crashRate'],
      ['crash rate (agent 0)', 'crashRateAgent0'],
      ['merge completion', 'mergeCompletion'],
    ] as const) {
      expect(shown[label]).toMatch(/ %$/);
      expect(numbers(shown[label]!)[0]).toBeCloseTo(100 * metric(key), 1);
    }
    expect(shown['mean speed']).toMatch(/ m\/s$/);
    expect(numbers(shown['mean speed']!)[0]).toBeCloseTo(metric('meanSpeed'), 2);
    expect(numbers(shown['mean return']!)).toEqual([Number(metric('meanReturn').toFixed(2))]);
    expect(shown['episode length']).toMatch(/ steps$/);
    expect(numbers(shown['episode length']!)[0]).toBeCloseTo(metric('episodeLength'), 2);
  });

  it("a missing metric reads n/a; a matrix game's convergence yes or no; other keys as they are named", () => {
    expect(evaluationRow('mergeCompletion', null)).toEqual(['merge completion', 'n/a']);
    expect(evaluationRow('converged', 1)).toEqual(['converged (§c.7)', 'yes']);
    expect(evaluationRow('converged', 0)).toEqual(['converged (§c.7)', 'no']);
    const [label, value] = evaluationRow('return/agent0', metric('return/agent0'));
    expect(label).toBe('return agent0');
    expect(numbers(value)[0]).toBeCloseTo(metric('return/agent0'), 2);
  });
});

describe('replayButtonText', () => {
  it('names a recorded replay by its file', () => {
    expect(replayButtonText(HORM_EVALUATION.replays[0]!)).toBe('▶ episode-0-seed-10000.replay');
  });
});
