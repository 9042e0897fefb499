/**
 * The dashboard's curves: the chart grid (one MetricChart per DASHBOARD_CHARTS entry) and the
 * selected run's metrics.jsonl records held as columns, fetched incrementally (`jobs.metrics`,
 * since = records held) so a resumed or earlier run shows its whole history.
 */
import type { SteerApi } from '../../shared/api/contract.js';
import { el } from '../ui/dom.js';
import { MetricChart } from './metricChart.js';
import { DASHBOARD_CHARTS, MetricColumns } from './metricSeries.js';

/** The charts and the records they draw. */
export class RunCurves {
  /** The chart grid. */
  readonly element: HTMLElement;
  private readonly charts: MetricChart[];
  private readonly columns = new MetricColumns();

  constructor(doc: Document) {
    this.element = el(doc, 'div', 'chart-grid');
    this.element.id = 'charts';
    this.charts = DASHBOARD_CHARTS.map((spec) => new MetricChart(doc, spec));
    this.element.append(...this.charts.map((c) => c.element));
  }

  /** Records held. */
  get records(): number {
    return this.columns.length;
  }

  /** The update of the last record held (0 without any). */
  get lastUpdate(): number {
    return this.columns.length > 0 ? this.columns.x[this.columns.length - 1]! : 0;
  }

  /** Forgets the records and empties the charts (another run was selected). */
  clear(): void {
    this.columns.clear();
    for (const chart of this.charts) chart.clear();
  }

  /**
   * Appends the records of `runId` not held yet and redraws on news; stops when `current()` says
   * another run was picked meanwhile.
   */
  async fetch(api: SteerApi, runId: string, current: () => boolean): Promise<void> {
    let changed = false;
    for (;;) {
      const page = await api.call('jobs.metrics', { runId, since: this.columns.length });
      if (!current()) return;
      if (page.total < this.columns.length) {
        // The file shrank (a resume dropped lines written after its checkpoint): start over.
        this.columns.clear();
        changed = true;
        continue;
      }
      if (page.records.length > 0) {
        this.columns.append(page.records);
        changed = true;
      }
      if (!page.more) break;
    }
    // Only on news: redrawing resets a zoom the user dragged.
    if (changed) for (const chart of this.charts) chart.update(this.columns);
  }

  dispose(): void {
    for (const chart of this.charts) chart.dispose();
  }
}
