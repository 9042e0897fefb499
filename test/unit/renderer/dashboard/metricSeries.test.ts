/**
 * The dashboard's curves as data (src/renderer/dashboard/metricSeries.ts): records arriving in
 * pages become aligned columns with gaps where a key was not logged, and each chart picks the
 * curves the run logged (HORM crash rates, or the matrix games' convergence in their place).
 */
import { describe, expect, it } from 'vitest';
import { DASHBOARD_CHARTS, MetricColumns } from '../../../../src/renderer/dashboard/metricSeries.js';

const chart = (name: string) => DASHBOARD_CHARTS.find((c) => c.name === name)!;

describe('MetricColumns', () => {
  it('aligns keys logged on some updates only, across pages', () => {
    const columns = new MetricColumns();
    columns.append([
      { update: 1, 'loss/policy': 0.5, 'train/episodeReturn': 1 },
      { update: 2, 'loss/policy': 0.4, 'eval/crashRate': 0.25 },
    ]);
    columns.append([{ update: 3, 'loss/policy': null, 'train/episodeReturn': 3, note: 'text' }]);
    expect(columns.length).toBe(3);
    expect(columns.x).toEqual([1, 2, 3]);
    expect(columns.column('loss/policy')).toEqual([0.5, 0.4, null]);
    expect(columns.column('train/episodeReturn')).toEqual([1, null, 3]);
    expect(columns.column('eval/crashRate')).toEqual([null, 0.25, null]);
    expect(columns.column('note')).toBeNull();
    columns.clear();
    expect(columns.length).toBe(0);
    expect(columns.has('loss/policy')).toBe(false);
  });

  it('numbers records without an update by position', () => {
    const columns = new MetricColumns();
    columns.append([{ a: 1 }, { a: 2 }]);
    expect(columns.x).toEqual([1, 2]);
  });

  it('plots HORM crash rates, or a matrix run’s convergence in their place', () => {
    const horm = new MetricColumns();
    horm.append([
      { update: 1, 'train/episodeEnd/crashedAny': 0.5, 'eval/converged': 1, 'eval/return/agent0': 2 },
    ]);
    expect(horm.seriesOf(chart('crash')).map((s) => s.key)).toEqual(['train/episodeEnd/crashedAny']);
    const matrix = new MetricColumns();
    matrix.append([{ update: 1, 'eval/converged': 0, 'eval/return/agent0': 10, 'train/episodeReturn': 2 }]);
    expect(matrix.seriesOf(chart('crash')).map((s) => s.key)).toEqual(['eval/converged']);
    expect(matrix.titleOf(chart('crash'))).toBe('Converged (greedy episode)');
    expect(horm.titleOf(chart('crash'))).toBe('Crash rate');
    expect(matrix.seriesOf(chart('return')).map((s) => s.key)).toEqual([
      'train/episodeReturn',
      'eval/return/agent0',
    ]);
    horm.append([{ update: 2, 'eval/meanReturn': 5 }]);
    expect(horm.seriesOf(chart('return')).map((s) => s.key)).toEqual(['eval/meanReturn']);
  });
});

describe('DASHBOARD_CHARTS', () => {
  it('draws the value loss on an axis of its own, so the policy loss is not flattened at 0', () => {
    const losses = chart('losses');
    const policy = losses.series.find((s) => s.key === 'loss/policy')!;
    const value = losses.series.find((s) => s.key === 'loss/value')!;
    expect(policy.axis ?? 'left').not.toBe(value.axis ?? 'left');
    // No other chart mixes axes: one y axis each.
    for (const other of DASHBOARD_CHARTS.filter((c) => c.name !== 'losses')) {
      expect(other.series.every((s) => s.axis === undefined)).toBe(true);
    }
  });

  it('plots an MA-MuJoCo run’s evaluation: mean, best and worst episode, and no crash curve', () => {
    const mujoco = new MetricColumns();
    mujoco.append([
      {
        update: 1,
        'train/episodeReturn': -30,
        'eval/meanReturn': -250,
        'eval/maxReturn': -200,
        'eval/minReturn': -300,
        'eval/return/agent0': -250,
        'eval/episodeLength': 1000,
      },
    ]);
    expect(mujoco.seriesOf(chart('return')).map((s) => s.key)).toEqual([
      'train/episodeReturn',
      'eval/meanReturn',
      'eval/maxReturn',
      'eval/minReturn',
    ]);
    expect(mujoco.seriesOf(chart('crash'))).toEqual([]);
  });
});
