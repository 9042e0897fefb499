/**
 * `steer sweep cancel FILE [--queue URL]`: stops a sweep so that nothing is lost and the same
 * `steer sweep run` (with the same --queue for a queued one) continues it (docs/sweeps.md
 * "Cancelling").
 *
 * - Trained on this machine: the `steer sweep run` its status file names gets SIGTERM, its Ctrl-C
 *   (each child saves its run and stops), and the cancel waits for it to exit, then prints the
 *   counts. Engine: src/main/sweep/cancelLocalSweep.ts.
 * - On a queue (--queue, default the queue the status file records): the sweep is marked cancelled
 *   on Redis, its waiting jobs are removed, and the workers training its runs stop their children
 *   (each saves its run) and end those jobs without another attempt; the command following the sweep
 *   stops. Engine: src/main/sweep/queue/cancelQueuedSweep.ts and sweepCancel.ts.
 *
 * Exit code 0 when the sweep is stopped (or was not running), 1 when it cannot be (a bad file, an
 * unreachable Redis, a runner on another host) or has not stopped within `--wait` seconds.
 */
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { type CommandContext, userPath } from '../cli/context.js';
import { CliError, errorLine } from '../cli/errors.js';
import { integerInRange } from '../cli/options.js';
import {
  formatCounts,
  isSweepRunCommand,
  localCancelPlan,
  type OpenedSweep,
  openSweep,
  processCommandLine,
  readSweepStatus,
  SweepFileError,
  type SweepStatus,
  stopRunner,
  sweepStatusPath,
  sweepStatusRows,
} from '../sweep/index.js';
import {
  cancelQueuedSweep,
  closeRedis,
  connectRedis,
  parseQueueAddress,
  type QueueAddress,
  queueStatusRows,
} from '../sweep/queue/index.js';

/** Options of `steer sweep cancel`. */
export interface SweepCancelOptions {
  /** The queue's Redis URL (default: the queue the status file records). */
  queue?: string;
  /** How long to wait for the runs to save and stop [s]. */
  wait?: number;
}

/** How long a cancel waits for the runs to save and stop by default [s]. */
export const DEFAULT_CANCEL_WAIT_S = 120;

/** Adds the `cancel` subcommand to `sweep`. */
export function registerSweepCancelCommand(
  sweep: Command,
  action: (file: string, options: SweepCancelOptions) => Promise<void>,
): void {
  sweep
    .command('cancel')
    .description(
      'stop a running or queued sweep: its runs save their checkpoints, and the same `sweep run` continues it',
    )
    .argument('<file>', 'sweep file')
    .option('--queue <url>', 'the queue the sweep was queued on (default: the one its status file records)')
    .option(
      '--wait <seconds>',
      `how long to wait for the runs to save and stop (default ${DEFAULT_CANCEL_WAIT_S})`,
      integerInRange(1, 3600),
    )
    .action(action);
}

/** Runs `steer sweep cancel`; returns the exit code (see the header). */
export async function sweepCancelCommand(
  file: string,
  options: SweepCancelOptions,
  ctx: CommandContext,
): Promise<number> {
  let opened: OpenedSweep;
  try {
    opened = await openSweep(userPath(ctx, file), file, (path) => userPath(ctx, path));
  } catch (error) {
    if (!(error instanceof SweepFileError)) throw error;
    for (const line of error.lines) ctx.stderr.write(`${line}\n`);
    return 1;
  }
  const statusPath = sweepStatusPath(userPath(ctx, opened.sweep.runsDir));
  const readStatus = async (): Promise<SweepStatus | null> => {
    try {
      return await readSweepStatus(statusPath);
    } catch (error) {
      throw new CliError(`${(error as Error).message}; move it away to start the status afresh`);
    }
  };
  const status = await readStatus();
  const waitS = options.wait ?? DEFAULT_CANCEL_WAIT_S;
  const url = options.queue ?? status?.queue ?? null;
  if (url !== null) return cancelQueued(opened, url, waitS, readStatus, ctx);
  return cancelLocal(opened, status, waitS, readStatus, ctx);
}

/** Cancels a sweep run by a `steer sweep run` on this machine (see the header). */
async function cancelLocal(
  opened: OpenedSweep,
  status: SweepStatus | null,
  waitS: number,
  readStatus: () => Promise<SweepStatus | null>,
  ctx: CommandContext,
): Promise<number> {
  const { sweep, runs, file } = opened;
  const counts = async (now: SweepStatus | null) =>
    formatCounts(await sweepStatusRows(runs, now, (path) => userPath(ctx, path)));
  const plan = localCancelPlan(status?.runner ?? null);
  if (plan.kind === 'elsewhere') {
    const { pid, host } = plan.runner;
    throw new CliError(
      `sweep ${sweep.name} is run by process ${pid} on ${host}, not on this host (${hostname()}): ` +
        `run 'steer sweep cancel ${file}' there`,
    );
  }
  if (plan.kind === 'self') throw new CliError(`sweep ${sweep.name} is run by this very process`);
  const commandLine = plan.kind === 'signal' ? await processCommandLine(plan.runner.pid) : null;
  if (plan.kind === 'idle' || (commandLine !== null && !isSweepRunCommand(commandLine))) {
    ctx.stdout.write(`sweep ${sweep.name} is not running: nothing to cancel (${await counts(status)})\n`);
    return 0;
  }
  const { pid, executor, startedAt } = plan.runner;
  ctx.stderr.write(
    `sweep ${sweep.name}: SIGTERM sent to process ${pid} (${executor}, since ${startedAt}); ` +
      `waiting up to ${waitS} s for it to save its runs and exit\n`,
  );
  let stopped: boolean;
  try {
    stopped = await stopRunner(pid, { waitMs: waitS * 1000 });
  } catch (error) {
    throw new CliError(errorLine(error));
  }
  if (!stopped) {
    throw new CliError(
      `process ${pid} has not exited within ${waitS} s (still saving its runs, or stuck); ` +
        `'steer sweep status ${file}' shows them, and cancelling again ends it at once ` +
        '(each run keeps its last checkpoint)',
    );
  }
  ctx.stdout.write(
    `sweep ${sweep.name}: cancelled; ${await counts(await readStatus())}; ` +
      `'steer sweep run ${file}' continues it\n`,
  );
  return 0;
}

/** Cancels a queued sweep (see the header). */
async function cancelQueued(
  opened: OpenedSweep,
  url: string,
  waitS: number,
  readStatus: () => Promise<SweepStatus | null>,
  ctx: CommandContext,
): Promise<number> {
  const { sweep, runs, file } = opened;
  let address: QueueAddress;
  try {
    address = parseQueueAddress(url);
  } catch (error) {
    throw new CliError(errorLine(error));
  }
  const connection = await connectRedis(address, { commandMs: 10_000 });
  try {
    const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
    const result = await cancelQueuedSweep({
      connection,
      runs,
      mark: {
        by: `steer sweep cancel, process ${process.pid} on ${hostname()}`,
        at: new Date().toISOString(),
      },
      waitMs: waitS * 1000,
      onRemoved: (removed, training) =>
        ctx.stderr.write(
          `sweep ${sweep.name}: cancelled on the queue ${address.label}: ${plural(removed, 'waiting run')} ` +
            `removed; ${plural(training, 'run')} training` +
            (training === 0 ? '\n' : `, waiting up to ${waitS} s for their workers to save and stop them\n`),
        ),
    });
    if (result.stillRunning.length > 0) {
      throw new CliError(
        `${plural(result.stillRunning.length, 'run')} still training after ${waitS} s ` +
          `(${result.stillRunning.join(', ')}): their workers stop them when they next look at the queue ` +
          `(a killed worker's: once its lock has expired), and no worker starts a run of the sweep; ` +
          `'steer sweep status ${file}' shows them`,
      );
    }
    const resolvePath = (path: string) => userPath(ctx, path);
    const rows = await queueStatusRows(
      connection,
      runs,
      await sweepStatusRows(runs, await readStatus(), resolvePath),
      resolvePath,
    );
    ctx.stdout.write(
      `sweep ${sweep.name}: cancelled; ${formatCounts(rows)}; ` +
        `'steer sweep run ${file} --queue ${address.label}' continues it\n`,
    );
    return 0;
  } finally {
    await closeRedis(connection);
  }
}
