/**
 * Sweep folders under a runs folder, as `steer sweep run` leaves them, for the readers of the app's
 * Training tab (sweepFolders.test.ts, sweepHandlers.test.ts, the dashboard's e2e test):
 * - `sweeps/good`: four runs, one done (its folder holds a run), one failed (with its error line),
 *   one the file says is running although no process runs the sweep (shown queued), and one
 *   queued whose folder does not exist yet (a missing run);
 * - `sweeps/damaged`: a status file with a wrong field;
 * - `l`: a sweep whose file set `runsDir: runs/l` (directly under runs/), all queued;
 * - `plain`: a run folder, not a sweep.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SweepStatus } from '../../../../src/main/sweep/index.js';

const AT = '2026-12-07T10:00:00.000Z';

type Entry = SweepStatus['runs'][string];

function entry(runDir: string, fields: Partial<Entry>): Entry {
  return {
    state: 'queued',
    update: 0,
    updates: 40,
    action: null,
    error: null,
    runDir,
    updatedAt: AT,
    ...fields,
  };
}

/** The good sweep's run ids, in start order. */
export const GOOD_RUNS = Object.freeze({
  done: 'steer/matrix-penalty0/seed-1',
  failed: 'mappo/matrix-penalty0/seed-1',
  stale: 'steer/matrix-penalty0/seed-2',
  missing: 'mappo/matrix-penalty0/seed-2',
});

/** The good sweep's status file. */
export function goodStatus(runsDir = 'runs/sweeps/good'): SweepStatus {
  return {
    formatVersion: 1,
    kind: 'steer-sweep-status',
    sweep: 'good',
    file: 'sweeps/good.yaml',
    updatedAt: AT,
    runner: null,
    queue: null,
    runs: {
      [GOOD_RUNS.done]: entry(`${runsDir}/${GOOD_RUNS.done}`, {
        state: 'done',
        update: 40,
        action: 'trained',
      }),
      [GOOD_RUNS.failed]: entry(`${runsDir}/${GOOD_RUNS.failed}`, {
        state: 'failed',
        update: 10,
        action: 'trained',
        error: 'Error: backend "tfjs-node" is not available',
      }),
      [GOOD_RUNS.stale]: entry(`${runsDir}/${GOOD_RUNS.stale}`, {
        state: 'running',
        update: 20,
        action: 'resumed',
      }),
      [GOOD_RUNS.missing]: entry(`${runsDir}/${GOOD_RUNS.missing}`, {}),
    },
  };
}

/**
 * Writes the fixture into `runsRoot` (the project's runs/). `runFolder` fills the done run's folder
 * (default: a config.json that only says it is a run).
 */
export async function writeSweepFixture(
  runsRoot: string,
  runFolder: (dir: string) => Promise<void> = async (dir) => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'config.json'), '{}\n');
  },
): Promise<void> {
  const good = join(runsRoot, 'sweeps', 'good');
  await mkdir(good, { recursive: true });
  await writeFile(join(good, 'sweep-status.json'), `${JSON.stringify(goodStatus(), null, 2)}\n`);
  await runFolder(join(good, ...GOOD_RUNS.done.split('/')));
  await mkdir(join(good, ...GOOD_RUNS.failed.split('/')), { recursive: true });
  await writeFile(join(good, ...GOOD_RUNS.failed.split('/'), 'config.json'), '{}\n');

  const damaged = join(runsRoot, 'sweeps', 'damaged');
  await mkdir(damaged, { recursive: true });
  const broken = { ...goodStatus('runs/sweeps/damaged'), sweep: 'damaged', formatVersion: 7 };
  await writeFile(join(damaged, 'sweep-status.json'), JSON.stringify(broken));

  const top = join(runsRoot, 'l');
  await mkdir(top, { recursive: true });
  const queued: SweepStatus = {
    ...goodStatus('runs/l'),
    sweep: 'long',
    file: 'long.yaml',
    runs: { 'steer/matrix-penalty0/seed-1': entry('runs/l/steer/matrix-penalty0/seed-1', { update: 20 }) },
  };
  await writeFile(join(top, 'sweep-status.json'), JSON.stringify(queued));

  await mkdir(join(runsRoot, 'plain'), { recursive: true });
  await writeFile(join(runsRoot, 'plain', 'config.json'), '{}\n');
}
