/**
 * Unit tests mirror the source tree: a test of `src/<folder>/<file>.ts` lives in
 * `test/unit/<folder>/`, so a contributor finds a file's tests from its path and a folder moved in
 * src cannot leave its tests behind.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** The folders under `dir` (relative to it) that hold test files. */
function testFolders(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(dir, prefix))) {
    const path = prefix === '' ? name : `${prefix}/${name}`;
    if (statSync(join(dir, path)).isDirectory()) {
      if (name !== 'fixtures') out.push(...testFolders(dir, path));
    } else if (name.endsWith('.test.ts') && !out.includes(prefix)) out.push(prefix);
  }
  return out;
}

describe('test layout', () => {
  it('puts every unit test in the twin of an existing src folder', () => {
    const folders = testFolders(join(ROOT, 'test', 'unit'));
    expect(folders.length).toBeGreaterThan(20);
    const orphans = folders.filter((folder) => {
      try {
        return !statSync(join(ROOT, 'src', folder)).isDirectory();
      } catch {
        return true;
      }
    });
    expect(orphans.map((folder) => `test/unit/${folder}`)).toEqual([]);
  });
});
