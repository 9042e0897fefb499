/**
 * The comparison's learning-curve charts: each run's metrics.jsonl is read, and for every metric
 * the seeds of each algorithm are pooled (curves.ts) into a Vega-Lite chart (chartSpec.ts) written
 * as SVG and PNG beside the card: `<card>-<metric with / as ->.svg` and `.png`, each atomically.
 */
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { type MetricsRecord, readMetrics } from '../io/metricsLog.js';
import { runPaths } from '../train/runDir.js';
import { evaluatedOverEpisodes } from '../train/runPlan.js';
import { learningCurveSpec } from './chartSpec.js';
import {
  aggregateCurves,
  type CurveAxis,
  curveBand,
  numericMetricKeys,
  seriesFromMetrics,
} from './curves.js';
import { renderChart } from './renderChart.js';

/** One run's metrics lines. */
export interface RunMetrics {
  readonly algo: string;
  readonly seed: number;
  readonly records: readonly MetricsRecord[];
}

/** A chart written beside the card (file names relative to the card's folder). */
export interface ChartFile {
  readonly metric: string;
  readonly svg: string;
  readonly png: string;
}

/** What `writeCharts` did. */
export interface ChartsResult {
  readonly charts: readonly ChartFile[];
  /** Metrics asked for that no run logged, each with the keys that were logged. */
  readonly missing: readonly string[];
}

/**
 * The default metrics: the training return; for HORM runs also the held-out ones, for MA-MuJoCo runs
 * the held-out return (both logged every few updates).
 */
export function defaultMetrics(env: { readonly horm: boolean; readonly envName: string }): string[] {
  if (env.horm) return ['train/episodeReturn', 'eval/meanReturn', 'eval/crashRate'];
  if (evaluatedOverEpisodes(env.envName)) return ['train/episodeReturn', 'eval/meanReturn'];
  return ['train/episodeReturn'];
}

/** Reads the metrics of each run folder (a missing file counts as no lines). */
export async function readRunMetrics(
  runs: readonly { algo: string; seed: number; runDir: string }[],
): Promise<RunMetrics[]> {
  return Promise.all(
    runs.map(async (r) => {
      try {
        return {
          algo: r.algo,
          seed: r.seed,
          records: (await readMetrics(runPaths(r.runDir).metrics)).records,
        };
      } catch {
        return { algo: r.algo, seed: r.seed, records: [] };
      }
    }),
  );
}

/** Card `out/compare-x.md`, metric `eval/crashRate` → `out/compare-x-eval-crashRate` (add .svg, .png). */
export function chartStem(cardFile: string, metric: string): string {
  const card = basename(cardFile).replace(/\.md$/i, '');
  return join(dirname(cardFile), `${card}-${metric.replace(/[^\w.-]+/g, '-')}`);
}

/** Options of `writeCharts`. */
export interface ChartOptions {
  readonly metrics: readonly string[];
  /** Metrics that were asked for by name (a missing one is reported, a default one just left out). */
  readonly explicit: boolean;
  readonly axis: CurveAxis;
  readonly algos: readonly string[];
  readonly seeds: number;
  readonly env: string;
  /** The card's path; the charts go beside it. */
  readonly cardFile: string;
}

/** Renders and writes one chart per metric that some run logged. */
export async function writeCharts(runs: readonly RunMetrics[], options: ChartOptions): Promise<ChartsResult> {
  const charts: ChartFile[] = [];
  const missing: string[] = [];
  for (const metric of options.metrics) {
    const series = runs.map((r) => ({
      algo: r.algo,
      seed: r.seed,
      points: seriesFromMetrics(r.records, metric, options.axis),
    }));
    const points = aggregateCurves(series, options.algos);
    if (points.length === 0) {
      if (options.explicit) {
        const logged = numericMetricKeys(runs.flatMap((r) => r.records));
        missing.push(`--metric ${metric}: no run logged it; logged: ${logged.join(', ')}`);
      }
      continue;
    }
    const spec = learningCurveSpec(points, { ...options, metric, band: curveBand(series) });
    const { svg, png } = await renderChart(spec);
    const stem = chartStem(options.cardFile, metric);
    await writeFileAtomic(`${stem}.svg`, svg);
    await writeFileAtomic(`${stem}.png`, png);
    charts.push({ metric, svg: `${basename(stem)}.svg`, png: `${basename(stem)}.png` });
  }
  return { charts, missing };
}
