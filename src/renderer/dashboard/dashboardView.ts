/**
 * The Training view (docs/app.md "Training dashboard"): start a training job, follow the jobs and
 * run folders, stop and resume them, watch their curves grow, list a run's checkpoints, and
 * evaluate its latest checkpoint with replays that open in the player. It talks to the main side
 * only through the API contract (jobs.* and runs.*, src/shared/api/jobMethods.ts).
 *
 *   every POLL_MS while shown: jobs.list + runs.list → run list
 *                              sweeps.list + sweeps.status(selected sweep) → sweeps panel
 *                              jobs.metrics(selected, since = records held) → MetricColumns → charts
 *
 * This file owns the state (the jobs and runs last listed, the selected run, the polling) and makes
 * the calls; the parts build their own DOM: the job form (jobForm.ts, requests in jobRequests.ts),
 * the run list (runList.ts, its text in runRows.ts), the sweeps under runs/ (sweepList.ts, read-only:
 * a sweep's run opens here like any run, by its path under runs/), the curves (runCurves.ts over metricChart.ts
 * and metricSeries.ts), and the checkpoints and evaluation (evaluationPanel.ts, evaluationText.ts).
 * One root element, `element`; main.ts adds it as a tab.
 */
import 'uplot/dist/uPlot.min.css';
import './dashboard.css';
import type { SteerApi } from '../../shared/api/contract.js';
import { el, setFields } from '../ui/dom.js';
import { userMessage } from '../ui/userMessage.js';
import { EvaluationPanel } from './evaluationPanel.js';
import { JobForm } from './jobForm.js';
import { jobResumeRequest } from './jobRequests.js';
import { RunCurves } from './runCurves.js';
import { RunList } from './runList.js';
import {
  type JobInfo,
  mergeRuns,
  NO_RUN_FIELDS,
  type RunInfo,
  type RunRow,
  runFields,
  runTitle,
} from './runRows.js';
import { SweepList } from './sweepList.js';
import { sweepRunFields } from './sweepRows.js';

/** Poll interval while the view is shown [ms]. */
export const POLL_MS = 1000;
/** The run list and the sweeps (directory walks on the host) are re-read every this many polls. */
const RUNS_EVERY_POLLS = 3;

/** What the view needs from the rest of the app. */
export interface DashboardHost {
  /** Opens a replay (an API path) in the player and shows it. */
  openReplay(path: string): void;
}

/** The Training view. */
export class DashboardView {
  /** Root element of the view. */
  readonly element: HTMLElement;
  private api: SteerApi | null = null;
  /** Run whose curves are shown. */
  private selected: string | null = null;
  private pollTimer: ReturnType<typeof setTimeout> | null = null;
  private polls = 0;
  private polling = false;
  private runs: RunInfo[] = [];
  private jobs: JobInfo[] = [];
  /** Last checkpoint update listed for the selected run (re-listed when it changes). */
  private listedCheckpointUpdate = -1;
  private readonly form: JobForm;
  private readonly runList: RunList;
  private readonly sweepList: SweepList;
  private readonly curves: RunCurves;
  private readonly evaluation: EvaluationPanel;
  /** The selected run's header: title and fields. */
  private readonly title: HTMLElement;
  private readonly fields: HTMLDListElement;

  constructor(doc: Document, host: DashboardHost) {
    this.form = new JobForm(doc, () => void this.startJob());
    this.runList = new RunList(doc, {
      select: (runId) => this.select(runId),
      stop: (runId) => void this.stop(runId),
      resume: (runId) => void this.resume(runId),
    });
    this.sweepList = new SweepList(doc, {
      openRun: (runId) => this.select(runId),
      showError: (text) => this.form.showError(`Cannot read the sweeps: ${text}`),
    });
    const side = el(doc, 'aside', 'side dash-side');
    side.append(this.form.element, this.runList.element, this.sweepList.element);

    // The selected run: header, charts, checkpoints and evaluation.
    this.title = el(doc, 'h2', 'run-title', 'No run selected');
    this.title.id = 'run-title';
    this.fields = el(doc, 'dl', 'run-fields');
    this.fields.id = 'run-fields';
    setFields(this.fields, NO_RUN_FIELDS);
    const head = el(doc, 'header', 'run-head');
    head.append(this.title, this.fields);
    this.curves = new RunCurves(doc);
    this.evaluation = new EvaluationPanel(doc, {
      evaluate: () => void this.evaluate(),
      openReplay: (path) => host.openReplay(path),
    });
    const main = el(doc, 'div', 'dash-main');
    main.append(head, this.curves.element, this.evaluation.element);

    this.element = el(doc, 'div', 'dashboard');
    this.element.id = 'training-view';
    this.element.append(side, main);
  }

  /** Uses `api`: fills the form's choices and the run list. */
  async connect(api: SteerApi): Promise<void> {
    this.api = api;
    this.form.listOptions(await api.call('jobs.options', {}));
    await this.poll();
  }

  /** Called when the view's tab is shown: refresh at once and keep polling while shown. */
  onShow(): void {
    if (this.api !== null) void this.poll();
  }

  /** Selects run `runId` (its curves, checkpoints and evaluation). */
  select(runId: string | null): void {
    if (runId === this.selected) return;
    this.selected = runId;
    this.curves.clear();
    this.listedCheckpointUpdate = -1;
    this.evaluation.clear();
    this.sweepList.markOpen(runId);
    this.renderRuns();
    this.renderSelected();
    if (runId !== null) void this.poll();
  }

  dispose(): void {
    if (this.pollTimer !== null) clearTimeout(this.pollTimer);
    this.curves.dispose();
  }

  // --- polling ---

  private get shown(): boolean {
    return this.element.isConnected && this.element.offsetParent !== null;
  }

  /** One refresh: jobs, (every few polls) runs, the selected run's new records; then schedules the next. */
  private async poll(): Promise<void> {
    if (this.api === null || this.polling) return;
    if (this.pollTimer !== null) clearTimeout(this.pollTimer);
    this.pollTimer = null;
    this.polling = true;
    try {
      const api = this.api;
      this.jobs = (await api.call('jobs.list', {})).jobs;
      const jobRunning = this.jobs.some((j) => j.status === 'starting' || j.status === 'running');
      if (this.polls % RUNS_EVERY_POLLS === 0 || !jobRunning) {
        this.runs = (await api.call('runs.list', {})).runs;
        // A sweep folder that cannot be listed says so without stopping the runs' polling.
        await this.sweepList
          .refresh(api)
          .catch((error) => this.form.showError(`Cannot read the sweeps: ${message(error)}`));
      }
      this.polls++;
      this.renderRuns();
      const runId = this.selected;
      if (runId !== null) await this.curves.fetch(api, runId, () => runId === this.selected);
      this.renderSelected();
      if (this.selected !== null) await this.refreshCheckpoints(this.selected);
    } catch (error) {
      this.form.showError(`Cannot reach the host: ${message(error)}`);
    } finally {
      this.polling = false;
      if (this.shown) this.pollTimer = setTimeout(() => void this.poll(), POLL_MS);
    }
  }

  /** Re-lists the checkpoints of `runId` when its checkpoint update changed (or its job is stopping). */
  private async refreshCheckpoints(runId: string): Promise<void> {
    const row = this.rowOf(runId);
    const update = row?.run?.update ?? this.sweepList.runAt(runId)?.run.update ?? -1;
    if (update === this.listedCheckpointUpdate && row?.job?.status !== 'stopping') return;
    const { checkpoints } = await this.api!.call('runs.checkpoints', { runId });
    if (runId !== this.selected) return;
    this.listedCheckpointUpdate = update;
    this.evaluation.showCheckpoints(checkpoints);
  }

  // --- actions ---

  private async startJob(): Promise<void> {
    if (this.api === null) return;
    const request = this.form.request();
    this.form.starting();
    try {
      const { job } = await this.api.call('jobs.start', request);
      this.form.started(job.runId);
      this.select(job.runId);
    } catch (error) {
      this.form.showError(message(error));
    } finally {
      this.form.startEnded();
    }
  }

  private async stop(runId: string): Promise<void> {
    await this.act(() => this.api!.call('jobs.stop', { runId }));
  }

  private async resume(runId: string): Promise<void> {
    const request = jobResumeRequest(runId, this.form.backendChoice());
    await this.act(() => this.api!.call('jobs.resume', request));
    this.select(runId);
  }

  /** Runs a job action; its error goes to the form's message line. */
  private async act(action: () => Promise<unknown>): Promise<void> {
    try {
      this.form.clearError();
      await action();
    } catch (error) {
      this.form.showError(message(error));
    }
    await this.poll();
  }

  private async evaluate(): Promise<void> {
    const runId = this.selected;
    if (this.api === null || runId === null) return;
    const episodes = this.evaluation.episodeCount();
    if (episodes === null) return; // the panel says the allowed range
    this.evaluation.evaluating();
    try {
      const result = await this.api.call('runs.evaluate', { runId, episodes });
      if (runId !== this.selected) return;
      this.evaluation.showEvaluation(result);
    } catch (error) {
      this.evaluation.showError(message(error));
    } finally {
      this.evaluation.evaluateEnded();
    }
  }

  // --- rendering ---

  private rows(): RunRow[] {
    return mergeRuns(this.jobs, this.runs);
  }

  private rowOf(runId: string): RunRow | undefined {
    return this.rows().find((r) => r.runId === runId);
  }

  private renderRuns(): void {
    this.runList.show(this.rows(), this.selected);
  }

  /** The header of the selected run. */
  private renderSelected(): void {
    const row = this.selected === null ? undefined : this.rowOf(this.selected);
    const ofSweep = this.selected === null ? null : this.sweepList.runAt(this.selected);
    if (row === undefined && ofSweep !== null) {
      this.title.textContent = `runs/${this.selected}`;
      const { sweep, run } = ofSweep;
      setFields(this.fields, sweepRunFields(sweep, run, this.curves.records, this.curves.lastUpdate));
      return;
    }
    if (this.selected === null || row === undefined) {
      this.title.textContent = this.selected ?? 'No run selected';
      if (this.selected === null) setFields(this.fields, NO_RUN_FIELDS);
      return;
    }
    this.title.textContent = runTitle(row.runId);
    setFields(this.fields, runFields(row, this.curves.records, this.curves.lastUpdate));
  }
}

/** An error in the form's words (userMessage.ts), not the API's. */
function message(error: unknown): string {
  return userMessage(error);
}
