/** A DOM builder of the dashboard's forms (no framework, no inline styles); `el` and `panel` are in ../ui/dom.ts. */
import { el } from '../ui/dom.js';

/** A form row: `label`, then `control`, which gets the id `id` the label points at. */
export function formRow(doc: Document, label: string, control: HTMLElement, id: string): HTMLElement {
  control.id = id;
  const row = el(doc, 'div', 'form-row');
  const text = el(doc, 'label', 'field', label);
  text.htmlFor = id;
  row.append(text, control);
  return row;
}
