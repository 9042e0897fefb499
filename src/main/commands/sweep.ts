/**
 * `steer sweep run|status|plan FILE`: a sweep file (JSON or YAML, docs/sweeps.md) is algorithms ×
 * envs and scenarios × seeds with one budget and one set of training-config overrides; `plan`
 * prints the runs it expands to, `run` trains them (the local pool of child processes, or with
 * `--queue redis://…` the `steer worker` processes of a BullMQ queue; resumable: a rerun skips
 * finished runs and resumes stopped ones) and records `sweep-status.json` in the runs folder,
 * `status` shows each run's state and progress (from the queue and the run store for a queued
 * sweep). A bad file is one line per problem, `file: field: what was expected, what was found`,
 * and exit code 1. `cancel` (sweepCancel.ts) stops a running or queued sweep, its runs saved.
 * Modules: src/main/sweep/ (the queue: src/main/sweep/queue/).
 */
import type { Command } from 'commander';
import { initBackend } from '../../core/nn/node/backends.js';
import { type CommandContext, EXIT_INTERRUPTED, userPath } from '../cli/context.js';
import { CliError, errorLine } from '../cli/errors.js';
import { integerInRange } from '../cli/options.js';
import {
  formatStatusTable,
  MAX_SWEEP_JOBS,
  type OpenedSweep,
  openSweep,
  runnerAlive,
  SweepFileError,
  type SweepRun,
  type SweepStatus,
  type SweepStatusRow,
  stateCounts,
  sweepStatusRows,
  targetOf,
} from '../sweep/index.js';
import {
  closeRedis,
  connectRedis,
  DEFAULT_RUN_ATTEMPTS,
  parseQueueAddress,
  type QueueAddress,
  QueueError,
  queueStatusRows,
} from '../sweep/queue/index.js';
import {
  assertBatchFree,
  type BatchPlace,
  queuePlace,
  readBatchStatus,
  runSweepBatch,
} from '../sweep/sweepBatch.js';
import { registerSweepBenchCommand, type SweepBenchOptions } from './sweepBench.js';
import { registerSweepCancelCommand, type SweepCancelOptions } from './sweepCancel.js';

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
  cancel: (file: string, options: SweepCancelOptions) => Promise<void>;
}

/** Adds `sweep run`, `sweep status`, `sweep plan`, `sweep bench` and `sweep cancel` to the program. */
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
  registerSweepCancelCommand(sweep, actions.cancel);
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
function readStatus(opened: OpenedSweep, ctx: CommandContext): Promise<SweepStatus | null> {
  return readBatchStatus(opened.sweep.runsDir, (path) => userPath(ctx, path));
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
  const resolvePath = (path: string) => userPath(ctx, path);
  let place: BatchPlace;
  if (options.queue !== undefined) {
    if (options.jobs !== undefined || options.backend !== undefined) {
      throw new CliError(
        '--jobs and --backend are given to the workers with --queue: steer worker --queue <url> --jobs <n> --backend <name>',
      );
    }
    place = queuePlace(options.queue, options.attempts);
  } else {
    if (options.attempts !== undefined) throw new CliError('--attempts: only with --queue');
    place = { kind: 'local', jobs: options.jobs ?? opened.sweep.jobs, backend: '' };
  }
  const queue = place.kind === 'queue' ? place.address.label : null;
  const previous = await readBatchStatus(opened.sweep.runsDir, resolvePath);
  assertBatchFree(previous, opened.sweep, queue, `steer sweep status ${opened.file}`);
  if (place.kind === 'local') {
    // the children are given this concrete name, so every run uses the backend reported here
    const backend = (await initBackend(options.backend, (line) => ctx.stderr.write(`${line}\n`))).name;
    place = { ...place, backend };
  }
  if (ctx.signal?.aborted) {
    ctx.stderr.write('interrupted before any run started: nothing was written\n');
    return EXIT_INTERRUPTED;
  }
  const { sweep, runs } = opened;
  const result = await runSweepBatch(
    {
      name: sweep.name,
      file,
      runsDir: sweep.runsDir,
      runs,
      targetOf: (run) => targetOf(run, opened.targets),
    },
    place,
    previous,
    { stderr: ctx.stderr, resolvePath, signal: ctx.signal, label: 'sweep' },
  );
  if (result.interrupted) {
    ctx.stderr.write(
      queue === null
        ? `interrupted after ${result.outcomes.length}/${runs.length} runs; continue with the same command ` +
            '(finished runs are skipped, stopped ones resumed from their checkpoints)\n'
        : `stopped following after ${result.outcomes.length}/${runs.length} runs: the others stay on the queue ` +
            `${queue} and its workers go on; 'steer sweep status ${file}' shows them, the same command ` +
            'follows them again\n',
    );
    return EXIT_INTERRUPTED;
  }
  const rows = await sweepStatusRows(runs, result.status, resolvePath);
  ctx.stdout.write(`${formatStatusTable(rows)}\n`);
  const failed = result.outcomes.filter((outcome) => outcome.status === 'failed');
  for (const f of failed) ctx.stderr.write(`failed: ${f.id}: ${f.error}\n`);
  return failed.length > 0 ? 1 : 0;
}
