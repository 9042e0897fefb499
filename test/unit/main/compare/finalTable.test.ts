import { describe, expect, it } from 'vitest';
import type { CompareRunOutcome } from '../../../../src/main/compare/compareEvaluation.js';
import type { FinalEvaluation } from '../../../../src/main/compare/finalEvaluation.js';
import {
  formatFinalTable,
  formatInterval,
  formatShare,
  summarizeFinal,
} from '../../../../src/main/compare/finalTable.js';

function outcome(algo: string, seed: number, evaluation: FinalEvaluation | null): CompareRunOutcome {
  return {
    algo,
    seed,
    runDir: `runs/c/${algo}/seed-${seed}`,
    action: 'trained',
    status: evaluation === null ? 'failed' : 'ok',
    evaluation,
    seconds: 1,
    ...(evaluation === null ? { error: 'exit code 1' } : {}),
  };
}

const greedy = (returns: number[], converged: boolean): FinalEvaluation => ({
  kind: 'greedy',
  updates: 2,
  returns,
  target: [10, 10],
  converged,
});

describe('summarizeFinal (registry envs)', () => {
  it('averages the greedy return over agents then seeds (Student-t), and counts converged seeds (Wilson)', () => {
    const table = summarizeFinal(
      ['steer', 'mappo'],
      [
        outcome('steer', 1, greedy([10, 10], true)),
        outcome('steer', 2, greedy([10, 10], true)),
        outcome('steer', 3, greedy([2, 4], false)), // mean of agents 3
        outcome('mappo', 1, greedy([0, 0], false)),
        outcome('mappo', 2, null),
      ],
      false,
    );
    expect(table.columns).toEqual(['greedy return (mean of agents)', 'converged (Wilson)']);
    const [steer, mappo] = table.rows;
    // steer: 10, 10, 3 → mean 23/3 = 7.667, s = 4.041452, t₀.₉₇₅,₂ = 4.302653 → ± 10.039
    expect(steer).toMatchObject({ algo: 'steer', runs: 3, failed: 0 });
    expect(steer!.cells[0]).toBe('7.667 [-2.373, 17.706]');
    // Wilson 95 % of 2/3: [20.8 %, 93.9 %]
    expect(steer!.cells[1]).toBe('2/3 = 67% [21, 94]');
    // mappo's failed seed is a trial that did not converge: 0/2, Wilson 95 % [0 %, 65.8 %]
    expect(mappo).toMatchObject({ algo: 'mappo', runs: 1, failed: 1, cells: ['0', '0/2 = 0% [0, 66]'] });
  });

  it('counts a failed run as a seed that did not converge, so a crash cannot raise the share', () => {
    const table = summarizeFinal(
      ['steer'],
      [
        outcome('steer', 1, greedy([10, 10], true)),
        outcome('steer', 2, null), // crashed
        outcome('steer', 3, greedy([10, 10], true)),
        outcome('steer', 4, greedy([10, 10], true)),
      ],
      false,
    );
    // 3 of 4 trials: p̂ = 0.75, z = 1.959964, n = 4: centre (p̂ + z²/2n) / (1 + z²/n) = 1.230181 / 1.960364
    // = 0.627527, half-width z·√(p̂(1 − p̂)/n + z²/4n²) / (1 + z²/n) = 0.640810 / 1.960364 = 0.326883
    // → [30.06 %, 95.44 %]; leaving the crash out would claim 3/3 = 100 % [44, 100]
    expect(table.rows[0]).toMatchObject({ runs: 3, failed: 1 });
    expect(table.rows[0]!.cells).toEqual(['10 [10, 10]', '3/4 = 75% [30, 95]']);
  });
});

describe('summarizeFinal (HORM)', () => {
  const horm = (crashRate: number, meanReturn: number, mergeCompletion: number | null): FinalEvaluation => ({
    kind: 'horm',
    updates: 10,
    episodes: 100,
    seed: 10_000,
    crashRate,
    meanReturn,
    mergeCompletion,
    meanSpeed: 25,
  });

  it('reports crash rate and merge completion in %, the regional return, each over seeds', () => {
    const table = summarizeFinal(
      ['steer'],
      [outcome('steer', 1, horm(0.1, 40, 0.9)), outcome('steer', 2, horm(0.3, 50, null))],
      true,
    );
    expect(table.columns).toEqual([
      'crash rate',
      'mean return (regional)',
      'merge completion',
      'mean speed [m/s]',
    ]);
    // crash 10 %, 30 %: mean 20 %, half-width 12.706 · 14.142 / √2 = 127.06 points, cut to [0, 100] %
    expect(table.rows[0]!.cells).toEqual(['20% [0%, 100%]', '45 [-18.531, 108.531]', '90%', '25 [25, 25]']);
  });
});

describe('formatting', () => {
  it('formats intervals and shares', () => {
    expect(formatInterval({ n: 0, mean: Number.NaN, sd: null, low: null, high: null })).toBe('–');
    expect(formatInterval({ n: 1, mean: 0.1234, sd: null, low: null, high: null }, 100, '%')).toBe('12.3%');
    expect(formatShare(0, 0)).toBe('–');
    expect(formatShare(5, 5)).toBe('5/5 = 100% [57, 100]');
  });

  it('lays out a padded Markdown table with failed runs noted', () => {
    const text = formatFinalTable({
      kind: 'greedy',
      columns: ['greedy return (mean of agents)', 'converged (Wilson)'],
      rows: [{ algo: 'steer', runs: 1, failed: 1, cells: ['10', '1/1 = 100% [21, 100]'] }],
    });
    expect(text.split('\n')).toEqual([
      '| algorithm | runs         | greedy return (mean of agents) | converged (Wilson)   |',
      '|-----------|--------------|--------------------------------|----------------------|',
      '| steer     | 1 (1 failed) | 10                             | 1/1 = 100% [21, 100] |',
    ]);
  });
});
