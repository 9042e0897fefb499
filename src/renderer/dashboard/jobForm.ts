/**
 * The dashboard's "New training job" panel: Train on (scenario files and registry envs), Algorithm
 * (the registry's, its summary as the hint under it), Seed, Backend, Updates, Run id, Start
 * training, and the message line under them, which also says why
 * a job action or the host failed. The requests it makes are in jobRequests.ts; the dashboard
 * sends them.
 */
import type { ApiRequest, ApiResponse } from '../../shared/api/contract.js';
import { el, panel } from '../ui/dom.js';
import { formRow } from './dashboardDom.js';
import {
  type AlgorithmChoice,
  algorithmChoices,
  algorithmHint,
  jobStartRequest,
  sourceChoices,
} from './jobRequests.js';

/** The form and its controls. */
export class JobForm {
  /** The panel (title and form). */
  readonly element: HTMLElement;
  private readonly source: HTMLSelectElement;
  private readonly algo: HTMLSelectElement;
  /** The chosen algorithm's summary, under its select. */
  private readonly algoHint: HTMLElement;
  private algorithms: readonly AlgorithmChoice[] = [];
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
    this.algo = el(doc, 'select');
    this.algo.append(new Option('Connecting…', ''));
    this.algoHint = el(doc, 'p', 'form-hint');
    this.algoHint.id = 'job-algo-hint';
    this.algo.setAttribute('aria-describedby', this.algoHint.id);
    this.algo.addEventListener('change', () => this.showAlgorithmHint());
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
      formRow(doc, 'Algorithm', this.algo, 'job-algo'),
      this.algoHint,
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

  /** Fills the choices of Train on, Algorithm and Backend (`jobs.options`). */
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
    this.listAlgorithms(options);
    this.backend.replaceChildren(...options.backends.map((b) => new Option(b, b)));
    this.backend.value = 'auto';
  }

  /** Algorithm's choices: each its registry name, its summary as the option's tooltip and the hint. */
  private listAlgorithms(options: ApiResponse<'jobs.options'>): void {
    const { choices, initial } = algorithmChoices(options);
    this.algorithms = choices;
    this.algo.replaceChildren(
      ...choices.map(({ name, summary }) => {
        const option = new Option(name, name);
        option.title = summary;
        return option;
      }),
    );
    this.algo.value = initial;
    this.showAlgorithmHint();
  }

  private showAlgorithmHint(): void {
    this.algoHint.textContent = algorithmHint(this.algorithms, this.algo.value);
  }

  /** The `jobs.start` request for what the form holds. */
  request(): ApiRequest<'jobs.start'> {
    return jobStartRequest({
      source: this.source.value,
      algo: this.algo.value,
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
