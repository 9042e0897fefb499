/**
 * Locates the first JSON syntax error in a text: offset, line, column and a reason a person can act
 * on ("expected ',' or '}' after a property value, found '\"'"). JSON.parse says where only for some
 * errors (V8 reports `Unexpected token 'N', "…" is not valid JSON` without a position), so the
 * validator asks this scanner once JSON.parse has refused a text. It only checks the grammar of
 * RFC 8259; it builds no values. Iterative, so deeply nested input cannot overflow the stack.
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
function scanString(text: string, start: number): number | { offset: number; reason: string } {
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
function scanNumber(text: string, start: number): number | { offset: number; reason: string } {
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
  const fail = (offset: number, reason: string): JsonSyntaxError => ({
    offset,
    ...lineColumn(text, offset),
    reason,
  });
  const stack: ('{' | '[')[] = [];
  let expect: Expect = 'value';
  const afterValue = (): Expect => (stack.length === 0 ? 'end' : 'comma-or-close');
  let i = 0;
  for (;;) {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
    if (i >= text.length) {
      if (expect === 'end') return null;
      const inside = stack.length === 0 ? '' : ` inside ${stack.at(-1) === '{' ? 'an object' : 'an array'}`;
      return fail(i, `unexpected end of the file${inside} (truncated?)`);
    }
    const c = text[i]!;
    switch (expect) {
      case 'end':
        return fail(i, `expected the end of the file after the JSON value, found ${shown(text, i)}`);
      case 'value-or-]':
      case 'value':
        if (expect === 'value-or-]' && c === ']') {
          stack.pop();
          i++;
          expect = afterValue();
        } else if (c === '{' || c === '[') {
          stack.push(c);
          i++;
          expect = c === '{' ? 'key-or-}' : 'value-or-]';
        } else if (c === '"') {
          const end = scanString(text, i);
          if (typeof end !== 'number') return fail(end.offset, end.reason);
          i = end;
          expect = afterValue();
        } else if (c === '-' || isDigit(c)) {
          const end = scanNumber(text, i);
          if (typeof end !== 'number') return fail(end.offset, end.reason);
          i = end;
          expect = afterValue();
        } else {
          const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, i));
          if (literal !== undefined) {
            i += literal.length;
            expect = afterValue();
          } else if (text.startsWith('NaN', i) || text.startsWith('Infinity', i)) {
            return fail(i, 'JSON has no NaN or Infinity; write a finite number');
          } else if ((c === ']' || c === '}') && stack.length > 0) {
            const trailingComma = text.slice(0, i).trimEnd().endsWith(',');
            return fail(i, `expected a value, found '${c}'${trailingComma ? ' (a trailing comma?)' : ''}`);
          } else {
            return fail(
              i,
              `expected a value (object, array, string, number, true, false or null), found ${shown(text, i)}`,
            );
          }
        }
        break;
      case 'key-or-}':
      case 'key':
        if (c === '"') {
          const end = scanString(text, i);
          if (typeof end !== 'number') return fail(end.offset, end.reason);
          i = end;
          expect = 'colon';
        } else if (c === '}' && expect === 'key-or-}') {
          stack.pop();
          i++;
          expect = afterValue();
        } else if (c === '}') {
          return fail(i, "expected a double-quoted property name, found '}' (a trailing comma?)");
        } else {
          return fail(i, `expected a double-quoted property name, found ${shown(text, i)}`);
        }
        break;
      case 'colon':
        if (c !== ':') return fail(i, `expected ':' after the property name, found ${shown(text, i)}`);
        i++;
        expect = 'value';
        break;
      case 'comma-or-close': {
        const inObject = stack.at(-1) === '{';
        const close = inObject ? '}' : ']';
        if (c === ',') {
          i++;
          expect = inObject ? 'key' : 'value';
        } else if (c === close) {
          stack.pop();
          i++;
          expect = afterValue();
        } else {
          const after = inObject ? 'a property value' : 'an array item';
          return fail(i, `expected ',' or '${close}' after ${after}, found ${shown(text, i)}`);
        }
        break;
      }
    }
  }
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
