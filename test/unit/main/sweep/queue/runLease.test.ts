/**
 * A run folder's lease: one holder at a time, refused to others until its term ends, then broken and
 * taken; a holder whose lease was taken, removed or let expire learns it at its next renewal; a run
 * store that cannot be written is one clear error and leaves nothing behind. The clock is injected.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acquireRunLease,
  LeaseError,
  type RunLease,
  runLeasePath,
} from '../../../../../src/main/sweep/queue/index.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'steer-run-lease-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A clock the test moves [ms since the epoch]. */
function testClock(start = Date.parse('2026-12-07T10:00:00Z')) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

async function take(path: string, holder: string, now: () => number): Promise<RunLease> {
  const attempt = await acquireRunLease(path, { run: 'r', holder, termMs: 10_000, now });
  if (!attempt.ok) throw new Error(`held by ${attempt.holder}`);
  return attempt.lease;
}

describe('run leases', () => {
  it('lie beside the run folder', () => {
    expect(runLeasePath('runs/s/steer/matrix-penalty0/seed-1/')).toBe(
      'runs/s/steer/matrix-penalty0/seed-1.lease.json',
    );
  });

  it('are held by one worker until the term ends, then broken and taken by another', async () => {
    const clock = testClock();
    const path = runLeasePath(join(root, 'one', 'seed-1'));
    const a = await take(path, 'worker A', clock.now);
    const refused = await acquireRunLease(path, {
      run: 'r',
      holder: 'worker B',
      termMs: 10_000,
      now: clock.now,
    });
    expect(refused).toEqual({ ok: false, holder: 'worker A', retryAt: clock.now() + 10_000 });

    clock.advance(6000);
    expect(await a.renew()).toBe(true); // renewed: the term runs from now
    clock.advance(6000);
    expect(
      (await acquireRunLease(path, { run: 'r', holder: 'worker B', termMs: 10_000, now: clock.now })).ok,
    ).toBe(false);

    clock.advance(10_001); // A stopped renewing (killed): B breaks the expired lease
    const b = await take(path, 'worker B', clock.now);
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ holder: 'worker B', run: 'r' });
    expect(await a.renew()).toBe(false);
    expect(a.lost).toMatch(
      /^lost the lease .*seed-1\.lease\.json: its term ended at .* before it was renewed$/,
    );
    await a.release(); // not A's any more: left alone
    expect(await b.renew()).toBe(true);
    await b.release();
    expect(await readdir(join(root, 'one'))).toEqual([]); // released, nothing left beside it
  });

  it('are lost when another holder replaced them or the file is gone', async () => {
    const clock = testClock();
    const path = runLeasePath(join(root, 'two', 'seed-1'));
    const a = await take(path, 'worker A', clock.now);
    const file = JSON.parse(await readFile(path, 'utf8'));
    await writeFile(path, JSON.stringify({ ...file, owner: 'someone-else', holder: 'worker C' }));
    expect(await a.renew()).toBe(false);
    expect(a.lost).toContain(': worker C holds it now');

    const b = await take(runLeasePath(join(root, 'two', 'seed-2')), 'worker B', clock.now);
    await rm(b.path);
    expect(await b.renew()).toBe(false);
    expect(b.lost).toContain(': its file is gone');
  });

  it('break a damaged lease file', async () => {
    const clock = testClock();
    const path = runLeasePath(join(root, 'three', 'seed-1'));
    await mkdir(join(root, 'three'));
    await writeFile(path, '{"kind": "steer-run-le');
    const lease = await take(path, 'worker A', clock.now);
    expect(await lease.renew()).toBe(true);
  });

  it('in a run store that cannot be written: one clear error, nothing written', async () => {
    await writeFile(join(root, 'store'), 'a file where the run store should be');
    const path = runLeasePath(join(root, 'store', 'sweep', 'seed-1'));
    const attempt = acquireRunLease(path, { run: 'r', holder: 'worker A', termMs: 1000 });
    await expect(attempt).rejects.toThrow(LeaseError);
    await expect(attempt).rejects.toThrow(`cannot write the lease ${path}: cannot create the folder`);
    expect(await readdir(root)).not.toContain('sweep');
  });
});
