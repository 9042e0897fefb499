/**
 * Files and functions stay small enough to read: no source file over MAX_FILE_LINES unless its
 * opening comment says why (a line starting "Long on purpose:"), and no function, method or arrow
 * function body over MAX_FUNCTION_LINES (docs/contributing.md). Measured with the TypeScript
 * compiler's own parser.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const MAX_FILE_LINES = 500;
const MAX_FUNCTION_LINES = 80;
/** The marker a long file's opening comment carries, followed by the reason. */
const LONG_ON_PURPOSE = 'Long on purpose:';

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(join(ROOT, path)).isDirectory()) return sources(path);
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Functions longer than the limit in one file: "file:line name (n lines)". */
function longFunctions(path: string, text: string, limit: number): string[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const start = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
      const end = file.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > limit) {
        const name =
          node.name !== undefined && ts.isIdentifier(node.name)
            ? node.name.text
            : ts.isConstructorDeclaration(node)
              ? 'constructor'
              : '(anonymous)';
        found.push(`${path}:${start + 1} ${name} (${lines} lines)`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('sizes', () => {
  const files = sources('src').map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }));

  it(`keeps every source file under ${MAX_FILE_LINES} lines or says at its top why not`, () => {
    const long = files
      .filter(({ text }) => text.split('\n').length > MAX_FILE_LINES)
      .filter(({ text }) => !text.slice(0, 2000).includes(LONG_ON_PURPOSE))
      .map(({ path, text }) => `${path} (${text.split('\n').length} lines)`);
    expect(long).toEqual([]);
  });

  it(`keeps every function under ${MAX_FUNCTION_LINES} lines`, () => {
    expect(files.flatMap(({ path, text }) => longFunctions(path, text, MAX_FUNCTION_LINES))).toEqual([]);
  });

  it('measures a long function (the check is live)', () => {
    const body = Array.from({ length: 85 }, (_, k) => `  const v${k} = ${k};`).join('\n');
    expect(longFunctions('x.ts', `function big() {\n${body}\n}\nconst small = () => 1;\n`, 80)).toEqual([
      'x.ts:1 big (87 lines)',
    ]);
  });
});
