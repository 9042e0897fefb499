/**
 * `steer sweep bench`: issue #13's scaling figures. A generated sweep of N short runs, timed with
 * the local pool and (with a redis-server) on a private queue at 1, 2 and 4 worker processes, each
 * child on one update thread; a table of wall time, runs/min, speed-up and efficiency, the queue's
 * overhead per run, and with --markdown a results card (command, date, machine), as `steer bench`
 * writes its own. Engine: src/main/bench/sweepBench.ts.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { initBackend } from '../../core/nn/node/backends.js';
import {
  benchCores,
  DEFAULT_BENCH_WORKERS,
  formatOverhead,
  formatScalingTable,
  formatSweepBenchCard,
  runSweepBench,
  type SweepBenchPlan,
  scalingRows,
} from '../bench/sweepBench.js';
import { type CommandContext, EXIT_INTERRUPTED, userPath } from '../cli/context.js';
import { CliError } from '../cli/errors.js';
import { commandLine, describeMachine } from '../cli/invocation.js';
import { collect, commaList, integerInRange, parseSetOverrides } from '../cli/options.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { MAX_SWEEP_JOBS } from '../sweep/index.js';
import { REDIS_SERVER } from '../sweep/queue/index.js';

/** Options of `steer sweep bench`. */
export interface SweepBenchOptions {
  runs: number;
  updates: number;
  algo: string;
  env: string;
  set?: string[];
  workers?: string[];
  rounds: number;
  /** true: --queue (fail without redis-server); false: --no-queue; undefined: when redis-server exists. */
  queue?: boolean;
  backend?: string;
  json?: boolean;
  markdown?: string;
}

/** Default runs of the generated sweep (issue #13). */
export const DEFAULT_BENCH_RUNS = 40;
/** Default PPO updates of each run: a few seconds on one thread. */
export const DEFAULT_BENCH_UPDATES = 10;

/** Adds the `bench` subcommand to `sweep`. */
export function registerSweepBenchCommand(
  sweep: Command,
  action: (options: SweepBenchOptions) => Promise<void>,
): void {
  sweep
    .command('bench')
    .description(
      'time a generated sweep of short runs at 1, 2 and 4 worker processes (local pool, and a private queue when redis-server is installed): speed-up, efficiency, queue overhead per run',
    )
    .option('--runs <n>', 'runs of the sweep', integerInRange(1, 10_000), DEFAULT_BENCH_RUNS)
    .option(
      '--updates <n>',
      'PPO updates of each run (a few seconds each)',
      integerInRange(1, 100_000),
      DEFAULT_BENCH_UPDATES,
    )
    .option('--algo <name>', 'algorithm of every run', 'steer')
    .option('--env <name>', 'env of every run', 'matrix:penalty0')
    .option('--set <key=value>', 'training config override for every run (repeatable)', collect)
    .option('--workers <list>', 'comma-separated worker counts (default 1,2,4)', commaList)
    .option(
      '--rounds <n>',
      'rounds over the worker counts, forward then backward (1,2,4,4,2,1): each wall time is the mean, and a drifting machine weighs on every count alike',
      integerInRange(1, 10),
      1,
    )
    .option(
      '--queue',
      `also time the sweep on a private queue (a redis-server on a free loopback port; $REDIS_SERVER or ${REDIS_SERVER}); default: when that binary exists`,
    )
    .option('--no-queue', 'the local pool only')
    .option(
      '--backend <name>',
      'tfjs-node-gpu, tfjs-node, wasm, cpu or auto (default: $STEER_BACKEND or auto)',
    )
    .option('--json', 'one JSON line per sweep timed, then one for the queue overhead, instead of the table')
    .option('--markdown <file>', "also write a results card (issue #13's: sweep-scaling.md in docs/results/)")
    .action(action);
}

/**
 * The worker counts of --workers (default 1, 2, 4), each a whole number in 1..MAX_SWEEP_JOBS and
 * each once: a count given twice would time its sweep's folder again, every run already finished.
 */
export function parseWorkerCounts(items: readonly string[] | undefined): number[] {
  if (items === undefined || items.length === 0) return [...DEFAULT_BENCH_WORKERS];
  const counts = items.map((item) => {
    const n = Number(item);
    if (!Number.isInteger(n) || n < 1 || n > MAX_SWEEP_JOBS) {
      throw new CliError(`--workers: expected whole numbers in 1..${MAX_SWEEP_JOBS}, received "${item}"`);
    }
    return n;
  });
  const twice = counts.find((n, i) => counts.indexOf(n) !== i);
  if (twice !== undefined) throw new CliError(`--workers: ${twice} is given twice; give each count once`);
  return counts;
}

/** Runs `steer sweep bench`; returns the exit code (1 if any run failed, 130 when interrupted). */
export async function sweepBenchCommand(
  options: SweepBenchOptions,
  ctx: CommandContext,
  argv: readonly string[],
): Promise<number> {
  const workers = parseWorkerCounts(options.workers);
  const fixed = (options.set ?? []).find((item) => /^\s*(seed|algo)\s*=/.test(item));
  if (fixed !== undefined) {
    throw new CliError(`--set ${fixed}: the runs are seeds 1..--runs of --algo`);
  }
  const overrides: SweepBenchPlan['overrides'] = parseSetOverrides(options.set ?? []);
  const binaryExists = existsSync(REDIS_SERVER);
  if (options.queue === true && !binaryExists) {
    throw new CliError(
      `--queue: ${REDIS_SERVER} not found; install Debian's redis-server (apt-get install -y redis-server) or set REDIS_SERVER=<path>`,
    );
  }
  const redisServer = (options.queue ?? binaryExists) && binaryExists ? REDIS_SERVER : null;
  const machine = describeMachine(); // before the load we add
  const date = new Date().toISOString();
  const cores = benchCores();
  const log = (line: string) => ctx.stderr.write(`${line}\n`);
  const backend = (await initBackend(options.backend, log)).name;
  const plan: SweepBenchPlan = {
    runs: options.runs,
    algo: options.algo,
    env: options.env,
    updates: options.updates,
    overrides,
    workers,
    rounds: options.rounds,
    redisServer,
    backend,
  };
  log(
    `sweep bench: ${plan.runs} runs of ${plan.algo} on ${plan.env}, ${plan.updates} updates each; ` +
      `workers ${workers.join(', ')}; local pool${redisServer === null ? ' only' : ' and queue'}; ${cores} cores` +
      `; ${plan.rounds} round${plan.rounds === 1 ? '' : 's'}`,
  );
  const { timings, overhead } = await runSweepBench(
    plan,
    (line) => log(`sweep bench: ${line}`),
    undefined,
    ctx.signal,
  );
  if (ctx.signal?.aborted) {
    log('sweep bench: interrupted; nothing written');
    return EXIT_INTERRUPTED;
  }
  const rows = scalingRows(timings, cores);
  if (options.json) {
    for (const row of rows) ctx.stdout.write(`${JSON.stringify({ figure: 'sweep', ...row, cores })}\n`);
    ctx.stdout.write(
      `${JSON.stringify({ figure: 'queue-overhead', unit: 'ms', ...(overhead ?? { mean: null, median: null, max: null, count: 0 }) })}\n`,
    );
  } else {
    ctx.stdout.write(`${formatScalingTable(rows)}\n${formatOverhead(overhead)}\n`);
  }
  if (options.markdown !== undefined) {
    const card = formatSweepBenchCard(rows, overhead, {
      command: commandLine(argv),
      date,
      machine,
      cores,
      plan,
    });
    await writeFileAtomic(userPath(ctx, options.markdown), card);
    log(`wrote ${options.markdown}`);
  }
  const failed = timings.reduce((sum, t) => sum + t.failed, 0);
  if (failed > 0) {
    log(`sweep bench: ${failed} run${failed === 1 ? '' : 's'} failed: the figures are not a measurement`);
    return 1;
  }
  return 0;
}
