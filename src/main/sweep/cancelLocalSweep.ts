/**
 * `steer sweep cancel` of a sweep trained on this machine: the process its status file names as
 * runner (`steer sweep run`) gets SIGTERM, which is exactly its Ctrl-C (src/main/cli.ts): it starts
 * no new run, its children save their runs at the update they reached and stop, it records them as
 * queued and exits; the same `steer sweep run` continues the sweep. A runner on another host is
 * left to a cancel there, and one that is not alive (or whose pid now belongs to another program,
 * reused after a crash) has nothing to cancel. Only the process itself is signalled, never its
 * group: its children are stopped by it, as on a Ctrl-C.
 */
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { runnerAlive, type SweepRunner } from './sweepStatus.js';

/** What to do with the runner a status file names. */
export type LocalCancelPlan =
  /** No process runs the sweep: nothing to cancel. */
  | { readonly kind: 'idle' }
  /** It runs on another host: cancel it there. */
  | { readonly kind: 'elsewhere'; readonly runner: SweepRunner }
  /** It is the process asking (a command embedded in another): refused. */
  | { readonly kind: 'self'; readonly runner: SweepRunner }
  /** Send it SIGTERM. */
  | { readonly kind: 'signal'; readonly runner: SweepRunner };

/** Where the cancel runs: this host and process. */
export interface CancelSite {
  readonly host: string;
  readonly pid: number;
}

/** The plan for `runner` (see LocalCancelPlan); `alive` says whether a runner of this host lives. */
export function localCancelPlan(
  runner: SweepRunner | null,
  site: CancelSite = { host: hostname(), pid: process.pid },
  alive: (runner: SweepRunner) => boolean = runnerAlive,
): LocalCancelPlan {
  if (runner === null) return { kind: 'idle' };
  if (runner.host !== site.host) return { kind: 'elsewhere', runner };
  if (!alive(runner)) return { kind: 'idle' };
  if (runner.pid === site.pid) return { kind: 'self', runner };
  return { kind: 'signal', runner };
}

/** Whether `args` (a process's command line) is a `steer sweep run`: `… sweep run FILE …`. */
export function isSweepRunCommand(args: readonly string[]): boolean {
  return args.some((arg, index) => arg === 'sweep' && args[index + 1] === 'run');
}

/** The command line of process `pid` (Linux /proc), or null where it cannot be read. */
export async function processCommandLine(pid: number): Promise<string[] | null> {
  try {
    const text = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return text.split('\0').filter((arg) => arg !== '');
  } catch {
    return null;
  }
}

/** Whether process `pid` has ended: no such process, or a zombie its parent has not reaped yet. */
export async function processEnded(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false; // no /proc (not Linux): it exists
  }
}

/** How a runner is stopped. */
export interface StopRunnerOptions {
  /** How long to wait for it to exit [ms]. */
  readonly waitMs: number;
  /** How often to look [ms]; default 100. */
  readonly pollMs?: number;
}

/**
 * Sends SIGTERM to process `pid` and waits until it has ended; true when it did within `waitMs`
 * (or had ended already). A process this user may not signal is an Error saying so.
 */
export async function stopRunner(pid: number, options: StopRunnerOptions): Promise<boolean> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return true;
    throw new Error(`cannot send SIGTERM to process ${pid}: ${code === 'EPERM' ? 'not permitted' : code}`);
  }
  const deadline = Date.now() + options.waitMs;
  while (!(await processEnded(pid))) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100));
  }
  return true;
}
