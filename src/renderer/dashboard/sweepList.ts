/**
 * The dashboard's "Sweeps" panel (docs/app.md "Training dashboard"): one entry per sweep under
 * runs/ (its name, file, status badge, counts and an overall progress bar; a damaged status file is
 * one error line), and for the selected sweep a table of its runs (id, state, update / total as a
 * bar, a failed run's last error line). A click on a run opens it in the run view. Read-only:
 * sweeps start on the command line, which the empty state says (sweepRows.ts has the text).
 */
import type { SteerApi } from '../../shared/api/contract.js';
import { el, panel } from '../ui/dom.js';
import { userMessage } from '../ui/userMessage.js';
import {
  NO_SWEEPS_TEXT,
  type SweepInfo,
  type SweepRunInfo,
  sweepBadge,
  sweepCounts,
  sweepWhat,
} from './sweepRows.js';

/** What the panel asks of the dashboard. */
export interface SweepListActions {
  /** Opens a sweep's run in the run view (its `runId` path under runs/). */
  openRun(runId: string): void;
  /** Says that a call failed. */
  showError(message: string): void;
}

/** The panel: the sweeps, then the selected sweep's runs; it keeps what it last read. */
export class SweepList {
  /** The panel (title, list, runs table). */
  readonly element: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly table: HTMLTableElement;
  private readonly body: HTMLTableSectionElement;
  private api: SteerApi | null = null;
  private sweeps: SweepInfo[] = [];
  /** The selected sweep's folder under runs/, and its runs as last read. */
  private selected: string | null = null;
  private runs: SweepRunInfo[] | null = null;
  /** The run open in the run view (its path under runs/), if it is a sweep's. */
  private openRunId: string | null = null;
  /** What the list and the table show (rebuilt only when it changes: see RunList.show). */
  private shownList = '';
  private shownRuns = '';

  constructor(
    private readonly doc: Document,
    private readonly actions: SweepListActions,
  ) {
    this.list = el(doc, 'ul', 'run-list sweep-list');
    this.list.id = 'sweep-list';
    this.table = el(doc, 'table', 'sweep-runs');
    this.table.id = 'sweep-runs';
    this.table.hidden = true;
    const head = el(doc, 'thead');
    const header = el(doc, 'tr');
    for (const title of ['run', 'state', 'updates']) header.append(el(doc, 'th', '', title));
    head.append(header);
    this.body = el(doc, 'tbody');
    this.table.append(head, this.body);
    this.element = panel(doc, 'Sweeps');
    this.element.classList.add('sweeps-panel');
    this.element.append(this.list, this.table);
  }

  /** Re-reads the sweeps (`sweeps.list`) and the selected one's runs (`sweeps.status`), then shows them. */
  async refresh(api: SteerApi): Promise<void> {
    this.api = api;
    this.sweeps = (await api.call('sweeps.list', {})).sweeps;
    const path = this.selected;
    if (path !== null && this.sweeps.some((sweep) => sweep.path === path)) {
      const { runs } = await api.call('sweeps.status', { path });
      if (path === this.selected) this.runs = runs;
    } else {
      this.selected = null;
      this.runs = null;
    }
    this.render();
  }

  /** The sweep run at `runId` (a path under runs/) and its sweep, when the selected sweep has it. */
  runAt(runId: string): { sweep: SweepInfo | undefined; run: SweepRunInfo } | null {
    const run = this.runs?.find((r) => r.runId === runId);
    if (run === undefined) return null;
    return { sweep: this.sweeps.find((sweep) => sweep.path === this.selected), run };
  }

  /** Marks the run open in the run view (null, or not a sweep's: none marked). */
  markOpen(runId: string | null): void {
    this.openRunId = runId;
    this.render();
  }

  private select(path: string): void {
    if (path === this.selected) return;
    this.selected = path;
    this.runs = null;
    this.render();
    if (this.api !== null)
      this.refresh(this.api).catch((error) => this.actions.showError(userMessage(error)));
  }

  private render(): void {
    const shownList = JSON.stringify([this.selected, this.sweeps]);
    if (shownList !== this.shownList) {
      this.shownList = shownList;
      this.list.replaceChildren(
        ...(this.sweeps.length === 0
          ? [el(this.doc, 'li', 'dim sweep-empty', NO_SWEEPS_TEXT)]
          : this.sweeps.map((sweep) => this.item(sweep, sweep.path === this.selected))),
      );
    }
    const shownRuns = JSON.stringify([this.openRunId, this.runs]);
    if (shownRuns === this.shownRuns) return;
    this.shownRuns = shownRuns;
    this.table.hidden = this.runs === null || this.runs.length === 0;
    this.body.replaceChildren(
      ...(this.runs ?? []).flatMap((run) => this.runRows(run, run.runId === this.openRunId)),
    );
  }

  private item(sweep: SweepInfo, selected: boolean): HTMLLIElement {
    const li = el(this.doc, 'li', 'run sweep');
    li.dataset.sweep = sweep.path;
    li.setAttribute('aria-selected', String(selected));
    const pick = el(this.doc, 'button');
    pick.type = 'button';
    pick.className = 'run-pick';
    pick.title = `Show the runs of runs/${sweep.path}`;
    pick.addEventListener('click', () => this.select(sweep.path));
    const top = el(this.doc, 'span', 'run-top');
    const badge = sweepBadge(sweep);
    top.append(
      el(this.doc, 'span', 'run-name', sweep.name || sweep.path),
      el(this.doc, 'span', `badge ${badge}`, badge),
    );
    pick.append(top, el(this.doc, 'span', 'run-what', sweepWhat(sweep)));
    if (sweep.error === undefined) {
      pick.append(el(this.doc, 'span', 'run-what sweep-counts', sweepCounts(sweep)));
      pick.append(this.progress(sweep.update, sweep.updates));
    }
    li.append(pick);
    if (sweep.error !== undefined) li.append(el(this.doc, 'p', 'run-error', sweep.error));
    return li;
  }

  /** A run's row, and a second row with its error line when it failed. */
  private runRows(run: SweepRunInfo, open: boolean): HTMLTableRowElement[] {
    const tr = el(this.doc, 'tr', 'sweep-run');
    tr.dataset.sweepRun = run.id;
    tr.dataset.state = run.state;
    tr.setAttribute('aria-selected', String(open));
    const id = el(this.doc, 'td', 'sweep-run-id');
    if (run.hasFolder) {
      const openButton = el(this.doc, 'button', 'link', run.id);
      openButton.type = 'button';
      openButton.title = `Open runs/${run.runId} in the run view`;
      openButton.addEventListener('click', () => this.actions.openRun(run.runId));
      id.append(openButton);
    } else {
      id.append(el(this.doc, 'span', 'dim', run.id));
      id.title = 'no run folder yet';
    }
    const state = el(this.doc, 'td');
    state.append(el(this.doc, 'span', `badge ${run.state === 'done' ? 'complete' : run.state}`, run.state));
    const progress = el(this.doc, 'td');
    progress.append(this.progress(run.update, run.updates));
    tr.append(id, state, progress);
    if (run.error === null) return [tr];
    const errorRow = el(this.doc, 'tr', 'sweep-run-error');
    const cell = el(this.doc, 'td', 'run-error', run.error);
    cell.colSpan = 3;
    errorRow.append(cell);
    return [tr, errorRow];
  }

  /** A progress bar and its counter "update / total". */
  private progress(update: number, total: number): HTMLElement {
    const row = el(this.doc, 'span', 'run-progress');
    const bar = el(this.doc, 'progress');
    bar.max = Math.max(total, 1);
    bar.value = Math.min(update, total);
    row.append(bar, el(this.doc, 'span', 'counter', `${update} / ${total}`));
    return row;
  }
}
