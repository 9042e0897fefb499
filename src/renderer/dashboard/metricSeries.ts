/**
 * The dashboard's curves as data: which metrics.jsonl keys each chart plots (stable slash keys,
 * src/main/train/runTraining.ts and the trainer's UpdateMetrics), and the columns built from the
 * records as they arrive, in the shape uPlot draws ([x, y1, y2, …], null where a record lacks the
 * key). Plain TypeScript, no DOM: unit-tested on its own.
 */

/** A metrics record as `jobs.metrics` returns it. */
export type MetricRecord = Readonly<Record<string, number | string | boolean | null>>;

/** One curve of a chart. */
export interface SeriesSpec {
  readonly key: string;
  readonly label: string;
  readonly colour: string;
  /** Drawn only when none of these keys was logged (a fallback for another kind of run). */
  readonly unless?: readonly string[];
  /**
   * Drawn against an axis of its own on the right, fitted to it alone (the value loss is orders of
   * magnitude above the policy loss, which on a shared axis looks flat at 0); default the left one.
   */
  readonly axis?: 'right';
}

/** One chart: a title and its curves. */
export interface ChartSpec {
  /** Stable name (data-chart attribute). */
  readonly name: string;
  readonly title: string;
  /** Title when only fallback curves (those with `unless`) are drawn. */
  readonly fallbackTitle?: string;
  readonly series: readonly SeriesSpec[];
  /** Fixed y range (rates are fractions in [0, 1]); default: fitted to the data. */
  readonly range?: readonly [number, number];
}

const BLUE = '#60a5fa';
const AMBER = '#fbbf24';
const GREEN = '#34d399';
const RED = '#f87171';
const PURPLE = '#c084fc';

/**
 * The charts: return (with the best and worst evaluation episode where the run logs them: MA-MuJoCo),
 * crash rate (HORM: `train/episodeEnd/crashedAny` per training episode and the
 * periodic `eval/crashRate`; matrix games log no crashes, so their greedy `eval/converged` stands
 * in), the PPO losses (policy on the left axis, value on its own right axis) and the policy
 * entropy.
 */
export const DASHBOARD_CHARTS: readonly ChartSpec[] = Object.freeze([
  {
    name: 'return',
    title: 'Episode return',
    series: [
      { key: 'train/episodeReturn', label: 'train (mean over agents)', colour: BLUE },
      { key: 'eval/meanReturn', label: 'eval', colour: AMBER },
      // Seeded-episode evaluations (MA-MuJoCo) also log their best and worst episode.
      { key: 'eval/maxReturn', label: 'eval, best episode', colour: GREEN },
      { key: 'eval/minReturn', label: 'eval, worst episode', colour: RED },
      {
        key: 'eval/return/agent0',
        label: 'eval, agent 0 (greedy)',
        colour: AMBER,
        unless: ['eval/meanReturn'],
      },
    ],
  },
  {
    name: 'crash',
    title: 'Crash rate',
    fallbackTitle: 'Converged (greedy episode)',
    range: [0, 1],
    series: [
      { key: 'train/episodeEnd/crashedAny', label: 'train crashes (any CAV)', colour: RED },
      { key: 'eval/crashRate', label: 'eval crash rate', colour: AMBER },
      {
        key: 'eval/converged',
        label: 'converged (greedy, §c.7)',
        colour: GREEN,
        unless: ['train/episodeEnd/crashedAny', 'eval/crashRate'],
      },
    ],
  },
  {
    name: 'losses',
    title: 'Losses',
    series: [
      { key: 'loss/policy', label: 'policy', colour: BLUE },
      { key: 'loss/value', label: 'value (right axis)', colour: PURPLE, axis: 'right' },
    ],
  },
  {
    name: 'entropy',
    title: 'Policy entropy',
    series: [{ key: 'loss/entropy', label: 'entropy', colour: GREEN }],
  },
]);

/** The columns of one run's metrics, grown record by record. */
export class MetricColumns {
  /** x: the update of each record (its index + 1 when it has none). */
  readonly x: number[] = [];
  private readonly columns = new Map<string, (number | null)[]>();

  /** Records added so far. */
  get length(): number {
    return this.x.length;
  }

  /** Appends records (in file order); numbers only, anything else is a gap. */
  append(records: readonly MetricRecord[]): void {
    for (const record of records) {
      const at = this.x.length;
      const update = record.update;
      this.x.push(typeof update === 'number' ? update : at + 1);
      for (const [key, value] of Object.entries(record)) {
        if (typeof value !== 'number' || !Number.isFinite(value)) continue;
        let column = this.columns.get(key);
        if (column === undefined) {
          column = [];
          this.columns.set(key, column);
        }
        while (column.length < at) column.push(null); // records that lacked the key
        column.push(value);
      }
    }
    for (const column of this.columns.values()) {
      while (column.length < this.x.length) column.push(null);
    }
  }

  /** Whether any record had a number under `key`. */
  has(key: string): boolean {
    return this.columns.has(key);
  }

  /** The column of `key` (nulls where a record lacks it), or null when never logged. */
  column(key: string): readonly (number | null)[] | null {
    return this.columns.get(key) ?? null;
  }

  /** The curves of `chart` that this run logged (fallbacks only when their `unless` keys are absent). */
  seriesOf(chart: ChartSpec): SeriesSpec[] {
    return chart.series.filter((s) => this.has(s.key) && !(s.unless ?? []).some((other) => this.has(other)));
  }

  /** The title of `chart` for this run's curves. */
  titleOf(chart: ChartSpec): string {
    const series = this.seriesOf(chart);
    const fallbackOnly = series.length > 0 && series.every((s) => s.unless !== undefined);
    return fallbackOnly && chart.fallbackTitle !== undefined ? chart.fallbackTitle : chart.title;
  }

  /** Forgets every record. */
  clear(): void {
    this.x.length = 0;
    this.columns.clear();
  }
}
