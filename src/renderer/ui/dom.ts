/** Small DOM helpers of the player UI (no framework: a few elements updated in place). */

/** The element with id `id`, of the given type; throws naming the id when index.html lacks it. */
export function byId<T extends HTMLElement>(doc: Document, id: string, type: new () => T): T {
  const element = doc.getElementById(id);
  if (!(element instanceof type)) {
    throw new Error(
      `player UI: expected <${type.name}> #${id} in index.html, found ${element?.tagName ?? 'nothing'}`,
    );
  }
  return element;
}

/** One row of a definition list: label, value, optional class of the value ('bad', 'note'). */
export type FieldRow = readonly [label: string, value: string, cls?: string];

/** Replaces the rows of a <dl>. */
export function setFields(list: HTMLDListElement, rows: readonly FieldRow[]): void {
  const doc = list.ownerDocument;
  const nodes: HTMLElement[] = [];
  for (const [label, value, cls] of rows) {
    const dt = doc.createElement('dt');
    dt.textContent = label;
    const dd = doc.createElement('dd');
    dd.textContent = value;
    if (cls !== undefined) dd.className = cls;
    nodes.push(dt, dd);
  }
  list.replaceChildren(...nodes);
}

/** A colour swatch element. */
export function swatch(doc: Document, colour: string): HTMLSpanElement {
  const span = doc.createElement('span');
  span.className = 'swatch';
  span.style.background = colour;
  return span;
}
