/**
 * The code version workers must share: the package version and a hash of what training runs, the
 * same for two copies of one tree, another for any edit; STEER_CODE_VERSION replaces it.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODE_VERSION_ENV, codeHash, codeVersion } from '../../../../../src/main/sweep/queue/index.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'steer-code-version-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A tiny tree shaped as the repository's. */
async function tree(name: string): Promise<string> {
  const dir = join(root, name);
  for (const folder of ['src/core/a', 'src/main', 'src/shared', 'src/renderer', 'bin']) {
    await mkdir(join(dir, folder), { recursive: true });
  }
  await writeFile(join(dir, 'package.json'), JSON.stringify({ version: '1.2.3' }));
  await writeFile(join(dir, 'package-lock.json'), '{}');
  await writeFile(join(dir, 'tsconfig.json'), '{"compilerOptions": {"target": "ES2022"}}');
  await writeFile(join(dir, 'src/core/a/x.ts'), 'export const x = 1;\n');
  await writeFile(join(dir, 'src/main/y.ts'), 'export const y = 2;\n');
  await writeFile(join(dir, 'bin/steer.js'), '// steer\n');
  await writeFile(join(dir, 'src/renderer/view.ts'), 'export {};\n');
  return dir;
}

describe('codeVersion', () => {
  it('is the package version and a hash that copies share and edits change', async () => {
    const first = await tree('first');
    const version = await codeVersion({}, first);
    expect(version).toMatch(/^1\.2\.3\+[0-9a-f]{12}$/);
    const copy = join(root, 'copy');
    await cp(first, copy, { recursive: true });
    expect(await codeVersion({}, copy)).toBe(version);
    await writeFile(join(copy, 'src/core/a/x.ts'), 'export const x = 2;\n');
    expect(await codeHash(copy)).not.toBe(await codeHash(first));
    await writeFile(join(first, 'src/renderer/view.ts'), 'export const view = 1;\n'); // not training code
    expect(await codeVersion({}, first)).toBe(version);
    const compiled = join(root, 'compiled');
    await cp(first, compiled, { recursive: true });
    await writeFile(join(compiled, 'tsconfig.json'), '{"compilerOptions": {"target": "ES2020"}}');
    expect(await codeHash(compiled)).not.toBe(await codeHash(first)); // the one-file CLI is compiled with it
  });

  it('is STEER_CODE_VERSION when set', async () => {
    expect(await codeVersion({ [CODE_VERSION_ENV]: 'image-2026-12-07' }, await tree('env'))).toBe(
      'image-2026-12-07',
    );
  });
});
