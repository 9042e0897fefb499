/**
 * The editor's form fields: a labelled input bound to one field of the draft, redrawn from it and
 * showing the validator's issues at its path (the messages `steer scenario validate` prints).
 */

import type { ScenarioIssue } from '../../core/scenario/index.js';
import { el } from '../ui/dom.js';
import { type FieldNumber, parseFieldNumber } from './scenarioDraft.js';

/** An input bound to a field of the draft: redrawn from the draft, shows the issues at its path. */
export interface FieldBinding {
  readonly path: string;
  readonly input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  readonly issue: HTMLElement;
  /** Writes the draft's value into the input (unless the user is typing in it). */
  sync(): void;
}

/** A number field's text. */
export function fieldText(value: FieldNumber | null): string {
  return value === null ? '' : String(value);
}

/** Shows each binding's issues under it and marks its input invalid. */
export function showFieldIssues(bindings: readonly FieldBinding[], issues: readonly ScenarioIssue[]): void {
  for (const binding of bindings) {
    const mine = issues.filter((issue) => issue.path === binding.path);
    binding.issue.hidden = mine.length === 0;
    binding.issue.textContent = mine.map((issue) => issue.message).join('\n');
    binding.input.classList.toggle('invalid', mine.length > 0);
    binding.input.setAttribute('aria-invalid', String(mine.length > 0));
  }
}

/**
 * Builds field rows; each edit writes the draft and calls `changed` (with `roadChanged` for the
 * road's lengths, whose geometry must then be rebuilt). Rows go to `bindings` unless given a list.
 */
export class FieldForm {
  /** The bindings of the rows built without a list of their own. */
  readonly bindings: FieldBinding[] = [];

  constructor(
    private readonly doc: Document,
    private readonly changed: (roadChanged: boolean) => void,
  ) {}

  /** A labelled row: label, control, unit, and the issue line under it. */
  private row(
    label: string,
    path: string,
    input: FieldBinding['input'],
    unit: string,
    sync: () => void,
    list = this.bindings,
  ): HTMLElement {
    const row = el(this.doc, 'div', 'form-row');
    row.dataset.path = path;
    const id = `editor-field-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;
    input.id = id;
    const name = el(this.doc, 'label', 'form-label', label);
    name.htmlFor = id;
    const issue = el(this.doc, 'div', 'field-issue');
    issue.hidden = true;
    row.append(name, input, el(this.doc, 'span', 'unit', unit), issue);
    list.push({ path, input, issue, sync });
    sync();
    return row;
  }

  textField(
    label: string,
    path: string,
    get: () => string,
    set: (value: string) => void,
    multiline = false,
  ): HTMLElement {
    const input = multiline ? el(this.doc, 'textarea') : el(this.doc, 'input');
    if (input instanceof HTMLInputElement) input.type = 'text';
    else input.rows = 2;
    input.spellcheck = false;
    input.addEventListener('input', () => {
      set(input.value);
      this.changed(false);
    });
    return this.row(label, path, input, '', () => {
      if (this.doc.activeElement !== input) input.value = get();
    });
  }

  numberField(
    label: string,
    path: string,
    unit: string,
    get: () => FieldNumber | null,
    set: (value: FieldNumber) => void,
    list?: FieldBinding[],
  ): HTMLElement {
    const input = el(this.doc, 'input', 'number');
    input.type = 'text';
    input.inputMode = 'decimal';
    input.spellcheck = false;
    input.addEventListener('input', () => {
      set(parseFieldNumber(input.value));
      this.changed(path.startsWith('road.'));
    });
    return this.row(
      label,
      path,
      input,
      unit,
      () => {
        if (this.doc.activeElement !== input) input.value = fieldText(get());
      },
      list,
    );
  }

  selectField(
    label: string,
    path: string,
    options: readonly (readonly [string, string])[],
    get: () => string,
    set: (value: string) => void,
    list?: FieldBinding[],
  ): HTMLElement {
    const select = el(this.doc, 'select');
    for (const [value, text] of options) select.append(new Option(text, value));
    select.addEventListener('change', () => {
      set(select.value);
      this.changed(false);
    });
    return this.row(
      label,
      path,
      select,
      '',
      () => {
        const value = get();
        if (!Array.from(select.options).some((o) => o.value === value))
          select.append(new Option(value, value));
        select.value = value;
      },
      list,
    );
  }

  checkField(
    label: string,
    path: string,
    text: string,
    get: () => boolean,
    set: (value: boolean) => void,
  ): HTMLElement {
    const input = el(this.doc, 'input');
    input.type = 'checkbox';
    input.addEventListener('change', () => {
      set(input.checked);
      this.changed(false);
    });
    const row = this.row(label, path, input, '', () => {
      input.checked = get();
    });
    const wrap = el(this.doc, 'label', 'check');
    input.replaceWith(wrap);
    wrap.append(input, this.doc.createTextNode(text));
    return row;
  }
}
