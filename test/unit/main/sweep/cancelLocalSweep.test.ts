/**
 * `steer sweep cancel` of a sweep on this machine, its parts: which runner a status file names is
 * signalled (only a live one of this host, never this process), which command line is a `steer
 * sweep run` (a pid reused by another program is not), and stopping a process with SIGTERM, waited
 * for within a bound.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import {
  isSweepRunCommand,
  localCancelPlan,
  processCommandLine,
  processEnded,
  type SweepRunner,
  stopRunner,
} from '../../../../src/main/sweep/index.js';

const RUNNER: SweepRunner = {
  pid: 4242,
  host: 'node-a',
  executor: 'local pool of 2 processes',
  startedAt: '2026-12-07T10:00:00.000Z',
};
const HERE = { host: 'node-a', pid: 1000 };
/** A pid no process has any more. */
const GONE = spawnSync(process.execPath, ['-e', '']).pid!;

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** A node process running `code`, once it has started (it prints "ready"). */
async function nodeProcess(code: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', `${code}; console.log('ready')`], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  started.push(child);
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return child;
}

describe('localCancelPlan', () => {
  it('signals a live runner of this host; nothing for none or a dead one; refuses another host and itself', () => {
    expect(localCancelPlan(RUNNER, HERE, () => true)).toEqual({ kind: 'signal', runner: RUNNER });
    expect(localCancelPlan(null, HERE, () => true)).toEqual({ kind: 'idle' });
    expect(localCancelPlan(RUNNER, HERE, () => false)).toEqual({ kind: 'idle' });
    const elsewhere = { ...RUNNER, host: 'node-b' };
    expect(localCancelPlan(elsewhere, HERE, () => true)).toEqual({ kind: 'elsewhere', runner: elsewhere });
    expect(localCancelPlan(RUNNER, { ...HERE, pid: RUNNER.pid }, () => true)).toEqual({
      kind: 'self',
      runner: RUNNER,
    });
  });
});

describe('isSweepRunCommand', () => {
  it('is a `steer sweep run`, however started, and nothing else', () => {
    expect(isSweepRunCommand(['node', '/app/bin/steer.js', 'sweep', 'run', 'x.yaml', '--jobs', '2'])).toBe(
      true,
    );
    expect(isSweepRunCommand(['/usr/bin/node', 'bin/steer.js', 'sweep', 'run', 'x.yaml'])).toBe(true);
    expect(isSweepRunCommand(['node', 'bin/steer.js', 'sweep', 'status', 'x.yaml'])).toBe(false);
    expect(isSweepRunCommand(['node', 'bin/steer.js', 'train', '--out', 'run'])).toBe(false);
    expect(isSweepRunCommand(['bash'])).toBe(false);
    expect(isSweepRunCommand([])).toBe(false);
  });
});

describe('processes', () => {
  it('reads a command line and tells a live process from one that ended', async () => {
    const child = await nodeProcess('setInterval(() => {}, 1000)');
    expect(await processCommandLine(child.pid!)).toEqual([
      process.execPath,
      '-e',
      "setInterval(() => {}, 1000); console.log('ready')",
    ]);
    expect(await processEnded(child.pid!)).toBe(false);
    expect(await processEnded(GONE)).toBe(true);
    expect(await processCommandLine(GONE)).toBeNull();
  });

  it('stopRunner sends SIGTERM and waits for the exit; false after the bound for one that does not exit', async () => {
    const saving = await nodeProcess(
      "process.on('SIGTERM', () => setTimeout(() => process.exit(130), 300)); setInterval(() => {}, 1000)",
    );
    const exit = new Promise((resolve) => saving.once('exit', (code) => resolve(code)));
    expect(await stopRunner(saving.pid!, { waitMs: 10_000, pollMs: 20 })).toBe(true);
    expect(await exit).toBe(130);

    const stubborn = await nodeProcess("process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)");
    const before = Date.now();
    expect(await stopRunner(stubborn.pid!, { waitMs: 500, pollMs: 20 })).toBe(false);
    expect(Date.now() - before).toBeGreaterThanOrEqual(500);
    expect(await processEnded(stubborn.pid!)).toBe(false);

    expect(await stopRunner(GONE, { waitMs: 100 })).toBe(true);
  });
});
