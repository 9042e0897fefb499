import { describe, expect, it } from 'vitest';
import {
  aggregateCurves,
  curveBand,
  numericMetricKeys,
  seriesFromMetrics,
} from '../../../../src/main/compare/curves.js';
import type { MetricsRecord } from '../../../../src/main/io/metricsLog.js';

describe('seriesFromMetrics', () => {
  const records: MetricsRecord[] = [
    { update: 1, envSteps: 100, 'train/episodeReturn': 2, 'loss/policy': 0.1 },
    { update: 2, envSteps: 200, 'loss/policy': 0.2 }, // no episode ended
    { update: 3, envSteps: 300, 'train/episodeReturn': null }, // NaN on disk
    { update: 4, envSteps: 400, 'train/episodeReturn': 5, 'eval/crashRate': 0.25 },
  ];

  it('takes the finite values of the metric against the chosen axis', () => {
    expect(seriesFromMetrics(records, 'train/episodeReturn', 'update')).toEqual([
      { x: 1, y: 2 },
      { x: 4, y: 5 },
    ]);
    expect(seriesFromMetrics(records, 'train/episodeReturn', 'envSteps')).toEqual([
      { x: 100, y: 2 },
      { x: 400, y: 5 },
    ]);
    expect(seriesFromMetrics(records, 'eval/crashRate', 'update')).toEqual([{ x: 4, y: 0.25 }]);
  });

  it('keeps the last line of an x logged twice and sorts by x', () => {
    const twice: MetricsRecord[] = [
      { update: 2, m: 1 },
      { update: 1, m: 0 },
      { update: 2, m: 3 },
    ];
    expect(seriesFromMetrics(twice, 'm', 'update')).toEqual([
      { x: 1, y: 0 },
      { x: 2, y: 3 },
    ]);
  });

  it('lists the numeric keys logged', () => {
    expect(numericMetricKeys(records)).toEqual([
      'envSteps',
      'eval/crashRate',
      'loss/policy',
      'train/episodeReturn',
      'update',
    ]);
  });
});

describe('aggregateCurves', () => {
  const series = [
    {
      algo: 'steer',
      seed: 1,
      points: [
        { x: 1, y: 1 },
        { x: 2, y: 4 },
      ],
    },
    {
      algo: 'steer',
      seed: 2,
      points: [
        { x: 1, y: 3 },
        { x: 2, y: 6 },
      ],
    },
    { algo: 'steer', seed: 3, points: [{ x: 1, y: 5 }] }, // seed 3 stopped after update 1
    { algo: 'mappo', seed: 1, points: [{ x: 1, y: 0 }] },
  ];

  it('pools the seeds per x: mean and the 95 % Student-t band, worked out by hand', () => {
    const points = aggregateCurves(series, ['steer', 'mappo']);
    // steer x=1: 1, 3, 5 → mean 3, s = 2, t₀.₉₇₅,₂ = 4.302653, half = 4.302653 · 2 / √3 = 4.968275
    expect(points[0]).toMatchObject({ algo: 'steer', x: 1, mean: 3, n: 3 });
    expect(points[0]!.low).toBeCloseTo(3 - 4.968275, 5);
    expect(points[0]!.high).toBeCloseTo(3 + 4.968275, 5);
    // steer x=2: 4, 6 → mean 5, s = √2, half = 12.706205 · √2 / √2 = 12.706205
    expect(points[1]).toMatchObject({ algo: 'steer', x: 2, mean: 5, n: 2 });
    expect(points[1]!.high! - 5).toBeCloseTo(12.706205, 5);
    // mappo: one seed, no band
    expect(points[2]).toEqual({ algo: 'mappo', x: 1, mean: 0, low: null, high: null, n: 1 });
    expect(points).toHaveLength(3);
  });

  it('bands a 0/1 metric (eval/converged) by the Wilson interval of the share of seeds, inside [0, 1]', () => {
    const verdicts = [1, 1, 0, 1, 1].map((y, i) => ({ algo: 'steer', seed: i + 1, points: [{ x: 1, y }] }));
    expect(curveBand(verdicts)).toBe('wilson');
    expect(curveBand(series)).toBe('student-t');
    const [point] = aggregateCurves(verdicts, ['steer']);
    // 4 of 5: Wilson 95 % = [0.3755, 0.9638]; Student-t would reach 1.355
    expect(point).toMatchObject({ mean: 0.8, n: 5 });
    expect(point!.low).toBeCloseTo(0.37553, 4);
    expect(point!.high).toBeCloseTo(0.96378, 4);
    // one seed: no band, as for any metric
    expect(aggregateCurves([verdicts[0]!], ['steer'])[0]).toMatchObject({ low: null, high: null });
  });

  it('orders algorithms as asked and leaves out one without points', () => {
    const points = aggregateCurves(series, ['mappo', 'happo', 'steer']);
    expect(points.map((p) => `${p.algo}@${p.x}`)).toEqual(['mappo@1', 'steer@1', 'steer@2']);
  });
});
