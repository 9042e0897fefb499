/**
 * A tiny MJCF writer: the task models are plain TypeScript data turned into MuJoCo XML here, so no
 * XML asset is copied from gym or the reference (docs/envs/mujoco-models.md).
 *
 * An element is a tag, attributes and children; `renderMjcf` prints it with two-space indentation.
 * Numbers are printed with 12 significant digits, so values computed in TypeScript (a child's local
 * position = its global position minus its parent's) come out as the decimals they stand for
 * (−0.2, not −0.19999999999999996). A non-finite number is a programming error and throws.
 */

/** An attribute value: text, a number, a flag, or a vector written space-separated. */
export type MjcfValue = string | number | boolean | readonly number[];

/** One XML element of a model. */
export interface MjcfElement {
  readonly tag: string;
  readonly attributes: Readonly<Record<string, MjcfValue | undefined>>;
  readonly children: readonly MjcfElement[];
}

/** An element; attributes whose value is `undefined` are left out. */
export function mjcf(
  tag: string,
  attributes: Readonly<Record<string, MjcfValue | undefined>> = {},
  children: readonly MjcfElement[] = [],
): MjcfElement {
  return { tag, attributes, children };
}

/** A number as MJCF text: at most 12 significant digits, no trailing zeros, never "-0". */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`MJCF: expected a finite number, received ${value}`);
  const rounded = Number(value.toPrecision(12));
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

function formatValue(value: MjcfValue): string {
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return escapeXml(value);
  return value.map(formatNumber).join(' ');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function renderElement(element: MjcfElement, depth: number, lines: string[]): void {
  const indent = '  '.repeat(depth);
  const attributes = Object.entries(element.attributes)
    .filter((entry): entry is [string, MjcfValue] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${formatValue(value)}"`)
    .join('');
  if (element.children.length === 0) {
    lines.push(`${indent}<${element.tag}${attributes}/>`);
    return;
  }
  lines.push(`${indent}<${element.tag}${attributes}>`);
  for (const child of element.children) renderElement(child, depth + 1, lines);
  lines.push(`${indent}</${element.tag}>`);
}

/** The XML text of a model (the root is normally `<mujoco>`), ending with a newline. */
export function renderMjcf(root: MjcfElement): string {
  const lines: string[] = [];
  renderElement(root, 0, lines);
  return `${lines.join('\n')}\n`;
}

/** The sum of two 3-vectors. */
export function add3(a: readonly number[], b: readonly number[]): [number, number, number] {
  return [a[0]! + b[0]!, a[1]! + b[1]!, a[2]! + b[2]!];
}

/** a − b for 3-vectors (a point relative to another). */
export function sub3(a: readonly number[], b: readonly number[]): [number, number, number] {
  return [a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!];
}

/** A 3-vector times a scalar. */
export function scale3(a: readonly number[], factor: number): [number, number, number] {
  return [a[0]! * factor, a[1]! * factor, a[2]! * factor];
}
