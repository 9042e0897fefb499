/**
 * Locates the first JSON syntax error in a text: offset, line, column and a reason a person can act
 * on ("expected ',' or '}' after a property value, found '\"'"). JSON.parse says where only for some
 * errors (V8 reports `Unexpected token 'N', "…" is not valid JSON` without a position), so the
 * validator asks this scanner once JSON.parse has refused a text. It only checks the grammar of
 * RFC 8259; it builds no values. Iterative, so deeply nested input cannot overflow the stack.
 *
 * Not a library: jsonc-parser, the parser VS Code uses, recurses (its stack overflows at 10,000
 * levels of nesting) and puts an error inside a string or number (a control character, a bad escape,
 * "1.", a leading zero) at the token's start or reports it as a missing comma, so it cannot tell
 * which character is wrong.
 */

/** Where and why a text is not JSON. */
export interface JsonSyntaxError {
  /** UTF-16 offset of the offending character (the text length at a premature end). */
  readonly offset: number;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column (UTF-16 units). */
  readonly column: number;
  /** What was expected and what was found. */
  readonly reason: string;
}

/** What the scanner expects next. */
type Expect = 'value' | 'value-or-]' | 'key-or-}' | 'key' | 'colon' | 'comma-or-close' | 'end';

/** Where the scanner stopped and why. */
interface Failure {
  readonly offset: number;
  readonly reason: string;
}

/** The scanner's position: the next offset, the containers open there, what it expects next. */
interface ScanState {
  at: number;
  expect: Expect;
  readonly stack: ('{' | '[')[];
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** A character as a message shows it. */
function shown(text: string, offset: number): string {
  if (offset >= text.length) return 'the end of the file';
  const c = text[offset]!;
  const code = c.charCodeAt(0);
  if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).padStart(4, '0')}`;
  return `'${c}'`;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/** Scans a string starting at its opening quote; returns the offset after it, or an error. */
function scanString(text: string, start: number): number | Failure {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') return i + 1;
    if (c === '\\') {
      const e = text[i + 1];
      if (e === 'u') {
        for (let k = 2; k < 6; k++) {
          if (!isHex(text[i + k])) {
            return { offset: i + k, reason: `expected 4 hex digits after \\u, found ${shown(text, i + k)}` };
          }
        }
        i += 6;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
        i += 2;
      } else {
        return { offset: i + 1, reason: `invalid escape in a string: \\ followed by ${shown(text, i + 1)}` };
      }
    } else if (c.charCodeAt(0) < 0x20) {
      return {
        offset: i,
        reason: `${shown(text, i)} inside a string (write a line break as \\n; a quote may be missing)`,
      };
    } else {
      i++;
    }
  }
  return { offset: text.length, reason: 'unterminated string: the file ends before its closing quote' };
}

/** Scans a number starting at `start` ('-' or a digit); returns the offset after it, or an error. */
function scanNumber(text: string, start: number): number | Failure {
  let i = start;
  if (text[i] === '-') i++;
  if (text.startsWith('Infinity', i)) {
    return { offset: start, reason: 'JSON has no Infinity; write a finite number' };
  }
  if (text[i] === '0') {
    i++;
    if (isDigit(text[i])) return { offset: i, reason: 'a number may not have a leading zero' };
  } else if (isDigit(text[i])) {
    while (isDigit(text[i])) i++;
  } else {
    return { offset: i, reason: `expected a digit, found ${shown(text, i)}` };
  }
  if (text[i] === '.') {
    i++;
    if (!isDigit(text[i]))
      return { offset: i, reason: `expected a digit after '.', found ${shown(text, i)}` };
    while (isDigit(text[i])) i++;
  }
  if (text[i] === 'e' || text[i] === 'E') {
    i++;
    if (text[i] === '+' || text[i] === '-') i++;
    if (!isDigit(text[i])) {
      return { offset: i, reason: `expected a digit in the exponent, found ${shown(text, i)}` };
    }
    while (isDigit(text[i])) i++;
  }
  return i;
}

/** The first syntax error of `text`, or null when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  const state: ScanState = { at: 0, expect: 'value', stack: [] };
  for (;;) {
    while (state.at < text.length && ' \t\n\r'.includes(text[state.at]!)) state.at++;
    if (state.at >= text.length) {
      const truncated = endOfText(state);
      return truncated === null ? null : located(text, truncated);
    }
    const failure = scanToken(text, state);
    if (failure !== null) return located(text, failure);
  }
}

/** A failure with its line and column. */
function located(text: string, failure: Failure): JsonSyntaxError {
  return { offset: failure.offset, ...lineColumn(text, failure.offset), reason: failure.reason };
}

/** At the end of the text: null if a whole value was read, else a truncation named by where it stops. */
function endOfText(state: ScanState): Failure | null {
  if (state.expect === 'end') return null;
  const inside =
    state.stack.length === 0 ? '' : ` inside ${state.stack.at(-1) === '{' ? 'an object' : 'an array'}`;
  return { offset: state.at, reason: `unexpected end of the file${inside} (truncated?)` };
}

/** Reads the token at `state.at` (not whitespace, not the end) and moves past it; null when it fits. */
function scanToken(text: string, state: ScanState): Failure | null {
  const c = text[state.at]!;
  switch (state.expect) {
    case 'end':
      return {
        offset: state.at,
        reason: `expected the end of the file after the JSON value, found ${shown(text, state.at)}`,
      };
    case 'value-or-]':
    case 'value':
      return scanValue(text, state, c);
    case 'key-or-}':
    case 'key':
      return scanKey(text, state, c);
    case 'colon':
      if (c !== ':') {
        return {
          offset: state.at,
          reason: `expected ':' after the property name, found ${shown(text, state.at)}`,
        };
      }
      state.at++;
      state.expect = 'value';
      return null;
    case 'comma-or-close':
      return scanCommaOrClose(text, state, c);
  }
}

/** After a whole value: the end of the text at the top level, else a comma or the container's close. */
function valueDone(state: ScanState): void {
  state.expect = state.stack.length === 0 ? 'end' : 'comma-or-close';
}

/** A value, or (right after '[') the ']' of an empty array. */
function scanValue(text: string, state: ScanState, c: string): Failure | null {
  if (state.expect === 'value-or-]' && c === ']') {
    state.stack.pop();
    state.at++;
    valueDone(state);
  } else if (c === '{' || c === '[') {
    state.stack.push(c);
    state.at++;
    state.expect = c === '{' ? 'key-or-}' : 'value-or-]';
  } else if (c === '"' || c === '-' || isDigit(c)) {
    const end = c === '"' ? scanString(text, state.at) : scanNumber(text, state.at);
    if (typeof end !== 'number') return end;
    state.at = end;
    valueDone(state);
  } else {
    const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, state.at));
    if (literal === undefined) return notAValue(text, state, c);
    state.at += literal.length;
    valueDone(state);
  }
  return null;
}

/** Why the character at `state.at` cannot start a value, in the words of the likely mistake. */
function notAValue(text: string, state: ScanState, c: string): Failure {
  const at = state.at;
  if (text.startsWith('NaN', at) || text.startsWith('Infinity', at)) {
    return { offset: at, reason: 'JSON has no NaN or Infinity; write a finite number' };
  }
  if ((c === ']' || c === '}') && state.stack.length > 0) {
    const trailingComma = text.slice(0, at).trimEnd().endsWith(',');
    return {
      offset: at,
      reason: `expected a value, found '${c}'${trailingComma ? ' (a trailing comma?)' : ''}`,
    };
  }
  return {
    offset: at,
    reason: `expected a value (object, array, string, number, true, false or null), found ${shown(text, at)}`,
  };
}

/** A property name, or (right after '{') the '}' of an empty object. */
function scanKey(text: string, state: ScanState, c: string): Failure | null {
  if (c === '"') {
    const end = scanString(text, state.at);
    if (typeof end !== 'number') return end;
    state.at = end;
    state.expect = 'colon';
    return null;
  }
  if (c === '}' && state.expect === 'key-or-}') {
    state.stack.pop();
    state.at++;
    valueDone(state);
    return null;
  }
  if (c === '}') {
    return {
      offset: state.at,
      reason: "expected a double-quoted property name, found '}' (a trailing comma?)",
    };
  }
  return {
    offset: state.at,
    reason: `expected a double-quoted property name, found ${shown(text, state.at)}`,
  };
}

/** After an item: ',' and the next one, or the close of the object or array around it. */
function scanCommaOrClose(text: string, state: ScanState, c: string): Failure | null {
  const inObject = state.stack.at(-1) === '{';
  const close = inObject ? '}' : ']';
  if (c === ',') {
    state.at++;
    state.expect = inObject ? 'key' : 'value';
  } else if (c === close) {
    state.stack.pop();
    state.at++;
    valueDone(state);
  } else {
    const after = inObject ? 'a property value' : 'an array item';
    return {
      offset: state.at,
      reason: `expected ',' or '${close}' after ${after}, found ${shown(text, state.at)}`,
    };
  }
  return null;
}

/**
 * The JSON object of a scenario file's text (a leading byte-order mark ignored), or null when the
 * text is not JSON or not an object: what an editor can load to let the user fix a bad file.
 */
export function jsonObjectOf(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
