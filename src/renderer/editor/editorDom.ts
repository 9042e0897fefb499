/**
 * Small DOM builders of the scenario editor (no framework, no inline styles); `el` and `panel`,
 * which the dashboard uses too, are in ../ui/dom.ts.
 */

import { el } from '../ui/dom.js';

/** A plain button with a tooltip. */
export function button(doc: Document, text: string, title: string): HTMLButtonElement {
  const b = el(doc, 'button', 'button', text);
  b.type = 'button';
  b.title = title;
  return b;
}

/** A toolbar label for `control` (linked by its id when it has one). */
export function label(doc: Document, text: string, control: HTMLElement): HTMLLabelElement {
  const node = el(doc, 'label', 'field', text);
  if (control.id !== '') node.htmlFor = control.id;
  return node;
}
