import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  writeFileAtomic,
  writeFileAtomicExclusive,
  writeJsonAtomic,
} from '../../../../src/main/io/atomicWrite.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'steer-atomic-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('writeFileAtomicExclusive', () => {
  it('creates a new file whole and never replaces an existing one', async () => {
    const path = join(root, 'sub', 'mine.json');
    await writeFileAtomicExclusive(path, 'first');
    expect(await readFile(path, 'utf8')).toBe('first');
    await expect(writeFileAtomicExclusive(path, 'second')).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readFile(path, 'utf8')).toBe('first');
    await mkdir(join(root, 'dir'));
    await expect(writeFileAtomicExclusive(join(root, 'dir'), 'x')).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readdir(join(root, 'sub'))).toEqual(['mine.json']); // no temporary file left
    expect((await readdir(root)).sort()).toEqual(['dir', 'sub']);
  });
});

describe('writeFileAtomic', () => {
  it('writes text and bytes, replaces the old content and leaves no temporary file', async () => {
    const path = join(root, 'config.json');
    await writeFileAtomic(path, 'old');
    await writeFileAtomic(path, 'new content');
    expect(await readFile(path, 'utf8')).toBe('new content');
    await writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    expect([...(await readFile(path))]).toEqual([1, 2, 3]);
    expect(await readdir(root)).toEqual(['config.json']);
  });

  it('creates the parent directory', async () => {
    const path = join(root, 'runs', 'abc', 'argv.json');
    await writeFileAtomic(path, '[]');
    expect(await readFile(path, 'utf8')).toBe('[]');
  });

  it('keeps what was at the target and removes its temporary file when the rename fails', async () => {
    const path = join(root, 'occupied');
    await mkdir(path);
    await writeFile(join(path, 'keep.txt'), 'kept');
    await expect(writeFileAtomic(path, 'data')).rejects.toThrow();
    expect((await readdir(root)).sort()).toEqual(['occupied']);
    expect(await readFile(join(path, 'keep.txt'), 'utf8')).toBe('kept');
  });
});

describe('writeJsonAtomic', () => {
  it('writes indented JSON with a trailing newline', async () => {
    const path = join(root, 'a.json');
    await writeJsonAtomic(path, { step: 3, tags: ['x'] });
    expect(await readFile(path, 'utf8')).toBe('{\n  "step": 3,\n  "tags": [\n    "x"\n  ]\n}\n');
  });

  it('refuses a value with no JSON form, naming the file', async () => {
    const path = join(root, 'b.json');
    await expect(writeJsonAtomic(path, undefined)).rejects.toThrow(
      `${path}: value has no JSON representation`,
    );
    expect(await readdir(root)).toEqual([]);
  });
});
