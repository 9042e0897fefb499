/**
 * Ctrl-C in a terminal reaches a whole process group: `steer compare` or `steer table1` and every
 * child it trains with. One Ctrl-C must make each child save its run at the update it reached
 * (nothing logged is lost; a rerun continues), a second must end the parent and every child at
 * once. The commands run here as a terminal runs them: in a process group of their own, signalled
 * as a group (`kill -INT -<pgid>`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const STEER_BIN = fileURLToPath(new URL('../../bin/steer.js', import.meta.url));

let cwd: string;
const groups: number[] = [];
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'steer-cli-signals-'));
});
afterAll(async () => {
  for (const pgid of groups) signalGroup(pgid, 'SIGKILL');
  await rm(cwd, { recursive: true, force: true });
});

/** Sends `signal` to process group `pgid`; false when the group has no process left. */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** `steer <args>` as a terminal starts it: the leader of a new process group. */
function startInGroup(args: readonly string[]): {
  child: ChildProcess;
  exit: Promise<number | null>;
  stderr: () => string;
} {
  const child = spawn(process.execPath, [STEER_BIN, ...args], {
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  groups.push(child.pid!);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout!.resume();
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exit, stderr: () => stderr };
}

/** Waits (polling) until `ready()` holds; fails after `ms`. */
async function waitFor(what: string, ready: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The update of `runDir`'s checkpoints/latest, and the updates its metrics.jsonl logged. */
async function savedAndLogged(runDir: string): Promise<{ saved: number; logged: number[] }> {
  const manifest = JSON.parse(
    await readFile(join(runDir, 'checkpoints', 'latest', 'checkpoint.json'), 'utf8'),
  );
  const lines = (await readFile(join(runDir, 'metrics.jsonl'), 'utf8')).trim().split('\n');
  const logged = lines.filter((line) => line !== '').map((line) => JSON.parse(line).update as number);
  return { saved: manifest.meta.update as number, logged };
}

const TINY = ['--set', 'numEnvs=1', '--set', 'episodeLength=4', '--set', 'ppoEpochs=1'];

describe('one Ctrl-C in a terminal', () => {
  it('steer compare: every child saves its run at the update it logged last; the same command continues', async () => {
    const argv = [
      'compare',
      '--env',
      'matrix:penalty0',
      '--algos',
      'steer',
      '--seeds',
      '2',
      '--updates',
      '20',
      ...TINY,
      '--jobs',
      '2',
      '--backend',
      'cpu',
      '--runs-dir',
      'runs/c',
      '--out',
      'out/c.md',
    ];
    const runDirs = [1, 2].map((seed) => join(cwd, 'runs', 'c', 'steer', `seed-${seed}`));
    const run = startInGroup(argv);
    // the first checkpoint is written at update 10 (--checkpoint-every's default)
    await waitFor('a checkpoint', () =>
      runDirs.some((dir) => existsSync(join(dir, 'checkpoints', 'latest', 'checkpoint.json'))),
    );
    signalGroup(run.child.pid!, 'SIGINT');
    expect(await run.exit, run.stderr()).toBe(130);
    expect(run.stderr()).toContain('interrupted after 0/2 runs; nothing written');
    expect(existsSync(join(cwd, 'out', 'c.md'))).toBe(false);
    for (const dir of runDirs) {
      const { saved, logged } = await savedAndLogged(dir);
      expect(logged, dir).toEqual(Array.from({ length: logged.length }, (_, i) => i + 1));
      expect(saved, dir).toBe(logged.at(-1) ?? 0);
      expect(saved, dir).toBeLessThan(20);
    }

    const again = startInGroup(argv);
    expect(await again.exit, again.stderr()).toBe(0);
    expect(again.stderr()).toContain('compare 2/2 (100%) | trained 0 | resumed 2 | skipped 0');
    for (const dir of runDirs) {
      const { saved, logged } = await savedAndLogged(dir);
      expect(logged, dir).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(saved, dir).toBe(20);
    }
  }, 40_000);
});

describe('a second Ctrl-C', () => {
  it('steer table1: ends the parent and every child at once, even in the middle of a long update', async () => {
    // updates of about half a minute each on cpu: a child that waited for its update to end would
    // outlive the check by far, while the check leaves a loaded machine (the whole suite running
    // beside it) seconds to deliver the signals and reap the processes
    const slow = ['--set', 'numEnvs=64', '--set', 'episodeLength=100', '--set', 'ppoEpochs=60'];
    const runDirs = [1, 2].map((seed) => join(cwd, 'runs', 't', 'steer', 'penalty0', `seed-${seed}`));
    const run = startInGroup([
      'table1',
      '--games',
      'penalty0',
      '--seeds',
      '2',
      '--updates',
      '5',
      ...slow,
      '--jobs',
      '2',
      '--backend',
      'cpu',
      '--runs-dir',
      'runs/t',
      '--results',
      'out/t.md',
    ]);
    await waitFor('both children training', () =>
      runDirs.every((dir) => existsSync(join(dir, 'metrics.jsonl'))),
    );
    const pgid = run.child.pid!;
    signalGroup(pgid, 'SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 200));
    signalGroup(pgid, 'SIGINT');
    const t0 = performance.now();
    expect(await run.exit).toBe(130);
    await waitFor('every child to end', () => !signalGroup(pgid, 0), 5000);
    expect(performance.now() - t0).toBeLessThan(5000);
  }, 40_000);
});
