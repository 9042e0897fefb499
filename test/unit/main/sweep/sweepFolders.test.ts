import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findSweepFolders,
  readSweepFolder,
  type SweepFolder,
  stateCounts,
} from '../../../../src/main/sweep/index.js';
import { GOOD_RUNS, goodStatus, writeSweepFixture } from './sweepFolderFixture.js';

let runsRoot: string;
beforeAll(async () => {
  runsRoot = join(await mkdtemp(join(tmpdir(), 'steer-sweep-folders-')), 'runs');
  await writeSweepFixture(runsRoot);
});
afterAll(async () => {
  await rm(join(runsRoot, '..'), { recursive: true, force: true });
});

/** `folder` as read, its status file readable. */
function readable(folder: SweepFolder | null): Extract<SweepFolder, { runs: unknown }> {
  if (folder === null || !('runs' in folder))
    throw new Error(`expected a readable sweep: ${JSON.stringify(folder)}`);
  return folder;
}

describe('findSweepFolders', () => {
  it('finds the folders holding a status file, under runs/ and runs/sweeps/, not run folders', async () => {
    expect(await findSweepFolders(runsRoot)).toEqual(['l', 'sweeps/damaged', 'sweeps/good']);
  });

  it('finds none in a runs folder that does not exist', async () => {
    expect(await findSweepFolders(join(runsRoot, 'nope'))).toEqual([]);
  });
});

describe('readSweepFolder', () => {
  it('reads every run the status file lists, in its order, as `steer sweep status` shows them', async () => {
    const folder = readable(await readSweepFolder(runsRoot, 'sweeps/good'));
    expect(folder.status.sweep).toBe('good');
    expect(folder.runs.map((run) => [run.id, run.state, run.update, run.updates, run.hasRun])).toEqual([
      [GOOD_RUNS.done, 'done', 40, 40, true],
      [GOOD_RUNS.failed, 'failed', 10, 40, true],
      // marked running, but no process runs the sweep: stopped, to be resumed
      [GOOD_RUNS.stale, 'queued', 20, 40, false],
      // not started: no folder yet
      [GOOD_RUNS.missing, 'queued', 0, 40, false],
    ]);
    expect(folder.runs[1]!.error).toBe('Error: backend "tfjs-node" is not available');
    expect(folder.runs.filter((run) => run.id !== GOOD_RUNS.failed).every((run) => run.error === null)).toBe(
      true,
    );
    expect(folder.runs[0]!.path).toBe(`sweeps/good/${GOOD_RUNS.done}`);
    expect(stateCounts(folder.runs)).toEqual({ done: 1, running: 0, failed: 1, queued: 2 });
    // a list needs only the counts: no run folder is looked at
    const counted = readable(await readSweepFolder(runsRoot, 'sweeps/good', { checkFolders: false }));
    expect(counted.runs.map((run) => run.hasRun)).toEqual([false, false, false, false]);
    expect(stateCounts(counted.runs)).toEqual(stateCounts(folder.runs));
  });

  it('reads a damaged status file as one line naming the file and the field', async () => {
    const folder = await readSweepFolder(runsRoot, 'sweeps/damaged');
    expect(folder).not.toBeNull();
    const error = (folder as { error: string }).error;
    expect(error).toContain(join(runsRoot, 'sweeps', 'damaged', 'sweep-status.json'));
    expect(error).toContain('formatVersion');
    expect(error).not.toContain('\n');
  });

  it('reads a status file that is not JSON as one line', async () => {
    const dir = join(runsRoot, 'sweeps', 'cut');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'sweep-status.json'), '{"formatVersion": 1, "kind"');
    const folder = await readSweepFolder(runsRoot, 'sweeps/cut');
    expect((folder as { error: string }).error).toMatch(/sweep-status\.json: invalid JSON: /);
    await rm(dir, { recursive: true });
  });

  it('reads the update of a run that a live process trains from its metrics.jsonl', async () => {
    const dir = join(runsRoot, 'sweeps', 'live');
    const runDir = join(dir, ...GOOD_RUNS.stale.split('/'));
    await mkdir(runDir, { recursive: true });
    await writeFile(join(runDir, 'metrics.jsonl'), '{"update":24}\n{"update":25}\n');
    const runner = {
      pid: process.pid,
      host: hostname(),
      executor: 'local pool of 2 processes',
      startedAt: 'x',
    };
    await writeFile(
      join(dir, 'sweep-status.json'),
      JSON.stringify({ ...goodStatus('runs/sweeps/live'), runner }),
    );
    const folder = await readSweepFolder(runsRoot, 'sweeps/live');
    const { runs } = readable(folder);
    expect(runs.find((run) => run.id === GOOD_RUNS.stale)).toMatchObject({ state: 'running', update: 25 });
    await rm(dir, { recursive: true });
  });

  it('gives null for a folder without a status file', async () => {
    expect(await readSweepFolder(runsRoot, 'plain')).toBeNull();
    expect(await readSweepFolder(runsRoot, 'sweeps/nope')).toBeNull();
  });

  it('names no folder for a run id that would leave the sweep folder', async () => {
    const dir = join(runsRoot, 'sweeps', 'odd');
    await mkdir(dir, { recursive: true });
    const status = goodStatus('runs/sweeps/odd');
    const escaping = { ...status, runs: { '../../plain': status.runs[GOOD_RUNS.done]! } };
    await writeFile(join(dir, 'sweep-status.json'), JSON.stringify(escaping));
    const folder = await readSweepFolder(runsRoot, 'sweeps/odd');
    expect(readable(folder).runs).toEqual([expect.objectContaining({ path: null, hasRun: false })]);
    await rm(dir, { recursive: true });
  });
});
