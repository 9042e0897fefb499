/**
 * Learning curves over seeds: each run's metrics.jsonl gives one series (x = update or env steps,
 * y = one metric), and the seeds of an algorithm are pooled per x into a mean with its 95 %
 * Student-t band (meanInterval.ts). At an x where only some seeds logged the metric (a HORM
 * evaluation line, an update in which no episode ended) the point averages those seeds and says how
 * many (`n`).
 */
import type { MetricsRecord } from '../io/metricsLog.js';
import { meanInterval } from './meanInterval.js';

/** What the curves are drawn against: the update's number, or the env steps done by then. */
export type CurveAxis = 'update' | 'envSteps';

/** The axes, as `--x` takes them. */
export const CURVE_AXES: readonly CurveAxis[] = ['update', 'envSteps'];

/** One (x, y) of a run's curve. */
export interface SeriesPoint {
  readonly x: number;
  readonly y: number;
}

/** One run's curve of one metric. */
export interface SeedSeries {
  readonly algo: string;
  readonly seed: number;
  /** Ascending x, one point per x, finite values only. */
  readonly points: readonly SeriesPoint[];
}

/** One point of an algorithm's curve: the mean over seeds and its band. */
export interface CurvePoint {
  readonly algo: string;
  readonly x: number;
  readonly mean: number;
  /** Band ends (95 % Student-t over seeds); null with fewer than two seeds at this x. */
  readonly low: number | null;
  readonly high: number | null;
  /** Seeds with a value at this x. */
  readonly n: number;
}

/**
 * The (x, metric) points of a run's metrics lines: lines without the metric, or where it is not a
 * finite number (JSON null stands for NaN), are skipped; for an x logged twice the last line wins.
 */
export function seriesFromMetrics(
  records: readonly MetricsRecord[],
  metric: string,
  axis: CurveAxis,
): SeriesPoint[] {
  const byX = new Map<number, number>();
  for (const record of records) {
    const x = record[axis];
    const y = record[metric];
    if (typeof x === 'number' && Number.isFinite(x) && typeof y === 'number' && Number.isFinite(y)) {
      byX.set(x, y);
    }
  }
  return [...byX].sort((p, q) => p[0] - q[0]).map(([x, y]) => ({ x, y }));
}

/**
 * Every algorithm's mean curve with its band, algorithms in `algos` order (those without any point
 * are left out), x ascending.
 */
export function aggregateCurves(series: readonly SeedSeries[], algos: readonly string[]): CurvePoint[] {
  const points: CurvePoint[] = [];
  for (const algo of algos) {
    const byX = new Map<number, number[]>();
    for (const s of series) {
      if (s.algo !== algo) continue;
      for (const p of s.points) {
        const values = byX.get(p.x) ?? [];
        values.push(p.y);
        byX.set(p.x, values);
      }
    }
    for (const x of [...byX.keys()].sort((p, q) => p - q)) {
      const m = meanInterval(byX.get(x)!);
      points.push({ algo, x, mean: m.mean, low: m.low, high: m.high, n: m.n });
    }
  }
  return points;
}

/** The numeric keys logged in `records`, sorted (to say which exist when a metric is missing). */
export function numericMetricKeys(records: readonly MetricsRecord[]): string[] {
  const keys = new Set<string>();
  for (const record of records) {
    for (const [key, value] of Object.entries(record)) if (typeof value === 'number') keys.add(key);
  }
  return [...keys].sort();
}
