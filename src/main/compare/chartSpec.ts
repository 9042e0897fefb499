/**
 * The Vega-Lite specification of one learning-curve chart: per algorithm a line (the mean over
 * seeds) over a translucent band (its 95 % interval, curves.ts), one colour per algorithm in the
 * order given, so every chart of a comparison colours an algorithm alike. Pure data: rendering is
 * renderChart.ts.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { CurveAxis, CurveBand, CurvePoint } from './curves.js';

/** What the chart says besides its points. */
export interface ChartLabels {
  /** The metric key, e.g. "train/episodeReturn" (the y axis title). */
  readonly metric: string;
  readonly axis: CurveAxis;
  /** The algorithms, in legend and colour order. */
  readonly algos: readonly string[];
  /** Seeds per algorithm (in the subtitle). */
  readonly seeds: number;
  /** The env or scenario (in the title). */
  readonly env: string;
  /** How the band was made (in the subtitle). */
  readonly band: CurveBand;
}

const BAND_NAMES: Record<CurveBand, string> = {
  'student-t': '95 % Student-t interval over seeds',
  wilson: '95 % Wilson interval of the share of seeds',
};

/** Size of the plotting area [px]. */
export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 360;

const AXIS_TITLES: Record<CurveAxis, string> = { update: 'update', envSteps: 'env steps' };

/** The chart of `points` (aggregateCurves' output) as a Vega-Lite spec. */
export function learningCurveSpec(points: readonly CurvePoint[], labels: ChartLabels): TopLevelSpec {
  const x = {
    field: 'x',
    type: 'quantitative' as const,
    title: AXIS_TITLES[labels.axis],
    // whole updates; env steps in SI units (12k, 1.5M)
    axis: labels.axis === 'update' ? { tickMinStep: 1, format: 'd' } : { format: '~s' },
  };
  const color = {
    field: 'algo',
    type: 'nominal' as const,
    title: 'algorithm',
    scale: { domain: [...labels.algos] },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `${labels.metric} on ${labels.env}`,
      subtitle: `mean over ${labels.seeds} seed${labels.seeds === 1 ? '' : 's'}; band: ${BAND_NAMES[labels.band]}`,
    },
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    background: 'white',
    data: { values: points.map((p) => ({ ...p })) },
    layer: [
      {
        transform: [{ filter: 'datum.low != null && datum.high != null' }],
        mark: { type: 'area', opacity: 0.2 },
        encoding: {
          x,
          y: { field: 'low', type: 'quantitative', title: labels.metric },
          y2: { field: 'high' },
          color,
        },
      },
      {
        mark: { type: 'line', strokeWidth: 2 },
        encoding: { x, y: { field: 'mean', type: 'quantitative', title: labels.metric }, color },
      },
    ],
  };
}
