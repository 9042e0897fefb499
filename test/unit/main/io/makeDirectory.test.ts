/**
 * makeDirectory (src/main/io/makeDirectory.ts): `mkdir -p` that always ends. Node's recursive mkdir
 * never settles under /proc (a parent that exists but answers ENOENT for its child); this one
 * refuses at once, naming the part that refused, and makes missing folders otherwise.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../../src/main/io/atomicWrite.js';
import { DirectoryError, makeDirectory } from '../../../../src/main/io/makeDirectory.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'steer-mkdir-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The DirectoryError `promise` rejects with. */
async function refusal(promise: Promise<unknown>): Promise<DirectoryError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DirectoryError);
  return error as DirectoryError;
}

describe('makeDirectory', () => {
  it('makes missing folders, accepts existing ones, and two callers at once', async () => {
    const deep = join(root, 'a', 'b', 'c');
    await makeDirectory(deep);
    expect((await stat(deep)).isDirectory()).toBe(true);
    await makeDirectory(deep);
    await Promise.all([makeDirectory(join(root, 'x', 'y')), makeDirectory(join(root, 'x', 'y', 'z'))]);
    expect((await stat(join(root, 'x', 'y', 'z'))).isDirectory()).toBe(true);
  });

  it('names a file on the way', async () => {
    await writeFile(join(root, 'file'), 'x');
    const under = await refusal(makeDirectory(join(root, 'file', 'sub', 'dir')));
    expect(under.message).toBe(
      `cannot create the folder ${join(root, 'file', 'sub', 'dir')}: ${join(root, 'file')} is not a folder`,
    );
    expect(under.code).toBe('ENOTDIR');
    const itself = await refusal(makeDirectory(join(root, 'file')));
    expect(itself.reason).toBe(`${join(root, 'file')} is not a folder`);
  });

  it.runIf(existsSync('/proc/self/status'))(
    'refuses a folder under /proc at once, as does writeFileAtomic',
    async () => {
      const started = performance.now();
      const error = await refusal(makeDirectory(`/proc/steer-${process.pid}/deeper`));
      expect(error.reason).toBe(`/proc does not take new folders (mkdir /proc/steer-${process.pid}: ENOENT)`);
      const write = await refusal(writeFileAtomic(`/proc/steer-${process.pid}/config.json`, '{}'));
      expect(write.code).toBe('ENOENT');
      expect(performance.now() - started).toBeLessThan(1000);
    },
  );
});
