/**
 * What the queue tests (sweep-queue.test.ts, sweep-cancel.test.ts) read and wait for: polling a
 * condition, a run folder's logged updates and checkpoint, a sweep file's run folders, a process's
 * children (Linux /proc), and `steer` processes in groups of their own.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { steer } from '../unit/main/cli/runCliInProcess.js';

/** The `steer` launcher. */
export const STEER_BIN = fileURLToPath(new URL('../../bin/steer.js', import.meta.url));

/** The overrides that make a sweep's runs tiny. */
export const TINY = 'overrides: {numEnvs: 1, episodeLength: 4, ppoEpochs: 1}\n';

/** Waits (polling) until `ready()` holds; fails after `ms`. */
export async function waitFor(what: string, ready: () => boolean, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Writes the sweep file `<cwd>/<name>.yaml` and returns the run folders of its runs, in start order. */
export async function sweepFile(cwd: string, name: string, body: string): Promise<string[]> {
  await writeFile(join(cwd, `${name}.yaml`), `name: ${name}\n${body}${TINY}runsDir: runs/${name}\n`);
  const plan = await steer(['sweep', 'plan', `${name}.yaml`, '--json'], cwd);
  expect(plan.code, plan.stderr).toBe(0);
  return plan.stdout
    .trim()
    .split('\n')
    .map((line) => join(cwd, JSON.parse(line).runDir as string));
}

/** The updates a run's metrics.jsonl logged, in order. */
export function logged(runDir: string): number[] {
  const path = join(runDir, 'metrics.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && line.endsWith('}'))
    .map((line) => JSON.parse(line).update as number);
}

/** The update a run's checkpoint holds, or 0. */
export function saved(runDir: string): number {
  const path = join(runDir, 'checkpoints', 'latest', 'checkpoint.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')).meta.update as number) : 0;
}

/** 1..n. */
export const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** Whether process `pid` exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pids of `pid`'s children whose command line contains `word` (Linux /proc). */
export function childrenOf(pid: number, word: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return ppid === pid && readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(word);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** A `steer` process, the leader of its own process group (so a test can end it and its children). */
export interface SteerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly exit: Promise<number | null>;
  stderr(): string;
}

/**
 * Starts `node bin/steer.js …args` in `cwd` with `env` added, in a process group of its own whose
 * id goes into `groups` (for the test's clean-up), collecting its stderr.
 */
export function spawnSteer(
  args: readonly string[],
  options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv; readonly groups: number[] },
): SteerProcess {
  const child = spawn(process.execPath, [STEER_BIN, ...args], {
    cwd: options.cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  options.groups.push(child.pid!);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout!.resume();
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, pid: child.pid!, exit, stderr: () => stderr };
}
