/**
 * Small DOM helpers shared by the window's views (player, editor, dashboard): no framework, a few
 * elements updated in place.
 */

/** `el(doc, 'div', 'panel', 'text')`: an element with its class and text. */
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

/** A side-panel section with its title. */
export function panel(doc: Document, title: string): HTMLElement {
  const section = el(doc, 'section', 'panel');
  section.append(el(doc, 'h2', '', title));
  return section;
}

/** The element with id `id`, of the given type; throws naming the id when index.html lacks it. */
export function byId<T extends HTMLElement>(doc: Document, id: string, type: new () => T): T {
  const element = doc.getElementById(id);
  if (!(element instanceof type)) {
    throw new Error(
      `app UI: expected <${type.name}> #${id} in index.html, found ${element?.tagName ?? 'nothing'}`,
    );
  }
  return element;
}

/** One row of a definition list: label, value, optional class of the value ('bad', 'note'). */
export type FieldRow = readonly [label: string, value: string, cls?: string];

/**
 * Shows `rows` in a <dl>, updating its <dt>/<dd> pairs in place: only text and classes that
 * changed are written, and pairs are added or removed at the end. The player rewrites its panels
 * on most frames at 8×; unchanged nodes cost no style or layout work then.
 */
export function setFields(list: HTMLDListElement, rows: readonly FieldRow[]): void {
  const doc = list.ownerDocument;
  const children = list.children;
  rows.forEach(([label, value, cls], k) => {
    let dt = children[2 * k];
    let dd = children[2 * k + 1];
    if (dt?.tagName !== 'DT' || dd?.tagName !== 'DD') {
      while (list.children.length > 2 * k) list.lastElementChild!.remove(); // not pairs: rebuild from here
      dt = list.appendChild(doc.createElement('dt'));
      dd = list.appendChild(doc.createElement('dd'));
    }
    setText(dt, label);
    setText(dd, value);
    const className = cls ?? '';
    if (dd.className !== className) dd.className = className;
  });
  while (list.children.length > 2 * rows.length) list.lastElementChild!.remove();
}

/** Sets `element`'s text unless it is already `text` (an equal write still relayouts). */
export function setText(element: Element, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

/** A colour swatch element. */
export function swatch(doc: Document, colour: string): HTMLSpanElement {
  const span = doc.createElement('span');
  span.className = 'swatch';
  span.style.background = colour;
  return span;
}
