/**
 * zod field builders whose messages say what was expected and what was found, with bounds and
 * units: "expected number in [0, 40] m/s, received \"fast\"". The scenario
 * schema is written with these so every issue zod reports already reads as the CLI prints it.
 */
import { z } from 'zod';

/** What the error callbacks need from a zod issue: the offending input. */
interface IssueInput {
  readonly input?: unknown;
}

/** Longest string quoted in full inside a message. */
const QUOTE_MAX_CHARS = 40;

/** A value as a message shows it: `"fast"`, `NaN`, `Infinity`, `an array`, `nothing (missing)`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    if (value.length <= QUOTE_MAX_CHARS) return JSON.stringify(value);
    return `${JSON.stringify(value.slice(0, QUOTE_MAX_CHARS))}… (${value.length} characters)`;
  }
  if (typeof value === 'number') return String(value); // 'NaN', 'Infinity', '1e+308', '-3.5'
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

/**
 * A finite number in [min, max] (inclusive), optionally an integer; `unit` is appended to the
 * range in messages ("m/s", "m", "s" or '' for plain numbers).
 */
export function numberIn(min: number, max: number, unit: string, options: { integer?: boolean } = {}) {
  const kind = options.integer ? 'integer' : 'number';
  const expected = `${kind} in [${min}, ${max}]${unit === '' ? '' : ` ${unit}`}`;
  const error = (issue: IssueInput) => `expected ${expected}, received ${describeValue(issue.input)}`;
  const base = options.integer ? z.int({ error }) : z.number({ error });
  return base.min(min, { error }).max(max, { error });
}

/** One of a few strings: `expected one of "a", "b", received "c"`. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  const list = values.map((value) => JSON.stringify(value)).join(', ');
  return z.enum(values, {
    error: (issue: IssueInput) => `expected one of ${list}, received ${describeValue(issue.input)}`,
  });
}

/** One of a few numbers: `expected 1, 2 or 3, received 4`. */
export function numberOneOf<const T extends readonly [number, ...number[]]>(values: T) {
  const list =
    values.length === 1 ? String(values[0]) : `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
  return z.literal(values, {
    error: (issue: IssueInput) => `expected ${list}, received ${describeValue(issue.input)}`,
  });
}

/** true or false. */
export function flag() {
  return z.boolean({
    error: (issue: IssueInput) => `expected true or false, received ${describeValue(issue.input)}`,
  });
}

/** A string of 1 … maxChars characters. */
export function text(maxChars: number) {
  const error = (issue: IssueInput) =>
    `expected text of 1 to ${maxChars} characters, received ${describeValue(issue.input)}`;
  return z.string({ error }).min(1, { error }).max(maxChars, { error });
}

/**
 * An object with exactly these fields (unknown keys are errors). `what` names it in messages:
 * "expected road (an object), received 3". For unknown keys zod reports one issue listing them;
 * its message lists the allowed fields and the validator turns it into one issue per key.
 */
export function strictFields<T extends z.core.$ZodLooseShape>(shape: T, what: string) {
  const fields = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue: IssueInput & { code?: string }) =>
      issue.code === 'unrecognized_keys'
        ? `${what} takes ${fields}`
        : `expected ${what} (an object with ${fields}), received ${describeValue(issue.input)}`,
  });
}

/** A list of minItems … maxItems items. */
export function listOf<T extends z.ZodType>(item: T, minItems: number, maxItems: number, what: string) {
  const error = (issue: IssueInput) =>
    `expected a list of ${minItems} to ${maxItems} ${what}, received ${describeValue(issue.input)}`;
  return z.array(item, { error }).min(minItems, { error }).max(maxItems, { error });
}
