/**
 * One dashboard chart: a card with a title and a uPlot line chart (canvas) of the curves its
 * ChartSpec names, x = update. uPlot sizes and positions its elements through the CSSOM
 * (`element.style.x = …`), which the page's CSP (style-src 'self') allows; its stylesheet comes
 * through vite (dashboardView.ts imports it). The card's `data-points` attribute says how many
 * updates are drawn (read by the e2e test).
 */
import uPlot from 'uplot';
import { tickLabels } from './axisLabels.js';
import type { ChartSpec, MetricColumns, SeriesSpec } from './metricSeries.js';

/** What an empty chart says before the run has logged anything. */
export const NO_DATA_TEXT = 'no data yet';
/** What it says when the run logs records but none of the chart's keys. */
export const NOT_LOGGED_TEXT = 'not logged by this kind of run';

/** Height of the plot area and axes [CSS px]. */
const CHART_HEIGHT = 190;
const AXIS_COLOUR = '#9aa3af';
const GRID_COLOUR = '#2c323c';
/** The scale of curves drawn against the right axis (SeriesSpec.axis). */
const RIGHT_SCALE = 'right';
/** Tick spacings of the update axis: whole numbers. */
const UPDATE_TICKS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000];

/** A chart card bound to one ChartSpec. */
export class MetricChart {
  /** The card (title, legend and canvas). */
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly title: HTMLElement;
  private readonly empty: HTMLElement;
  private plot: uPlot | null = null;
  /** Keys of the curves the current plot draws (a new one rebuilds it). */
  private keys = '';
  private readonly resizeObserver: ResizeObserver;

  constructor(
    doc: Document,
    readonly spec: ChartSpec,
  ) {
    this.element = doc.createElement('section');
    this.element.className = 'chart-card';
    this.element.dataset.chart = spec.name;
    this.element.dataset.points = '0';
    const title = doc.createElement('h3');
    title.textContent = spec.title;
    this.title = title;
    this.body = doc.createElement('div');
    this.body.className = 'chart-body';
    this.empty = doc.createElement('p');
    this.empty.className = 'chart-empty';
    this.empty.textContent = NO_DATA_TEXT;
    this.body.append(this.empty);
    this.element.append(title, this.body);
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(this.body);
  }

  /** Draws `columns` (call after each append); builds the plot when its curves change. */
  update(columns: MetricColumns): void {
    const series = columns.seriesOf(this.spec);
    this.title.textContent = columns.titleOf(this.spec);
    const points = series.length === 0 ? 0 : columns.length;
    this.element.dataset.points = String(points);
    if (series.length === 0) {
      this.destroyPlot();
      // Records but none of this chart's keys: a run of another kind (an MA-MuJoCo run logs no crashes).
      this.empty.textContent = columns.length === 0 ? NO_DATA_TEXT : NOT_LOGGED_TEXT;
      this.empty.hidden = false;
      return;
    }
    this.empty.hidden = true;
    const data = [columns.x, ...series.map((s) => columns.column(s.key)!)] as uPlot.AlignedData;
    const keys = series.map((s) => s.key).join('|');
    if (this.plot === null || keys !== this.keys) {
      this.destroyPlot();
      this.keys = keys;
      this.plot = new uPlot(this.options(series), data, this.body);
    } else {
      this.plot.setData(data);
    }
  }

  /** Removes the plot (another run selected). */
  clear(): void {
    this.destroyPlot();
    this.title.textContent = this.spec.title;
    this.element.dataset.points = '0';
    this.empty.textContent = NO_DATA_TEXT;
    this.empty.hidden = false;
  }

  dispose(): void {
    this.resizeObserver.disconnect();
    this.destroyPlot();
  }

  private destroyPlot(): void {
    this.plot?.destroy();
    this.plot = null;
    this.keys = '';
  }

  private resize(): void {
    const width = this.body.clientWidth;
    if (this.plot !== null && width > 0) this.plot.setSize({ width, height: CHART_HEIGHT });
  }

  private options(series: readonly SeriesSpec[]): uPlot.Options {
    const axis: uPlot.Axis = {
      stroke: AXIS_COLOUR,
      grid: { stroke: GRID_COLOUR, width: 1 },
      ticks: { stroke: GRID_COLOUR, width: 1 },
      font: '11px system-ui, sans-serif',
    };
    // y labels with the decimals their ticks need (uPlot's default stops at three).
    const values = (_: uPlot, splits: number[]) => tickLabels(splits);
    const right = series.some((s) => s.axis === 'right');
    const rightAxis: uPlot.Axis = {
      ...axis,
      scale: RIGHT_SCALE,
      side: 1,
      size: 52,
      values,
      grid: { show: false },
    };
    return {
      width: Math.max(this.body.clientWidth, 200),
      height: CHART_HEIGHT,
      // Updates are integers: no time axis.
      scales: {
        x: { time: false },
        ...(this.spec.range === undefined ? {} : { y: { range: [...this.spec.range] as [number, number] } }),
        ...(right ? { [RIGHT_SCALE]: { auto: true } } : {}),
      },
      axes: [
        {
          ...axis,
          label: 'update',
          labelSize: 16,
          labelFont: '11px system-ui, sans-serif',
          incrs: UPDATE_TICKS, // whole updates only
        },
        { ...axis, size: 52, values },
        ...(right ? [rightAxis] : []),
      ],
      cursor: { drag: { x: true, y: false } },
      legend: { live: true },
      series: [
        { label: 'update' },
        ...series.map((s) => ({
          label: s.label,
          ...(s.axis === 'right' ? { scale: RIGHT_SCALE } : {}),
          stroke: s.colour,
          width: 1.5,
          spanGaps: true,
          // Sparse curves (an evaluation every 10 updates) read better with their points drawn.
          points: { show: s.key.startsWith('eval/'), size: 4, fill: s.colour },
        })),
      ],
    };
  }
}
