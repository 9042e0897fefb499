/**
 * The dashboard's "New training job" panel: Train on (scenario files and registry envs), Seed,
 * Backend, Updates, Run id, Start training, and the message line under them, which also says why
 * a job action or the host failed. The requests it makes are in jobRequests.ts; the dashboard
 * sends them.
 */
import type { ApiRequest, ApiResponse } from '../../shared/api/contract.js';
import { el, panel } from '../ui/dom.js';
import { formRow } from './dashboardDom.js';
import { jobStartRequest, sourceChoices } from './jobRequests.js';

/** The form and its controls. */
export class JobForm {
  /** The panel (title and form). */
  readonly element: HTMLElement;
  private readonly source: HTMLSelectElement;
  private readonly seed: HTMLInputElement;
  private readonly backend: HTMLSelectElement;
  private readonly updates: HTMLInputElement;
  private readonly runId: HTMLInputElement;
  private readonly start: HTMLButtonElement;
  private readonly message: HTMLElement;

  /** `submit` is called when the form is submitted (Start training, or Enter in a field). */
  constructor(
    private readonly doc: Document,
    submit: () => void,
  ) {
    this.source = el(doc, 'select');
    this.source.append(new Option('Connecting…', ''));
    this.seed = numberInput(doc, '0', "scenario's, else 1");
    this.backend = el(doc, 'select');
    this.backend.append(new Option('auto', 'auto'));
    this.updates = numberInput(doc, '1', "the env's preset");
    this.runId = el(doc, 'input');
    this.runId.type = 'text';
    this.runId.placeholder = 'dash-<date>-<n>';
    this.runId.pattern = '[A-Za-z0-9][A-Za-z0-9._\\-]{0,79}';
    this.runId.spellcheck = false;
    this.start = el(doc, 'button', 'button primary', 'Start training');
    this.start.type = 'submit';
    this.start.id = 'job-start';
    this.message = el(doc, 'p', 'form-message');
    this.message.id = 'job-message';
    this.message.setAttribute('role', 'status');
    const form = el(doc, 'form');
    form.id = 'job-form';
    form.noValidate = true;
    form.append(
      formRow(doc, 'Train on', this.source, 'job-source'),
      formRow(doc, 'Seed', this.seed, 'job-seed'),
      formRow(doc, 'Backend', this.backend, 'job-backend'),
      formRow(doc, 'Updates', this.updates, 'job-updates'),
      formRow(doc, 'Run id', this.runId, 'job-run-id'),
      this.start,
      this.message,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      submit();
    });
    this.element = panel(doc, 'New training job');
    this.element.append(form);
  }

  /** Fills the choices of Train on and Backend (`jobs.options`). */
  listOptions(options: ApiResponse<'jobs.options'>): void {
    const { groups, initial } = sourceChoices(options);
    this.source.replaceChildren(
      ...groups.map(({ label, options: choices }) => {
        const group = this.doc.createElement('optgroup');
        group.label = label;
        for (const [text, value] of choices) group.append(new Option(text, value));
        return group;
      }),
    );
    this.source.value = initial;
    this.backend.replaceChildren(...options.backends.map((b) => new Option(b, b)));
    this.backend.value = 'auto';
  }

  /** The `jobs.start` request for what the form holds. */
  request(): ApiRequest<'jobs.start'> {
    return jobStartRequest({
      source: this.source.value,
      seed: this.seed.value,
      updates: this.updates.value,
      runId: this.runId.value,
      backend: this.backend.value,
    });
  }

  /** The backend chosen ("auto": none). */
  backendChoice(): string {
    return this.backend.value;
  }

  /** A start was asked: Start waits, the message says so. */
  starting(): void {
    this.start.disabled = true;
    this.clearError();
    this.message.textContent = 'starting…';
  }

  /** The job of run `runId` started: says so and empties Run id for the next job. */
  started(runId: string): void {
    this.message.textContent = `started ${runId}`;
    this.runId.value = '';
  }

  /** The start was answered (either way): Start can be pressed again. */
  startEnded(): void {
    this.start.disabled = false;
  }

  /** Shows `text` as an error on the message line. */
  showError(text: string): void {
    this.message.textContent = text;
    this.message.classList.add('error');
  }

  /** Unmarks the message line as an error (its text stays until replaced). */
  clearError(): void {
    this.message.classList.remove('error');
  }
}

/** A whole-number input from `min`, with a placeholder saying what empty means. */
function numberInput(doc: Document, min: string, placeholder: string): HTMLInputElement {
  const input = el(doc, 'input');
  input.type = 'number';
  input.min = min;
  input.step = '1';
  input.placeholder = placeholder;
  return input;
}
