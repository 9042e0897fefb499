/** findRunFolders: a run folder is itself; any other folder is searched for runs, in natural order. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRunFolders } from '../../../../src/main/analysis/runFolders.js';

let root: string;

/** An empty config.json makes a folder a run here: findRunFolders does not read it. */
async function run(path: string): Promise<void> {
  await mkdir(join(root, path, 'checkpoints', 'latest'), { recursive: true });
  await writeFile(join(root, path, 'config.json'), '{}');
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'steer-run-folders-'));
  for (const seed of [10, 2, 1]) await run(`batch/steer/mixing/seed-${seed}`);
  await run('batch/mappo/penalty0/seed-1');
  await mkdir(join(root, 'batch', '.hidden', 'x'), { recursive: true });
  await writeFile(join(root, 'batch', '.hidden', 'x', 'config.json'), '{}');
  await mkdir(join(root, 'empty', 'nothing'), { recursive: true });
  await writeFile(join(root, 'file.txt'), 'not a folder');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('findRunFolders', () => {
  it('finds every run under a folder, depth first, seeds in natural order, skipping hidden folders', async () => {
    const found = await findRunFolders(join(root, 'batch'));
    expect(found.map((f) => f.dir.slice(root.length + 1))).toEqual([
      'batch/mappo/penalty0/seed-1',
      'batch/steer/mixing/seed-1',
      'batch/steer/mixing/seed-2',
      'batch/steer/mixing/seed-10',
    ]);
    expect(found.every((f) => f.origin === 'found')).toBe(true);
  });

  it('returns a run folder itself, as given', async () => {
    const dir = join(root, 'batch', 'steer', 'mixing', 'seed-2');
    expect(await findRunFolders(dir)).toEqual([{ dir, origin: 'given' }]);
  });

  it('names the path that is missing, not a folder, or holds no run', async () => {
    await expect(findRunFolders(join(root, 'nope'))).rejects.toThrow(`${join(root, 'nope')}: no such folder`);
    await expect(findRunFolders(join(root, 'file.txt'))).rejects.toThrow(/file\.txt: not a folder/);
    await expect(findRunFolders(join(root, 'empty'))).rejects.toThrow(
      /empty: no run folders \(folders holding config\.json\) in it or below it/,
    );
  });
});
