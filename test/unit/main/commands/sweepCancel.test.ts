/**
 * `steer sweep cancel` where nothing trains, in process: a sweep no process runs is left as it is
 * (exit code 0, the status file untouched), a runner on another host or this process itself is
 * refused in one line, a pid the status file names that now belongs to another program is not
 * signalled, and a bad file or an unreachable Redis is one line and exit code 1, as for the other
 * sweep subcommands. Cancelling a running sweep, on this machine and on a queue:
 * test/integration/sweep-cancel.test.ts.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SweepRunner } from '../../../../src/main/sweep/index.js';
import { freePort } from '../../../../src/main/sweep/queue/index.js';
import { steer } from '../cli/runCliInProcess.js';

let cwd: string;
const started: ChildProcess[] = [];
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'steer-sweep-cancel-'));
  await writeFile(
    join(cwd, 's.yaml'),
    'name: s\nalgos: [steer, mappo]\nenvs: [matrix:penalty0]\nseeds: 1\nupdates: 3\nrunsDir: runs/s\n',
  );
});
afterEach(async () => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await rm(cwd, { recursive: true, force: true });
});

/** A pid no process has any more. */
const GONE = spawnSync(process.execPath, ['-e', '']).pid!;

/** Writes runs/s/sweep-status.json naming `runner` (and `queue`); returns its text. */
async function statusFile(runner: SweepRunner | null, queue: string | null = null): Promise<string> {
  const text = `${JSON.stringify({
    formatVersion: 1,
    kind: 'steer-sweep-status',
    sweep: 's',
    file: 's.yaml',
    updatedAt: '2026-12-07T10:00:00.000Z',
    runner,
    queue,
    runs: {},
  })}\n`;
  await mkdir(join(cwd, 'runs', 's'), { recursive: true });
  await writeFile(join(cwd, 'runs', 's', 'sweep-status.json'), text);
  return text;
}

/** A runner of this host with process `pid`. */
function runner(pid: number, host = hostname()): SweepRunner {
  return { pid, host, executor: 'local pool of 2 processes', startedAt: '2026-12-07T10:00:00.000Z' };
}

/** The status file's text now. */
const statusText = () => readFile(join(cwd, 'runs', 's', 'sweep-status.json'), 'utf8');

describe('steer sweep cancel', () => {
  it('leaves a sweep never run or no longer running as it is, exit code 0', async () => {
    const never = await steer(['sweep', 'cancel', 's.yaml'], cwd);
    expect(never.code, never.stderr).toBe(0);
    expect(never.stdout).toBe(
      'sweep s is not running: nothing to cancel (2 runs: 0 done, 0 running, 0 failed, 2 queued)\n',
    );
    expect(existsSync(join(cwd, 'runs'))).toBe(false);

    const text = await statusFile(runner(GONE));
    const gone = await steer(['sweep', 'cancel', 's.yaml'], cwd);
    expect(gone.code, gone.stderr).toBe(0);
    expect(gone.stdout).toContain('sweep s is not running: nothing to cancel');
    expect(await statusText()).toBe(text);
  });

  it('does not signal a process that is not a `steer sweep run` (a pid reused after a crash)', async () => {
    const other = spawn(process.execPath, ['-e', "setInterval(() => {}, 1000); console.log('ready')"], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    started.push(other);
    await new Promise<void>((resolve) => other.stdout!.once('data', () => resolve()));
    const text = await statusFile(runner(other.pid!));
    const run = await steer(['sweep', 'cancel', 's.yaml', '--wait', '1'], cwd);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('sweep s is not running: nothing to cancel');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(other.exitCode).toBeNull();
    expect(other.signalCode).toBeNull();
    expect(await statusText()).toBe(text);
  });

  it('refuses a sweep run on another host, and one run by this very process, in one line', async () => {
    const text = await statusFile(runner(4242, 'elsewhere-host'));
    const far = await steer(['sweep', 'cancel', 's.yaml'], cwd);
    expect(far.code).toBe(1);
    expect(far.stdout).toBe('');
    expect(far.stderr).toBe(
      `steer: error: sweep s is run by process 4242 on elsewhere-host, not on this host (${hostname()}): ` +
        "run 'steer sweep cancel s.yaml' there\n",
    );
    expect(await statusText()).toBe(text);

    await statusFile(runner(process.pid));
    const self = await steer(['sweep', 'cancel', 's.yaml'], cwd);
    expect(self.code).toBe(1);
    expect(self.stderr).toBe('steer: error: sweep s is run by this very process\n');
  });

  it('refuses a bad file with its located line, and an unreachable Redis in one line', async () => {
    await writeFile(
      join(cwd, 'bad.yaml'),
      'name: bad\nalgos: [nope]\nenvs: [matrix:penalty0]\nseeds: 1\nupdates: 3\n',
    );
    const bad = await steer(['sweep', 'cancel', 'bad.yaml'], cwd);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^bad\.yaml: algos\[0\]: unknown algorithm "nope"; the algorithms are steer, /),
    ]);

    const closed = `redis://127.0.0.1:${await freePort()}`;
    const named = await steer(['sweep', 'cancel', 's.yaml', '--queue', closed], cwd);
    expect(named.code).toBe(1);
    expect(named.stderr).toMatch(
      new RegExp(`^steer: error: cannot reach Redis at ${closed}: connect ECONNREFUSED [^\\n]*\\n$`),
    );
    await statusFile(null, closed); // the queue the status file records is the default
    const recorded = await steer(['sweep', 'cancel', 's.yaml'], cwd);
    expect(recorded.code).toBe(1);
    expect(recorded.stderr).toContain(`steer: error: cannot reach Redis at ${closed}: connect ECONNREFUSED`);

    const address = await steer(['sweep', 'cancel', 's.yaml', '--queue', 'http://x'], cwd);
    expect(address.code).toBe(1);
    expect(address.stderr).toBe(
      'steer: error: --queue: expected a Redis URL such as redis://host:6379, received the scheme "http"\n',
    );
  });
});
