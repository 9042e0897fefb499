/**
 * The JSON syntax locator agrees with JSON.parse on what is JSON, and says where and why a text
 * is not.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/core/rng.js';
import { findJsonSyntaxError } from '../../../../src/core/scenario/jsonSyntax.js';
import { BUNDLED } from './bundledScenarios.js';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Characters that matter to JSON's grammar, and some that do not belong in it. */
const ALPHABET = [
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '"',
  '\\',
  ' ',
  '\n',
  '\t',
  '0',
  '1',
  '9',
  '-',
  '+',
  '.',
  'e',
  'E',
  'a',
  'u',
  'N',
  'I',
  't',
  'n',
  'f',
  '/',
  '\u0001',
];

/** A random edit of `text`: cut, delete, insert or replace one character. */
function edit(rng: Rng, text: string): string {
  const at = rng.int(text.length + 1);
  const c = ALPHABET[rng.int(ALPHABET.length)]!;
  switch (rng.int(4)) {
    case 0:
      return text.slice(0, at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1);
    case 2:
      return text.slice(0, at) + c + text.slice(at);
    default:
      return text.slice(0, at) + c + text.slice(at + 1);
  }
}

describe('findJsonSyntaxError', () => {
  it('finds nothing in valid JSON', () => {
    for (const text of [
      ...BUNDLED.map((s) => s.text),
      '0',
      '-0.5e+10',
      '"a\\u00e9\\n"',
      '[]',
      '{}',
      ' [1, [2, {"a": [null, true, false]}]] ',
    ]) {
      expect(findJsonSyntaxError(text), text).toBeNull();
    }
  });

  it('agrees with JSON.parse on 3,000 random edits of the bundled files', () => {
    const rng = Rng.fromSeed(2024);
    let invalid = 0;
    for (let n = 0; n < 3000; n++) {
      const source = BUNDLED[rng.int(BUNDLED.length)]!.text;
      let text = edit(rng, source);
      if (rng.int(2) === 0) text = edit(rng, text);
      const error = findJsonSyntaxError(text);
      expect(error === null, JSON.stringify(text)).toBe(parses(text));
      if (error !== null) {
        invalid++;
        expect(error.offset).toBeGreaterThanOrEqual(0);
        expect(error.offset).toBeLessThanOrEqual(text.length);
        expect(error.reason).not.toBe('');
      }
    }
    expect(invalid).toBeGreaterThan(1000);
  });

  it.each([
    ['{"a": 1,}', 1, 9, "expected a double-quoted property name, found '}' (a trailing comma?)"],
    ['[1, 2,]', 1, 7, "expected a value, found ']' (a trailing comma?)"],
    ['{"a":}', 1, 6, "expected a value, found '}'"],
    ['{"a": 1\n "b": 2}', 2, 2, "expected ',' or '}' after a property value, found '\"'"],
    ['{"a": NaN}', 1, 7, 'JSON has no NaN or Infinity; write a finite number'],
    ['{"a": -Infinity}', 1, 7, 'JSON has no Infinity; write a finite number'],
    ['{"a": 01}', 1, 8, 'a number may not have a leading zero'],
    ['{"a": 1.}', 1, 9, "expected a digit after '.', found '}'"],
    ['{"a" 1}', 1, 6, "expected ':' after the property name, found '1'"],
    ['{a: 1}', 1, 2, "expected a double-quoted property name, found 'a'"],
    [
      '{"a": "x\ny"}',
      1,
      9,
      'control character U+000a inside a string (write a line break as \\n; a quote may be missing)',
    ],
    ['{"a": "\\q"}', 1, 9, "invalid escape in a string: \\ followed by 'q'"],
    ['{"a": "abc', 1, 11, 'unterminated string: the file ends before its closing quote'],
    ['{"a": [1, 2', 1, 12, 'unexpected end of the file inside an array (truncated?)'],
    ['{} {}', 1, 4, "expected the end of the file after the JSON value, found '{'"],
    ['', 1, 1, 'unexpected end of the file (truncated?)'],
    ["{'a': 1}", 1, 2, "expected a double-quoted property name, found '''"],
  ])('%j → line %i, column %i: %s', (text, line, column, reason) => {
    expect(parses(text)).toBe(false);
    expect(findJsonSyntaxError(text)).toMatchObject({ line, column, reason });
  });

  it('handles very deep nesting without recursion', () => {
    expect(findJsonSyntaxError(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toBeNull();
    expect(findJsonSyntaxError('['.repeat(100_000))?.reason).toBe(
      'unexpected end of the file inside an array (truncated?)',
    );
  });
});
