/**
 * `steer sweep run|status|plan FILE`: a sweep file (JSON or YAML, docs/sweeps.md) is algorithms ×
 * envs and scenarios × seeds with one budget and one set of training-config overrides; `plan`
 * prints the runs it expands to, `run` trains them (the local pool of child processes, or with
 * `--queue redis://…` the `steer worker` processes of a BullMQ queue; resumable: a rerun skips
 * finished runs and resumes stopped ones) and records `sweep-status.json` in the runs folder,
 * `status` shows each run's state and progress (from the queue and the run store for a queued
 * sweep). A bad file is one line per problem, `file: field: what was expected, what was found`,
 * and exit code 1. Modules: src/main/sweep/ (the queue: src/main/sweep/queue/).
 */
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { initBackend } from '../../core/nn/node/backends.js';
import { type CommandContext, EXIT_INTERRUPTED, userPath } from '../cli/context.js';
import { CliError, errorLine } from '../cli/errors.js';
import { integerInRange } from '../cli/options.js';
import { batchProgress, createProgress, type Progress } from '../cli/progress.js';
import {
  formatStatusTable,
  LocalPool,
  MAX_SWEEP_JOBS,
  type OpenedSweep,
  openSweep,
  readSweepStatus,
  runnerAlive,
  type SweepEvents,
  type SweepExecutor,
  SweepFileError,
  type SweepRun,
  type SweepRunOutcome,
  type SweepStatus,
  SweepStatusRecorder,
  type SweepStatusRow,
  stateCounts,
  sweepStatusPath,
  sweepStatusRows,
  targetOf,
} from '../sweep/index.js';
import {
  closeRedis,
  codeVersion,
  connectRedis,
  DEFAULT_RUN_ATTEMPTS,
  parseQueueAddress,
  type QueueAddress,
  QueueError,
  QueueExecutor,
  queueStatusRows,
} from '../sweep/queue/index.js';
import { registerSweepBenchCommand, type SweepBenchOptions } from './sweepBench.js';

/** Options of `steer sweep run`. */
export interface SweepRunOptions {
  jobs?: number;
  backend?: string;
  /** The queue's Redis URL: the runs go to `steer worker` processes instead of local children. */
  queue?: string;
  /** Attempts of each queued run. */
  attempts?: number;
}

/** Options of `steer sweep status` and `steer sweep plan`. */
export interface SweepShowOptions {
  json?: boolean;
  /** `status`: the queue to read the runs' states from (default: the one the sweep was queued on). */
  queue?: string;
}

/** What the `sweep` subcommands do when commander calls them. */
export interface SweepCommandActions {
  run: (file: string, options: SweepRunOptions) => Promise<void>;
  status: (file: string, options: SweepShowOptions) => Promise<void>;
  plan: (file: string, options: SweepShowOptions) => Promise<void>;
  bench: (options: SweepBenchOptions) => Promise<void>;
}

/** Adds `sweep run`, `sweep status` and `sweep plan` to the program. */
export function registerSweepCommand(program: Command, actions: SweepCommandActions): void {
  const sweep = program
    .command('sweep')
    .description('run a sweep file: algorithms × envs × seeds, resumable (format in docs/sweeps.md)');
  sweep
    .command('run')
    .description('train every run of the sweep (a rerun skips finished runs and resumes stopped ones)')
    .argument('<file>', 'sweep file, .json, .yaml or .yml, e.g. sweeps/matrix-penalty.yaml')
    .option(
      '--jobs <n>',
      "runs at the same time (child processes; default the file's jobs, else 2)",
      integerInRange(1, MAX_SWEEP_JOBS),
    )
    .option(
      '--backend <name>',
      'tfjs-node-gpu, tfjs-node, wasm, cpu or auto (default: $STEER_BACKEND or auto)',
    )
    .option(
      '--queue <url>',
      'hand the runs to `steer worker` processes through the BullMQ queue on this Redis, e.g. redis://host:6379',
    )
    .option(
      '--attempts <n>',
      `with --queue: tries of each run before it counts as failed (default ${DEFAULT_RUN_ATTEMPTS})`,
      integerInRange(1, 100),
    )
    .action(actions.run);
  sweep
    .command('status')
    .description("each run's state (queued, running, done, failed), update and progress bar, then the counts")
    .argument('<file>', 'sweep file')
    .option('--json', 'one JSON object instead of the table')
    .option('--queue <url>', 'read the runs from this queue (default: the one the sweep was queued on)')
    .action(actions.status);
  sweep
    .command('plan')
    .description('the runs the sweep expands to, with their ids and folders, without running them')
    .argument('<file>', 'sweep file')
    .option('--json', 'one JSON line per run (the run descriptions an executor takes)')
    .action(actions.plan);
  registerSweepBenchCommand(sweep, actions.bench);
}

/** The sweep in `file`, or its problems on stderr (one line each) and null. */
async function openOrReport(file: string, ctx: CommandContext): Promise<OpenedSweep | null> {
  try {
    return await openSweep(userPath(ctx, file), file, (path) => userPath(ctx, path));
  } catch (error) {
    if (!(error instanceof SweepFileError)) throw error;
    for (const line of error.lines) ctx.stderr.write(`${line}\n`);
    return null;
  }
}

/** How a run's env reads in a table: the registry name, or the scenario file and density. */
function envLabel(run: SweepRun): string {
  if (run.scenario === null) return run.env!;
  return run.scenario.density === null
    ? run.scenario.file
    : `${run.scenario.file} at density ${run.scenario.density}`;
}

/** Runs `steer sweep plan`: the runs, as a table or as JSON lines. */
export async function sweepPlanCommand(
  file: string,
  options: SweepShowOptions,
  ctx: CommandContext,
): Promise<number> {
  const opened = await openOrReport(file, ctx);
  if (opened === null) return 1;
  if (options.json) {
    for (const run of opened.runs) ctx.stdout.write(`${JSON.stringify(run)}\n`);
    return 0;
  }
  const { sweep, runs } = opened;
  const header = ['run', 'env', 'seed', 'updates', 'folder'];
  const rows = runs.map((run) => [run.id, envLabel(run), String(run.seed), String(run.updates), run.runDir]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const envs = sweep.envs.length + sweep.scenarios.length;
  ctx.stdout.write(
    `sweep ${sweep.name}: ${count(runs.length, 'run')} (${count(sweep.algos.length, 'algorithm')} × ` +
      `${count(envs, 'env')} × ${count(sweep.seeds.length, 'seed')})\n` +
      `${[line(header), ...rows.map(line)].join('\n')}\n`,
  );
  return 0;
}

/** The status file of `opened`'s runs folder (null: none yet); a damaged one is a CliError. */
async function readStatus(opened: OpenedSweep, ctx: CommandContext): Promise<SweepStatus | null> {
  try {
    return await readSweepStatus(sweepStatusPath(userPath(ctx, opened.sweep.runsDir)));
  } catch (error) {
    throw new CliError(`${(error as Error).message}; move it away to start the status afresh`);
  }
}

/** Runs `steer sweep status`: the table (or JSON) of every run's state. */
export async function sweepStatusCommand(
  file: string,
  options: SweepShowOptions,
  ctx: CommandContext,
): Promise<number> {
  const opened = await openOrReport(file, ctx);
  if (opened === null) return 1;
  const status = await readStatus(opened, ctx);
  const resolvePath = (path: string) => userPath(ctx, path);
  let rows = await sweepStatusRows(opened.runs, status, resolvePath);
  const queueUrl = options.queue ?? status?.queue ?? null;
  const queue = queueUrl === null ? null : queueAddress(queueUrl);
  if (queue !== null) rows = await withQueue(rows, opened, queue, options.queue !== undefined, ctx);
  const runner = status !== null && runnerAlive(status.runner) ? status.runner : null;
  const { name, runsDir } = opened.sweep;
  if (options.json) {
    const counts = stateCounts(rows);
    const queueLabel = queue?.label ?? null;
    ctx.stdout.write(
      `${JSON.stringify({ sweep: name, file, runsDir, queue: queueLabel, runner, counts, runs: rows })}\n`,
    );
    return 0;
  }
  const follower =
    runner === null ? null : `process ${runner.pid} on ${runner.host} since ${runner.startedAt}`;
  const running =
    queue !== null
      ? `on the queue ${queue.label}${follower === null ? '' : `, followed by ${follower}`}`
      : runner === null
        ? 'not running'
        : `running: ${runner.executor}, ${follower}`;
  ctx.stdout.write(`sweep ${name} (${file}), runs in ${runsDir}; ${running}\n${formatStatusTable(rows)}\n`);
  return 0;
}

/**
 * `rows` with the states of the queue's jobs; a queue that cannot be reached is an error when named
 * by --queue, and a note (the rows of the status file and run store shown) when recorded.
 */
async function withQueue(
  rows: SweepStatusRow[],
  opened: OpenedSweep,
  address: QueueAddress,
  named: boolean,
  ctx: CommandContext,
): Promise<SweepStatusRow[]> {
  let connection: Awaited<ReturnType<typeof connectRedis>>;
  try {
    connection = await connectRedis(address, { commandMs: 10_000 });
  } catch (error) {
    if (named || !(error instanceof QueueError)) throw error;
    ctx.stderr.write(`${error.message}; showing the status file and the run store only\n`);
    return rows;
  }
  try {
    return await queueStatusRows(connection, opened.runs, rows, (path) => userPath(ctx, path));
  } finally {
    await closeRedis(connection);
  }
}

/** A `--queue` address, or a CliError saying what is wrong with it. */
function queueAddress(url: string): QueueAddress {
  try {
    return parseQueueAddress(url);
  } catch (error) {
    throw new CliError(errorLine(error));
  }
}

/**
 * Runs `steer sweep run`; returns the exit code: 0 every run done, 1 if any failed, 130 interrupted
 * (every child saved its run; the same command continues; a queued sweep's runs go on on the workers).
 */
export async function sweepRunCommand(
  file: string,
  options: SweepRunOptions,
  ctx: CommandContext,
): Promise<number> {
  const opened = await openOrReport(file, ctx);
  if (opened === null) return 1;
  if (options.queue !== undefined) return queuedSweepRun(opened, options.queue, options, ctx);
  const previous = await readStatus(opened, ctx);
  assertSweepFree(previous, opened, null);
  // the children are given this concrete name, so every run uses the backend reported here
  const backend = (await initBackend(options.backend, (line) => ctx.stderr.write(`${line}\n`))).name;
  if (ctx.signal?.aborted) {
    ctx.stderr.write('interrupted before any run started: nothing was written\n');
    return EXIT_INTERRUPTED;
  }
  const executor: SweepExecutor = new LocalPool({
    jobs: options.jobs ?? opened.sweep.jobs,
    backend,
    resolvePath: (path) => userPath(ctx, path),
    targetOf: (run) => targetOf(run, opened.targets),
  });
  return runSweep(opened, executor, previous, null, ctx);
}

/** `steer sweep run --queue`: the runs go to the queue's workers, and are followed until they end. */
async function queuedSweepRun(
  opened: OpenedSweep,
  url: string,
  options: SweepRunOptions,
  ctx: CommandContext,
): Promise<number> {
  if (options.jobs !== undefined || options.backend !== undefined) {
    throw new CliError(
      '--jobs and --backend are given to the workers with --queue: steer worker --queue <url> --jobs <n> --backend <name>',
    );
  }
  const address = queueAddress(url);
  const previous = await readStatus(opened, ctx);
  assertSweepFree(previous, opened, address.label);
  const log = (line: string) => ctx.stderr.write(`${line}\n`);
  const version = await codeVersion();
  const connection = await connectRedis(address, { log });
  try {
    const executor = new QueueExecutor({
      connection,
      address,
      codeVersion: version,
      attempts: options.attempts ?? DEFAULT_RUN_ATTEMPTS,
      resolvePath: (path) => userPath(ctx, path),
      targetOf: (run) => targetOf(run, opened.targets),
      log,
    });
    return await runSweep(opened, executor, previous, address.label, ctx);
  } finally {
    await closeRedis(connection);
  }
}

/** Runs `opened` with `executor`, recording the status file; prints the table and the failures. */
async function runSweep(
  opened: OpenedSweep,
  executor: SweepExecutor,
  previous: SweepStatus | null,
  queue: string | null,
  ctx: CommandContext,
): Promise<number> {
  const { sweep, runs, file } = opened;
  const statusPath = sweepStatusPath(userPath(ctx, sweep.runsDir));
  const runner = {
    pid: process.pid,
    host: hostname(),
    executor: executor.description,
    startedAt: new Date().toISOString(),
  };
  const recorder = new SweepStatusRecorder(
    statusPath,
    { name: sweep.name, file, runs, ...(queue !== null && { queue }) },
    runner,
    previous,
  );
  try {
    await recorder.flush(); // a runs folder that cannot be written stops the sweep before any run
  } catch (error) {
    throw new CliError(`cannot write ${statusPath}: ${errorLine(error)}; nothing was run`);
  }
  ctx.stderr.write(
    `sweep ${sweep.name}: ${runs.length} runs, ${executor.description}, in ${sweep.runsDir}\n`,
  );
  const outcomes = await executeWithProgress(executor, runs, recorder, ctx);
  await recorder.finish();
  if (ctx.signal?.aborted) {
    ctx.stderr.write(
      queue === null
        ? `interrupted after ${outcomes.length}/${runs.length} runs; continue with the same command ` +
            '(finished runs are skipped, stopped ones resumed from their checkpoints)\n'
        : `stopped following after ${outcomes.length}/${runs.length} runs: the others stay on the queue ` +
            `${queue} and its workers go on; 'steer sweep status ${file}' shows them, the same command ` +
            'follows them again\n',
    );
    return EXIT_INTERRUPTED;
  }
  const rows = await sweepStatusRows(runs, recorder.current, (path) => userPath(ctx, path));
  ctx.stdout.write(`${formatStatusTable(rows)}\n`);
  const failed = outcomes.filter((outcome) => outcome.status === 'failed');
  for (const f of failed) ctx.stderr.write(`failed: ${f.id}: ${f.error}\n`);
  return failed.length > 0 ? 1 : 0;
}

/**
 * Refuses a runs folder another live process is running, one holding another sweep's status, and a
 * queued sweep run here (`queue` null) while its runs may still be on the queue.
 */
function assertSweepFree(previous: SweepStatus | null, opened: OpenedSweep, queue: string | null): void {
  if (previous === null) return;
  const { name, runsDir } = opened.sweep;
  const runner = previous.runner;
  if (runner !== null && runner.pid !== process.pid && runnerAlive(runner)) {
    throw new CliError(
      `${runsDir}: sweep ${previous.sweep} is being run by process ${runner.pid} on ${runner.host} since ` +
        `${runner.startedAt}; wait for it or stop it (Ctrl-C there saves its runs). If that process is ` +
        `gone, remove ${runsDir}/sweep-status.json (the run folders keep every run's state)`,
    );
  }
  if (previous.sweep !== name) {
    throw new CliError(
      `${runsDir} holds the runs of sweep "${previous.sweep}", not "${name}"; give this sweep another runsDir`,
    );
  }
  if (previous.queue !== null && queue === null) {
    throw new CliError(
      `${runsDir}: sweep ${name} was queued on ${previous.queue}; continue it with --queue ${previous.queue}. ` +
        `To train it on this machine instead, once 'steer sweep status ${opened.file}' shows no run queued or ` +
        `running there, remove ${runsDir}/sweep-status.json (the run folders keep every run's state)`,
    );
  }
}

/** Runs the sweep with a progress line of runs ended out of all, recording every event. */
async function executeWithProgress(
  executor: SweepExecutor,
  runs: readonly SweepRun[],
  recorder: SweepStatusRecorder,
  ctx: CommandContext,
): Promise<SweepRunOutcome[]> {
  const progress: Progress = createProgress(ctx.stderr, 'sweep');
  const tally = batchProgress(progress, runs.length);
  const events: SweepEvents = {
    onStart: (run, action) => recorder.started(run, action),
    onStopped: (run, update) => recorder.stopped(run, update),
    onOutcome: (_run, outcome) => {
      recorder.ended(outcome);
      tally.record(outcome);
    },
  };
  try {
    return await executor.execute(runs, events, ctx.signal);
  } finally {
    progress.stop();
    await recorder.flush();
  }
}
