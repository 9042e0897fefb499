import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainConfig } from '../../../../src/core/algos/config.js';
import { newRunConfig } from '../../../../src/main/train/runDir.js';
import type { PlannedRun } from '../../../../src/main/train/runMatch.js';
import { checkpointIdentity, inspectRun } from '../../../../src/main/train/runState.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'steer-compare-state-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The run planned: seed 2 of STEER on matrix:penalty0, 3 updates, and the config `overrides` give. */
function planned(overrides: Record<string, unknown> = {}, updates = 3): PlannedRun {
  const train = resolveTrainConfig(
    'matrix:penalty0',
    { seed: 2, numEnvs: 1, episodeLength: 4, ...overrides },
    { updates },
  );
  return { env: 'matrix:penalty0', train, updates };
}
const expected = planned();

/** A run folder as `steer train` leaves it: config.json, and a checkpoint manifest at `update`. */
async function runFolder(name: string, update: number | null, seed = 2): Promise<string> {
  const dir = join(root, name);
  const train = resolveTrainConfig('matrix:penalty0', { seed, numEnvs: 1, episodeLength: 4 }, { updates: 3 });
  await mkdir(join(dir, 'checkpoints', 'latest'), { recursive: true });
  await writeFile(
    join(dir, 'config.json'),
    JSON.stringify(newRunConfig({ env: 'matrix:penalty0', train, checkpointEvery: 1 })),
  );
  if (update !== null) {
    const manifest = {
      createdAt: '2026-12-07T10:00:00.000Z',
      manifestSha256: 'ab'.repeat(32),
      meta: { update },
    };
    await writeFile(join(dir, 'checkpoints', 'latest', 'checkpoint.json'), JSON.stringify(manifest));
  }
  return dir;
}

describe('inspectRun', () => {
  it('a missing folder is a new run', async () => {
    expect(await inspectRun(join(root, 'none'), expected)).toEqual({ kind: 'new' });
  });

  it('a run saved at its last update is finished, one saved earlier (or never) is resumed', async () => {
    expect(await inspectRun(await runFolder('done', 3), expected)).toEqual({
      kind: 'finished',
      update: 3,
      checkpoint: `2026-12-07T10:00:00.000Z ${'ab'.repeat(32)}`,
    });
    expect(await inspectRun(await runFolder('half', 1), expected)).toEqual({ kind: 'partial', update: 1 });
    expect(await inspectRun(await runFolder('fresh', null), expected)).toEqual({
      kind: 'partial',
      update: 0,
    });
  });

  it('refuses a run of another seed, algorithm, env or budget, naming what differs', async () => {
    const dir = await runFolder('other', 3, 7);
    expect(await inspectRun(dir, expected)).toEqual({
      kind: 'other',
      reason: `${dir} holds a run with seed 7, not 2; move it away or use another --runs-dir`,
    });
    const mine = await runFolder('mine', 3);
    expect(await inspectRun(mine, planned({ algo: 'mappo' }))).toMatchObject({
      reason: expect.stringContaining('holds a run with algorithm steer, not mappo'),
    });
    expect(await inspectRun(mine, planned({}, 5))).toMatchObject({
      reason: expect.stringContaining('holds a run with updates 3, not 5'),
    });
    expect(await inspectRun(mine, { ...expected, env: 'matrix:penalty-100' })).toMatchObject({
      reason: expect.stringContaining('holds a run with env matrix:penalty0, not matrix:penalty-100'),
    });
  });

  it('refuses a run of the same algorithm, env, seed and budget trained with another config', async () => {
    // the matrix preset's entropy bonus is 0.2 (MATRIX_ENTROPY_COEF); this command plans 0.05
    const dir = await runFolder('entropy', 3);
    expect(await inspectRun(dir, planned({ entropyCoef: 0.05 }))).toEqual({
      kind: 'other',
      reason: `${dir} holds a run with entropyCoef 0.2, not 0.05; move it away or use another --runs-dir`,
    });
  });

  it('a damaged manifest reads as no checkpoint (the child that resumes it says what is wrong)', async () => {
    const dir = await runFolder('damaged', null);
    await writeFile(join(dir, 'checkpoints', 'latest', 'checkpoint.json'), '{"meta": {"upd');
    expect(await checkpointIdentity(dir)).toBeNull();
    expect(await inspectRun(dir, expected)).toEqual({ kind: 'partial', update: 0 });
  });
});
