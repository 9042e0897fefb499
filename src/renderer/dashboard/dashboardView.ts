/**
 * The Training view (docs/app.md "Training dashboard"): start a training job, follow the jobs and
 * run folders, stop and resume them, watch their curves grow, list a run's checkpoints, and
 * evaluate its latest checkpoint with replays that open in the player. It talks to the main side
 * only through the API contract (jobs.* and runs.*, src/shared/api/jobMethods.ts).
 *
 *   every POLL_MS while shown: jobs.list + runs.list → run list
 *                              jobs.metrics(selected, since = records held) → MetricColumns → charts
 *
 * The view builds its own DOM (one root element, `element`); main.ts adds it as a tab.
 */
import 'uplot/dist/uPlot.min.css';
import './dashboard.css';
import type { ApiRequest, ApiResponse, SteerApi } from '../../shared/api/contract.js';
import { type FieldRow, setFields } from '../ui/dom.js';
import { formatNumber } from '../ui/format.js';
import { MetricChart } from './metricChart.js';
import { DASHBOARD_CHARTS, MetricColumns } from './metricSeries.js';

/** Poll interval while the view is shown [ms]. */
export const POLL_MS = 1000;
/** The run list (a directory walk on the host) is re-read every this many polls. */
const RUNS_EVERY_POLLS = 3;

type JobInfo = ApiResponse<'jobs.list'>['jobs'][number];
type RunInfo = ApiResponse<'runs.list'>['runs'][number];
type Evaluation = ApiResponse<'runs.evaluate'>;

/** What the view needs from the rest of the app. */
export interface DashboardHost {
  /** Opens a replay (an API path) in the player and shows it. */
  openReplay(path: string): void;
}

/** One row of the run list: a run folder, and the job training it if any. */
interface RunRow {
  readonly runId: string;
  readonly run: RunInfo | null;
  readonly job: JobInfo | null;
}

/** The Training view. */
export class DashboardView {
  /** Root element of the view. */
  readonly element: HTMLElement;
  private readonly doc: Document;
  private api: SteerApi | null = null;
  private readonly charts: MetricChart[];
  private readonly columns = new MetricColumns();
  /** Run whose curves are shown, and the records fetched for it. */
  private selected: string | null = null;
  private pollTimer: ReturnType<typeof setTimeout> | null = null;
  private polls = 0;
  private polling = false;
  private runs: RunInfo[] = [];
  private jobs: JobInfo[] = [];
  /** Last checkpoint update listed for the selected run (re-listed when it changes). */
  private listedCheckpointUpdate = -1;
  /** What the run list shows (see renderRuns). */
  private shownRuns = '';
  private readonly el: {
    form: HTMLFormElement;
    source: HTMLSelectElement;
    seed: HTMLInputElement;
    backend: HTMLSelectElement;
    updates: HTMLInputElement;
    runId: HTMLInputElement;
    start: HTMLButtonElement;
    formMessage: HTMLElement;
    runList: HTMLUListElement;
    title: HTMLElement;
    fields: HTMLDListElement;
    chartGrid: HTMLElement;
    checkpoints: HTMLUListElement;
    episodes: HTMLInputElement;
    evaluate: HTMLButtonElement;
    evalMessage: HTMLElement;
    evalFields: HTMLDListElement;
    replays: HTMLUListElement;
  };

  constructor(
    doc: Document,
    private readonly host: DashboardHost,
  ) {
    this.doc = doc;
    const h = (tag: string, cls?: string, text?: string): HTMLElement => {
      const node = doc.createElement(tag);
      if (cls !== undefined) node.className = cls;
      if (text !== undefined) node.textContent = text;
      return node;
    };
    const labelled = (label: string, control: HTMLElement, id: string): HTMLElement => {
      control.id = id;
      const row = h('div', 'form-row');
      const text = h('label', 'field', label) as HTMLLabelElement;
      text.htmlFor = id;
      row.append(text, control);
      return row;
    };

    // --- the form ---
    const source = doc.createElement('select');
    source.append(new Option('Connecting…', ''));
    const seed = doc.createElement('input');
    seed.type = 'number';
    seed.min = '0';
    seed.step = '1';
    seed.placeholder = "scenario's, else 1";
    const backend = doc.createElement('select');
    backend.append(new Option('auto', 'auto'));
    const updates = doc.createElement('input');
    updates.type = 'number';
    updates.min = '1';
    updates.step = '1';
    updates.placeholder = "the env's preset";
    const runId = doc.createElement('input');
    runId.type = 'text';
    runId.placeholder = 'dash-<date>-<n>';
    runId.pattern = '[A-Za-z0-9][A-Za-z0-9._\\-]{0,79}';
    runId.spellcheck = false;
    const start = h('button', 'button primary', 'Start training') as HTMLButtonElement;
    start.type = 'submit';
    start.id = 'job-start';
    const formMessage = h('p', 'form-message');
    formMessage.id = 'job-message';
    formMessage.setAttribute('role', 'status');
    const form = doc.createElement('form');
    form.id = 'job-form';
    form.noValidate = true;
    form.append(
      labelled('Train on', source, 'job-source'),
      labelled('Seed', seed, 'job-seed'),
      labelled('Backend', backend, 'job-backend'),
      labelled('Updates', updates, 'job-updates'),
      labelled('Run id', runId, 'job-run-id'),
      start,
      formMessage,
    );
    const formPanel = h('section', 'panel');
    formPanel.append(h('h2', undefined, 'New training job'), form);

    const runList = h('ul', 'run-list') as HTMLUListElement;
    runList.id = 'run-list';
    const runsPanel = h('section', 'panel runs-panel');
    runsPanel.append(h('h2', undefined, 'Jobs and runs'), runList);
    const side = h('aside', 'side dash-side');
    side.append(formPanel, runsPanel);

    // --- the selected run: header, charts, checkpoints, evaluation ---
    const title = h('h2', 'run-title', 'No run selected');
    title.id = 'run-title';
    const fields = h('dl', 'run-fields') as HTMLDListElement;
    fields.id = 'run-fields';
    setFields(fields, [['—', 'start a job or pick a run on the left']]);
    const head = h('header', 'run-head');
    head.append(title, fields);
    const chartGrid = h('div', 'chart-grid');
    chartGrid.id = 'charts';
    this.charts = DASHBOARD_CHARTS.map((spec) => new MetricChart(doc, spec));
    chartGrid.append(...this.charts.map((c) => c.element));

    const checkpoints = h('ul', 'checkpoint-list') as HTMLUListElement;
    checkpoints.id = 'checkpoint-list';
    const checkpointPanel = h('section', 'panel');
    checkpointPanel.append(h('h2', undefined, 'Checkpoints'), checkpoints);
    const episodes = doc.createElement('input');
    episodes.type = 'number';
    episodes.min = '1';
    episodes.max = '20';
    episodes.value = '4';
    const evaluate = h('button', 'button', 'Evaluate and record') as HTMLButtonElement;
    evaluate.type = 'button';
    evaluate.id = 'evaluate';
    evaluate.disabled = true;
    evaluate.title = "Play the latest checkpoint greedily; scenario runs record each episode's replay";
    const evalRow = h('div', 'eval-row');
    evalRow.append(labelled('Episodes', episodes, 'evaluate-episodes'), evaluate);
    const evalMessage = h('p', 'form-message');
    evalMessage.id = 'evaluate-message';
    evalMessage.setAttribute('role', 'status');
    const evalFields = h('dl') as HTMLDListElement;
    evalFields.id = 'evaluate-fields';
    const replays = h('ul', 'replay-links') as HTMLUListElement;
    replays.id = 'evaluate-replays';
    const evalPanel = h('section', 'panel');
    evalPanel.append(h('h2', undefined, 'Evaluate'), evalRow, evalMessage, evalFields, replays);
    const bottom = h('div', 'dash-bottom');
    bottom.append(checkpointPanel, evalPanel);
    const main = h('div', 'dash-main');
    main.append(head, chartGrid, bottom);

    this.element = h('div', 'dashboard');
    this.element.id = 'training-view';
    this.element.append(side, main);
    this.el = {
      form,
      source,
      seed,
      backend,
      updates,
      runId,
      start,
      formMessage,
      runList,
      title,
      fields,
      chartGrid,
      checkpoints,
      episodes,
      evaluate,
      evalMessage,
      evalFields,
      replays,
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.startJob();
    });
    evaluate.addEventListener('click', () => void this.evaluate());
  }

  /** Uses `api`: fills the form's choices and the run list. */
  async connect(api: SteerApi): Promise<void> {
    this.api = api;
    const options = await api.call('jobs.options', {});
    const { source, backend } = this.el;
    const scenarios = this.doc.createElement('optgroup');
    scenarios.label = 'Scenario files (HORM)';
    for (const s of options.scenarios)
      scenarios.append(new Option(`${s.name} — ${s.path}`, `scenario:${s.path}`));
    const envs = this.doc.createElement('optgroup');
    envs.label = 'Registry envs';
    for (const name of options.envs) envs.append(new Option(name, `env:${name}`));
    source.replaceChildren(scenarios, envs);
    const easy = options.scenarios.find((s) => s.path === 'scenarios/horm-easy.json');
    source.value = easy !== undefined ? `scenario:${easy.path}` : (source.options[0]?.value ?? '');
    backend.replaceChildren(...options.backends.map((b) => new Option(b, b)));
    backend.value = 'auto';
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
    this.columns.clear();
    for (const chart of this.charts) chart.clear();
    this.listedCheckpointUpdate = -1;
    this.el.checkpoints.replaceChildren();
    this.el.evalMessage.textContent = '';
    this.el.evalFields.replaceChildren();
    this.el.replays.replaceChildren();
    this.renderRuns();
    this.renderSelected();
    if (runId !== null) void this.poll();
  }

  dispose(): void {
    if (this.pollTimer !== null) clearTimeout(this.pollTimer);
    for (const chart of this.charts) chart.dispose();
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
      if (this.polls % RUNS_EVERY_POLLS === 0 || !jobRunning)
        this.runs = (await api.call('runs.list', {})).runs;
      this.polls++;
      this.renderRuns();
      if (this.selected !== null) await this.fetchMetrics(this.selected);
      this.renderSelected();
      if (this.selected !== null) await this.refreshCheckpoints(this.selected);
    } catch (error) {
      this.el.formMessage.textContent = `Cannot reach the host: ${message(error)}`;
      this.el.formMessage.classList.add('error');
    } finally {
      this.polling = false;
      if (this.shown) this.pollTimer = setTimeout(() => void this.poll(), POLL_MS);
    }
  }

  /** Appends the records of `runId` the view does not hold yet. */
  private async fetchMetrics(runId: string): Promise<void> {
    let changed = false;
    for (;;) {
      const page = await this.api!.call('jobs.metrics', { runId, since: this.columns.length });
      if (runId !== this.selected) return; // another run was picked meanwhile
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

  private async refreshCheckpoints(runId: string): Promise<void> {
    const update = this.rowOf(runId)?.run?.update ?? -1;
    const job = this.rowOf(runId)?.job;
    if (update === this.listedCheckpointUpdate && job?.status !== 'stopping') return;
    const { checkpoints } = await this.api!.call('runs.checkpoints', { runId });
    if (runId !== this.selected) return;
    this.listedCheckpointUpdate = update;
    this.el.checkpoints.replaceChildren(
      ...(checkpoints.length === 0
        ? [this.item('none yet (the first is saved after checkpointEvery updates, or on stop)', 'dim')]
        : checkpoints.map((c) =>
            this.item(
              `${c.name}: update ${c.update} · ${new Date(c.createdAt).toLocaleString()} · ${formatNumber(c.tensorBytes / 1024, 0)} KB`,
            ),
          )),
    );
    this.el.evaluate.disabled = checkpoints.length === 0;
  }

  // --- actions ---

  private async startJob(): Promise<void> {
    if (this.api === null) return;
    const { source, seed, backend, updates, runId, start, formMessage } = this.el;
    const [kind, ...rest] = source.value.split(':');
    const value = rest.join(':');
    const request: Record<string, unknown> = kind === 'scenario' ? { scenario: value } : { env: value };
    if (seed.value !== '') request.seed = Number(seed.value);
    if (updates.value !== '') request.updates = Number(updates.value);
    if (runId.value.trim() !== '') request.runId = runId.value.trim();
    request.backend = backend.value;
    start.disabled = true;
    formMessage.classList.remove('error');
    formMessage.textContent = 'starting…';
    try {
      const { job } = await this.api.call('jobs.start', request as ApiRequest<'jobs.start'>);
      formMessage.textContent = `started ${job.runId}`;
      runId.value = '';
      this.select(job.runId);
    } catch (error) {
      formMessage.textContent = message(error);
      formMessage.classList.add('error');
    } finally {
      start.disabled = false;
    }
  }

  private async stop(runId: string): Promise<void> {
    await this.act(() => this.api!.call('jobs.stop', { runId }));
  }

  private async resume(runId: string): Promise<void> {
    // "auto" in the form is no choice: the run then continues on its own backend (jobs.resume's
    // default), never silently on another one; a named backend switches it.
    const backend = this.el.backend.value as NonNullable<ApiRequest<'jobs.resume'>['backend']>;
    await this.act(() => this.api!.call('jobs.resume', backend === 'auto' ? { runId } : { runId, backend }));
    this.select(runId);
  }

  /** Runs a job action; its error goes to the form's message line. */
  private async act(action: () => Promise<unknown>): Promise<void> {
    try {
      this.el.formMessage.classList.remove('error');
      await action();
    } catch (error) {
      this.el.formMessage.textContent = message(error);
      this.el.formMessage.classList.add('error');
    }
    await this.poll();
  }

  private async evaluate(): Promise<void> {
    const runId = this.selected;
    if (this.api === null || runId === null) return;
    const { evaluate, evalMessage, evalFields, replays, episodes } = this.el;
    evaluate.disabled = true;
    evalMessage.classList.remove('error');
    evalMessage.textContent = 'evaluating in a worker…';
    evalFields.replaceChildren();
    replays.replaceChildren();
    try {
      const result = await this.api.call('runs.evaluate', {
        runId,
        episodes: Math.min(20, Math.max(1, Math.round(Number(episodes.value) || 1))),
      });
      if (runId !== this.selected) return;
      this.showEvaluation(result);
    } catch (error) {
      evalMessage.textContent = message(error);
      evalMessage.classList.add('error');
    } finally {
      evaluate.disabled = false;
    }
  }

  private showEvaluation(result: Evaluation): void {
    const { evalMessage, evalFields, replays } = this.el;
    evalMessage.textContent = `update ${result.update} · ${result.episodes} episode${result.episodes === 1 ? '' : 's'} · ${formatNumber(result.seconds, 1)} s`;
    const rows: FieldRow[] = Object.entries(result.metrics).map(([key, value]) => evaluationRow(key, value));
    setFields(evalFields, rows);
    if (result.replays.length === 0) {
      replays.replaceChildren(this.item('no replays: only scenario (HORM) runs record episodes', 'dim'));
      return;
    }
    replays.replaceChildren(
      ...result.replays.map((path) => {
        const li = this.doc.createElement('li');
        const button = this.doc.createElement('button');
        button.type = 'button';
        button.className = 'button';
        button.dataset.replay = path;
        button.textContent = `▶ ${path.split('/').pop()}`;
        button.title = `Open ${path} in the player`;
        button.addEventListener('click', () => this.host.openReplay(path));
        li.append(button);
        return li;
      }),
    );
  }

  // --- rendering ---

  /** The runs on disk and this session's jobs, merged by run id (jobs first, then newest). */
  private rows(): RunRow[] {
    const rows = new Map<string, RunRow>();
    for (const job of this.jobs) rows.set(job.runId, { runId: job.runId, job, run: null });
    for (const run of this.runs) {
      const row = rows.get(run.runId);
      rows.set(run.runId, { runId: run.runId, job: row?.job ?? null, run });
    }
    return [...rows.values()];
  }

  private rowOf(runId: string): RunRow | undefined {
    return this.rows().find((r) => r.runId === runId);
  }

  private renderRuns(): void {
    const rows = this.rows();
    // Rebuilt only when something shown changed: a list replaced under the pointer loses clicks.
    const shown = JSON.stringify([this.selected, rows]);
    if (shown === this.shownRuns) return;
    this.shownRuns = shown;
    if (rows.length === 0) {
      this.el.runList.replaceChildren(this.item('no runs under runs/ yet', 'dim'));
      return;
    }
    this.el.runList.replaceChildren(...rows.map((row) => this.runItem(row)));
  }

  private runItem(row: RunRow): HTMLLIElement {
    const { runId, run, job } = row;
    const status = statusOf(row);
    const li = this.doc.createElement('li');
    li.className = 'run';
    li.dataset.run = runId;
    li.dataset.status = status;
    li.setAttribute('aria-selected', String(runId === this.selected));
    const pick = this.doc.createElement('button');
    pick.type = 'button';
    pick.className = 'run-pick';
    pick.title = `Show ${runId}`;
    pick.addEventListener('click', () => this.select(runId));
    const top = this.doc.createElement('span');
    top.className = 'run-top';
    const name = this.doc.createElement('span');
    name.className = 'run-name';
    name.textContent = runId;
    const badge = this.doc.createElement('span');
    badge.className = `badge ${status}`;
    badge.textContent = status;
    top.append(name, badge);
    const what = this.doc.createElement('span');
    what.className = 'run-what';
    const env = job?.env ?? run?.env ?? '';
    const scenario = job?.scenario ?? run?.scenario ?? null;
    const seed = job?.seed ?? run?.seed ?? null;
    what.textContent = `${scenario ?? env}${seed === null ? '' : ` · seed ${seed}`}${job?.backend ? ` · ${job.backend}` : ''}`;
    const update =
      job !== null && (job.status === 'running' || job.status === 'stopping')
        ? job.update
        : (run?.update ?? job?.update ?? 0);
    const total = job?.totalUpdates ?? run?.totalUpdates ?? 0;
    const progressRow = this.doc.createElement('span');
    progressRow.className = 'run-progress';
    const progress = this.doc.createElement('progress');
    progress.max = Math.max(total, 1);
    progress.value = Math.min(update, total);
    const count = this.doc.createElement('span');
    count.className = 'counter';
    count.textContent = `${update} / ${total}`;
    progressRow.append(progress, count);
    pick.append(top, what, progressRow);
    li.append(pick);
    if (job?.status === 'failed' && job.error !== null) {
      const error = this.doc.createElement('p');
      error.className = 'run-error';
      error.textContent = job.error;
      li.append(error);
    }
    const actions = this.doc.createElement('span');
    actions.className = 'run-actions';
    if (status === 'starting' || status === 'running') {
      actions.append(this.actionButton('Stop', 'stop', runId, 'Finish the update, save a checkpoint, stop'));
    } else if (run !== null && ['stopped', 'failed', 'partial', 'new'].includes(status)) {
      actions.append(this.actionButton('Resume', 'resume', runId, 'Continue from the latest checkpoint'));
    }
    if (actions.childElementCount > 0) li.append(actions);
    return li;
  }

  private actionButton(
    text: string,
    action: 'stop' | 'resume',
    runId: string,
    title: string,
  ): HTMLButtonElement {
    const button = this.doc.createElement('button');
    button.type = 'button';
    button.className = 'button small';
    button.dataset.action = action;
    button.textContent = text;
    button.title = title;
    button.addEventListener('click', (event) => {
      event.stopPropagation();
      button.disabled = true;
      void (action === 'stop' ? this.stop(runId) : this.resume(runId));
    });
    return button;
  }

  /** The header of the selected run. */
  private renderSelected(): void {
    const { title, fields } = this.el;
    const row = this.selected === null ? undefined : this.rowOf(this.selected);
    if (this.selected === null || row === undefined) {
      title.textContent = this.selected ?? 'No run selected';
      if (this.selected === null) setFields(fields, [['—', 'start a job or pick a run on the left']]);
      return;
    }
    const { run, job } = row;
    title.textContent = `runs/${row.runId}`;
    const last = this.columns.length > 0 ? this.columns.x[this.columns.length - 1]! : 0;
    const rows: FieldRow[] = [
      ['status', statusOf(row), job?.status === 'failed' ? 'bad' : undefined],
      [
        'env',
        `${job?.env ?? run?.env ?? ''}${(job?.scenario ?? run?.scenario) ? ` · scenario "${job?.scenario ?? run?.scenario}"` : ''}`,
      ],
      ['seed', String(job?.seed ?? run?.seed ?? '—')],
      ['updates', `${job?.update ?? run?.update ?? 0} / ${job?.totalUpdates ?? run?.totalUpdates ?? 0}`],
      ['records', `${this.columns.length} (last at update ${last})`],
    ];
    if (job?.backend) rows.push(['backend', job.backend]);
    if (job?.error) rows.push(['error', job.error, 'bad']);
    setFields(fields, rows);
  }

  private item(text: string, cls?: string): HTMLLIElement {
    const li = this.doc.createElement('li');
    li.textContent = text;
    if (cls !== undefined) li.className = cls;
    return li;
  }
}

/** How `runs.evaluate` metrics read: label and formatting per key (returns as they are). */
const EVALUATION_LABELS: Readonly<
  Record<string, readonly [label: string, unit: '%' | 'm/s' | 'steps' | '']>
> = {
  crashRate: ['crash rate (any CAV)', '%'],
  crashRateAgent0: ['crash rate (agent 0)', '%'],
  meanSpeed: ['mean speed', 'm/s'],
  meanReturn: ['mean return', ''],
  mergeCompletion: ['merge completion', '%'],
  meanEpisodeLength: ['episode length', 'steps'],
  converged: ['converged (§c.7)', ''],
};

/** One row of the evaluation panel. */
function evaluationRow(key: string, value: number | null): FieldRow {
  const [label, unit] = EVALUATION_LABELS[key] ?? [key.replace('/', ' '), ''];
  if (value === null) return [label, 'n/a'];
  if (key === 'converged') return [label, value === 1 ? 'yes' : 'no'];
  if (unit === '%') return [label, `${formatNumber(100 * value, 1)} %`];
  return [label, `${formatNumber(value, 2)}${unit === '' ? '' : ` ${unit}`}`];
}

/** The status a row shows: its job's while this session has one, else the folder's. */
function statusOf(row: RunRow): string {
  return row.job?.status ?? row.run?.status ?? 'unreadable';
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
