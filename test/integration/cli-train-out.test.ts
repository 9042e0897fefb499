/**
 * `steer train --out` on a folder that cannot be made, and signals before training starts.
 *
 * `--out /proc/x` once hung for ever at 100 % CPU and ignored SIGTERM: Node's recursive mkdir
 * retries for ever when a parent exists but refuses the child with ENOENT (procfs does that), and
 * the signal only asked training to stop, which had not started. Now the folder is made one level
 * at a time (src/main/io/makeDirectory.ts), the command fails at once naming --out, and a signal
 * that comes before training has started ends the command with 130 and nothing written.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { steer } from '../unit/main/cli/runCliInProcess.js';

const REPOSITORY = join(import.meta.dirname, '..', '..');
const HAS_PROCFS = existsSync('/proc/self/status');

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'steer-train-out-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

/** `node bin/steer.js …` in `cwd`, with its output collected. */
function steerProcess(argv: string[]): { child: ChildProcess; stderr: () => string } {
  const child = spawn(process.execPath, [join(REPOSITORY, 'bin', 'steer.js'), ...argv], {
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return { child, stderr: () => stderr };
}

/** The exit code (or the signal that ended it), or null if it had not ended after `ms` (then killed). */
async function exitWithin(child: ChildProcess, ms: number): Promise<number | string | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode ?? child.signalCode;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(null);
    }, ms);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal);
    });
  });
}

/** Resolves once `text()` matches `pattern` (or the child has ended). */
async function until(child: ChildProcess, text: () => string, pattern: RegExp): Promise<void> {
  while (!pattern.test(text()) && child.exitCode === null && child.signalCode === null) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const TRAIN = ['train', '--env', 'matrix:penalty0', '--backend', 'cpu', '--quiet'];

describe('steer train --out', () => {
  it.runIf(HAS_PROCFS)('fails at once, naming --out, when the folder cannot be made (/proc/x)', async () => {
    const out = `/proc/steer-out-${process.pid}`;
    const started = performance.now();
    const { child, stderr } = steerProcess([...TRAIN, '--out', out]);
    const code = await exitWithin(child, 20_000);
    expect(code, `still running after 20 s; stderr: ${stderr()}`).toBe(1);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(stderr().trim()).toMatch(
      new RegExp(
        `^steer: error: --out ${out}: cannot create the run folder: /proc does not take new folders`,
      ),
    );
  });

  it.runIf(HAS_PROCFS)('ends promptly on SIGTERM while it sets up the run (/proc/x)', async () => {
    const argv = ['train', '--env', 'matrix:penalty0', '--backend', 'cpu'];
    const { child, stderr } = steerProcess([...argv, '--out', `/proc/steer-term-${process.pid}/run`]);
    // the backend line comes after the signal handlers are installed, just before the folder is made
    await until(child, stderr, /^backend: cpu/m);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const signalled = performance.now();
    child.kill('SIGTERM');
    const code = await exitWithin(child, 5000);
    expect(code, `ignored SIGTERM; stderr: ${stderr()}`).not.toBeNull();
    expect([1, 130]).toContain(code);
    expect(performance.now() - signalled).toBeLessThan(5000);
  });

  it('names --out when the folder is under a file', async () => {
    await writeFile(join(cwd, 'plain-file'), 'x');
    const run = await steer([...TRAIN, '--out', 'plain-file/run'], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^steer: error: --out plain-file\/run: cannot create the run folder: .*plain-file is not a folder\n$/,
    );
  });

  it('refuses the folders of runs/ that hold other things than runs (runs/scenarios, runs/replays, runs/models)', async () => {
    for (const out of ['runs/scenarios', 'runs/Replays', 'runs/models']) {
      const run = await steer([...TRAIN, '--out', out], cwd);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /holds other things than runs; choose another folder name \(reserved: scenarios, replays, sweeps, models\)\n$/,
      );
    }
    // As a user runs it: its own process, the path relative to its working directory, not normalised.
    const { child, stderr } = steerProcess([...TRAIN, '--out', './runs/./scenarios']);
    expect(await exitWithin(child, 20_000), stderr()).toBe(1);
    expect(stderr()).toMatch(/--out \.\/runs\/\.\/scenarios: runs\/scenarios\/ holds other things than runs/);
    expect(existsSync(join(cwd, 'runs'))).toBe(false);
  });

  it('a signal before training starts ends the command with 130 and writes nothing', async () => {
    const run = await steer([...TRAIN, '--out', 'runs/early'], cwd, { signal: AbortSignal.abort() });
    expect(run.code).toBe(130);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('interrupted before training started: nothing was written\n');
    expect(existsSync(join(cwd, 'runs'))).toBe(false);
  });
});
