import { describe, expect, it } from 'vitest';
import { formatCompareCard, formatWallTime } from '../../../../src/main/compare/compareCard.js';
import type { CompareRunOutcome } from '../../../../src/main/compare/compareEvaluation.js';

const outcomes: CompareRunOutcome[] = [
  {
    algo: 'steer',
    seed: 1,
    runDir: 'runs/c/steer/seed-1',
    action: 'trained',
    status: 'ok',
    evaluation: { kind: 'greedy', updates: 2, returns: [10, 10], target: [10, 10], converged: true },
    seconds: 3,
  },
  {
    algo: 'mappo',
    seed: 1,
    runDir: 'runs/c/mappo/seed-1',
    action: 'skipped',
    status: 'failed',
    evaluation: null,
    error: 'runs/c/mappo/seed-1 holds a run with updates 5, not 2; move it away or use another --runs-dir',
    seconds: 0,
  },
];

const card = formatCompareCard(
  {
    kind: 'greedy',
    columns: ['greedy return (mean of agents)', 'converged (Wilson)'],
    rows: [
      { algo: 'steer', runs: 1, failed: 0, cells: ['10', '1/1 = 100% [21, 100]'] },
      { algo: 'mappo', runs: 0, failed: 1, cells: ['–', '–'] },
    ],
  },
  [{ metric: 'train/episodeReturn', svg: 'c-train-episodeReturn.svg', png: 'c-train-episodeReturn.png' }],
  {
    env: 'matrix:penalty0',
    command: 'steer compare --env matrix:penalty0 --algos steer,mappo --seeds 1 --updates 2',
    date: '2026-12-07T10:00:00.000Z',
    machine: '2 × CPU, linux, Node v20; load average 0.10 at start',
    backend: 'cpu',
    algos: ['steer', 'mappo'],
    seeds: 1,
    updates: 2,
    envSteps: 200,
    overrides: ['numEnvs=1'],
    evaluation: 'one greedy episode',
    wallSeconds: 125,
    runsDir: 'runs/c',
    outcomes,
    axis: 'update',
  },
);

describe('formatCompareCard', () => {
  it('states how the results were made: command, date, machine, backend, budget, wall time', () => {
    expect(card.split('\n')[0]).toBe('# Comparison on matrix:penalty0: steer, mappo');
    expect(card).toContain(
      '- Command: `steer compare --env matrix:penalty0 --algos steer,mappo --seeds 1 --updates 2`',
    );
    expect(card).toContain('- Date: 2026-12-07T10:00:00.000Z');
    expect(card).toContain('- Machine: 2 × CPU, linux, Node v20; load average 0.10 at start');
    expect(card).toContain('- Backend: cpu');
    expect(card).toContain('- Budget: 2 PPO updates per run (200 env steps); --set numEnvs=1');
    expect(card).toContain('- Wall time: 2.1 min (1 trained, 0 resumed, 1 already finished)');
    expect(card).toContain('- Run folders: `runs/c`');
  });

  it('says the intervals are Student-t over seeds (Wilson for the share converged, failed runs not converged)', () => {
    expect(card).toContain("intervals from Student's t over the seeds");
    expect(card).toContain('95 % Wilson score interval');
    expect(card.replace(/\s+/g, ' ')).toContain(
      'a run that failed counts in it as a seed that did not converge (the means are over the runs evaluated)',
    );
  });

  it('holds the table, links both images by relative path, and lists failed runs', () => {
    expect(card).toMatch(/^\| steer +\| 1 +\| 10 +\| 1\/1 = 100% \[21, 100\] \|$/m);
    expect(card).toContain('](c-train-episodeReturn.png)');
    expect(card).toContain('[c-train-episodeReturn.svg](c-train-episodeReturn.svg)');
    expect(card).toContain(
      '## Failed runs\n\n- mappo seed 1: runs/c/mappo/seed-1 holds a run with updates 5, not 2',
    );
  });
});

describe('formatWallTime', () => {
  it('picks seconds, minutes or hours', () => {
    expect(formatWallTime(12.34)).toBe('12.3 s');
    expect(formatWallTime(600)).toBe('10.0 min');
    expect(formatWallTime(3 * 3600)).toBe('3.0 h');
  });
});
