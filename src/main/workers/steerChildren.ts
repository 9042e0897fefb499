/**
 * Batches of `steer` child processes (`node bin/steer.js …`), at most `jobs` at a time: what
 * `steer table1` and `steer compare` train and evaluate their runs with. Child processes keep runs
 * isolated (a crash or a leak ends with its run) and use every core. On abort no child is started
 * and the running ones get SIGTERM, so they save their runs and stop (a rerun continues them).
 *
 * Signals: the children stay in the parent's process group, so a terminal's Ctrl-C reaches them
 * too, and its SIGHUP or job control as well. Only the parent stops them: a child started here
 * ignores SIGINT (STEER_PARENT_ENV, read in src/main/cli.ts), since the parent's SIGTERM right
 * after it would count as its second signal and end it without saving. If the parent exits with
 * children still running (a second Ctrl-C, or a crash), they are ended too: SIGKILL when they were
 * already told to stop (the second Ctrl-C means "stop now", even in the middle of a long update,
 * whose signal handlers would wait for its end), else SIGTERM (they save and stop rather than
 * train on alone). A parent killed by SIGKILL cannot do this; its children run their runs to the
 * end, unless started with `exitWithParent` (what `steer worker` does, whose runs another worker
 * takes over): then the child is killed when its parent dies, at once where util-linux's setpriv
 * can ask the kernel for it (PR_SET_PDEATHSIG), else by the child itself within a second, at the
 * end of the update it is in (STEER_EXIT_WITH_PARENT_ENV, read in src/main/cli.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { prepareCliBundle, preparedCliBundle } from '../build/cliBundle.js';

/** The `steer` launcher the children run. */
export const STEER_BIN = fileURLToPath(new URL('../../../bin/steer.js', import.meta.url));

/**
 * Environment variable holding the parent's pid in every child: a `steer` process whose parent
 * has that pid ignores SIGINT and is stopped by its parent's SIGTERM alone (src/main/cli.ts). The
 * pid, not a flag, so that a copy of it left in a shell's environment changes nothing.
 */
export const STEER_PARENT_ENV = 'STEER_PARENT_PID';

/**
 * Environment variable set to "1" in a child started with `exitWithParent`: the child kills itself
 * once its parent (STEER_PARENT_ENV) is gone (`watchParent`).
 */
export const STEER_EXIT_WITH_PARENT_ENV = 'STEER_EXIT_WITH_PARENT';

/** util-linux's setpriv, which starts a program with a parent-death signal (Linux only). */
const SETPRIV = '/usr/bin/setpriv';

/** How often a child started with `exitWithParent` checks that its parent lives [ms]. */
const PARENT_CHECK_MS = 500;

/** Children running now, and whether each was told to stop (SIGTERM sent). */
const running = new Map<ChildProcess, { stopping: boolean }>();

/** On the parent's exit: every child still running ends too (see the header). */
function endChildrenOnExit(): void {
  for (const [child, state] of running) child.kill(state.stopping ? 'SIGKILL' : 'SIGTERM');
}

/** What one child printed and how it ended. */
export interface ChildOutput {
  /** Exit code (128 + 15 when it was ended by a signal). */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Update threads for each of `jobs` children running at once on `cores` cores: the cores split
 * evenly, at least one each (the training numbers do not depend on it, only the speed).
 */
export function threadsPerJob(jobs: number, cores = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / jobs));
}

/**
 * Runs `work` on every item with at most `jobs` calls in flight; results in item order. A call
 * that resolves to null was interrupted: its worker stops, and items not started (no call once
 * `signal` is aborted) are left out, as are the interrupted ones.
 */
export async function runBounded<Item, Result>(
  items: readonly Item[],
  jobs: number,
  work: (item: Item, index: number) => Promise<Result | null>,
  options: { readonly signal?: AbortSignal; readonly onResult?: (result: Result) => void } = {},
): Promise<Result[]> {
  const results: (Result | undefined)[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length && !options.signal?.aborted) {
      const index = next++;
      const result = await work(items[index]!, index);
      if (result === null) return; // interrupted
      results[index] = result;
      options.onResult?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
  return results.filter((r): r is Result => r !== undefined);
}

/**
 * Node flags of a child that has one core to itself (`--update-threads 1`, the others busy with
 * its siblings): V8's garbage collection and optimising compiler then work on the main thread
 * instead of its helper threads, and a larger young generation makes fewer collections. Measured
 * on a 60-update matrix run (docs/results/sweep-scaling.md): alone, the helper threads took ~2 s of
 * its ~11 s CPU, so two such children on two cores slowed each other by a quarter; with these flags
 * a child uses one core and two run side by side at nearly the speed of one.
 */
export const ONE_CORE_NODE_FLAGS: readonly string[] = [
  '--single-threaded-gc',
  '--no-concurrent-recompilation',
  '--max-semi-space-size=64',
];

/** How a child is stopped and how it ends with its parent; every field optional. */
export interface SteerChildOptions {
  /** The child has one core: it runs with ONE_CORE_NODE_FLAGS. */
  readonly oneCore?: boolean;
  /** On abort the child gets SIGKILL: it stops at once and saves nothing (its run keeps its last checkpoint). */
  readonly kill?: AbortSignal;
  /** The child dies with this process, even when this one is killed by SIGKILL (see the header). */
  readonly exitWithParent?: boolean;
}

/** The program and arguments that start `steer …args`, wrapped in setpriv for `exitWithParent` on Linux. */
export function childCommand(args: readonly string[], options: SteerChildOptions): [string, string[]] {
  const entry = preparedCliBundle() ?? STEER_BIN; // the one-file CLI once runSteerChild has built it
  const steer = [...(options.oneCore === true ? ONE_CORE_NODE_FLAGS : []), entry, ...args];
  const exitWithParent = options.exitWithParent === true;
  if (exitWithParent && process.platform === 'linux' && existsSync(SETPRIV)) {
    return [SETPRIV, ['--pdeathsig', 'KILL', '--', process.execPath, ...steer]];
  }
  return [process.execPath, steer];
}

/**
 * Runs `node bin/steer.js …args` (from the one-file CLI when it can be built: build/cliBundle.ts),
 * collecting its output; SIGTERM to it when `signal` aborts (it saves
 * and stops), SIGKILL when `options.kill` does, and it ends with this process (see the header).
 */
export async function runSteerChild(
  args: readonly string[],
  signal?: AbortSignal,
  options: SteerChildOptions = {},
): Promise<ChildOutput> {
  await prepareCliBundle(); // childCommand starts the one-file CLI once it is built
  return new Promise((resolvePromise, reject) => {
    const [program, programArgs] = childCommand(args, options);
    const child: ChildProcess = spawn(program, programArgs, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        [STEER_PARENT_ENV]: String(process.pid),
        ...(options.exitWithParent === true && { [STEER_EXIT_WITH_PARENT_ENV]: '1' }),
      },
    });
    const state = { stopping: false };
    if (running.size === 0) process.on('exit', endChildrenOnExit);
    running.set(child, state);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const stop = () => {
      state.stopping = true;
      child.kill('SIGTERM');
    };
    const kill = () => {
      state.stopping = true;
      child.kill('SIGKILL');
    };
    const forget = () => {
      signal?.removeEventListener('abort', stop);
      options.kill?.removeEventListener('abort', kill);
      running.delete(child);
      if (running.size === 0) process.off('exit', endChildrenOnExit);
    };
    if (options.kill?.aborted) kill();
    else options.kill?.addEventListener('abort', kill, { once: true });
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop, { once: true });
    child.on('error', (error) => {
      forget();
      reject(error);
    });
    child.on('close', (code, killedBy) => {
      forget();
      resolvePromise({ code: code ?? (killedBy === null ? 1 : 128 + 15), stdout, stderr });
    });
  });
}

/**
 * In a child started with `exitWithParent` (STEER_EXIT_WITH_PARENT_ENV set, STEER_PARENT_ENV naming
 * its parent): checks now and twice a second, between the child's updates, that the parent still
 * lives (is this process's parent), and kills this process (SIGKILL: no save, as if killed with its
 * parent) once it is gone. Nothing otherwise. The timer does not keep the process alive.
 */
export function watchParent(env: NodeJS.ProcessEnv = process.env): void {
  const parent = env[STEER_PARENT_ENV];
  if (env[STEER_EXIT_WITH_PARENT_ENV] !== '1' || parent === undefined) return;
  const check = () => {
    if (String(process.ppid) !== parent) process.kill(process.pid, 'SIGKILL');
  };
  check(); // the parent may have died before this process got here
  setInterval(check, PARENT_CHECK_MS).unref();
}

/** The last line of a child's stdout parsed as JSON, or null if it is not JSON. */
export function lastJsonLine(stdout: string): unknown {
  const line = stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return null;
  }
}

/** "exit code 1: <the child's last stderr line>", for a failed child's one-line report. */
export function childFailure(output: ChildOutput): string {
  const lastLine = output.stderr.trim().split('\n').at(-1) ?? '';
  return `exit code ${output.code}${lastLine === '' ? '' : `: ${lastLine}`}`;
}
