/**
 * Learning curves over seeds: each run's metrics.jsonl gives one series (x = update or env steps,
 * y = one metric), and the seeds of an algorithm are pooled per x into a mean with its 95 %
 * Student-t band (meanInterval.ts). A 0/1 metric (eval/converged) is a share of seeds instead, and
 * its band is the Wilson score interval, which stays inside [0, 1]. At an x where only some seeds
 * logged the metric (a HORM evaluation line, an update in which no episode ended) the point averages
 * those seeds and says how many (`n`).
 */
import type { MetricsRecord } from '../io/metricsLog.js';
import { wilsonInterval } from '../table1/wilson.js';
import { meanInterval } from './meanInterval.js';

/** How a curve's band is made: Student-t over seeds, or Wilson for a share of seeds (a 0/1 metric). */
export type CurveBand = 'student-t' | 'wilson';

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
  /** Band ends (95 %: Student-t over seeds, or Wilson for a 0/1 metric); null with fewer than two seeds at this x. */
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

/** 'wilson' when every value of every series is 0 or 1 (a verdict such as eval/converged), else 'student-t'. */
export function curveBand(series: readonly SeedSeries[]): CurveBand {
  const binary = series.every((s) => s.points.every((p) => p.y === 0 || p.y === 1));
  return binary && series.some((s) => s.points.length > 0) ? 'wilson' : 'student-t';
}

/** The mean of one x's values and its band of kind `band` (no band with fewer than two seeds). */
function pointBand(values: readonly number[], band: CurveBand): Omit<CurvePoint, 'algo' | 'x'> {
  const m = meanInterval(values);
  if (band === 'student-t' || m.n < 2) return { mean: m.mean, low: m.low, high: m.high, n: m.n };
  const w = wilsonInterval(values.filter((v) => v === 1).length, m.n);
  return { mean: m.mean, low: w.low, high: w.high, n: m.n };
}

/**
 * Every algorithm's mean curve with its band (curveBand: Student-t, or Wilson for a 0/1 metric),
 * algorithms in `algos` order (those without any point are left out), x ascending.
 */
export function aggregateCurves(series: readonly SeedSeries[], algos: readonly string[]): CurvePoint[] {
  const band = curveBand(series);
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
      points.push({ algo, x, ...pointBand(byX.get(x)!, band) });
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
