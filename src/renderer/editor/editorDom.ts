/** Small DOM builders of the scenario editor (no framework, no inline styles). */

/** `el(doc, 'div', 'panel', 'text')`. */
export function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  className = '',
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  if (className !== '') node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

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

/** A side-panel section with its title. */
export function panel(doc: Document, title: string): HTMLElement {
  const section = el(doc, 'section', 'panel');
  section.append(el(doc, 'h2', '', title));
  return section;
}
