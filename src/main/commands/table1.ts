/**
 * `steer table1`: trains every (algorithm, game, seed) of the paper's Table 1 in child processes
 * (--algos: names of src/core/algos/registry.ts, default steer), judges each run by
 * docs/spec/steer.md §c.7, prints the table, one row per algorithm beside the paper's figures, and
 * writes the results card (docs/results/table1.md by default, atomically) with the exact command
 * that made it.
 */
import type { Command } from 'commander';
import { TRAIN_LIMITS } from '../../core/algos/config.js';
import { ALGORITHM_NAMES, algorithmNamed } from '../../core/algos/registry.js';
import { TABLE1_GAMES, type Table1Game } from '../../core/envs/matrix/targets.js';
import { initBackend } from '../../core/nn/node/backends.js';
import { type CommandContext, EXIT_INTERRUPTED, userPath } from '../cli/context.js';
import { CliError, errorLine } from '../cli/errors.js';
import { commandLine, describeMachine } from '../cli/invocation.js';
import { collect, commaList, integerAtLeast, integerInRange, parseSetOverrides } from '../cli/options.js';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomicWrite.js';
import { registryTarget, type SweepRun } from '../sweep/index.js';
import { DEFAULT_RUN_ATTEMPTS } from '../sweep/queue/index.js';
import {
  assertBatchFree,
  type BatchPlace,
  batchSweepName,
  type QueuePlace,
  queuePlace,
  readBatchStatus,
  runSweepBatch,
} from '../sweep/sweepBatch.js';
import { planTable1, type Table1Job } from '../table1/table1Plan.js';
import {
  formatTable1,
  formatTable1Report,
  summarizeTable1,
  type Table1RunResult,
} from '../table1/table1Report.js';
import {
  failedTable1Run,
  judgeTable1Run,
  type Table1Request,
  table1SweepRuns,
} from '../table1/table1Sweep.js';
import { OTHER_RUNS_DIR } from '../train/runMatch.js';
import { canonicalEnvName, planTrainConfig, RunPlanError } from '../train/runPlan.js';

/** Default results card. */
export const DEFAULT_TABLE1_RESULTS = 'docs/results/table1.md';

/** Options of `steer table1`. */
export interface Table1Options {
  algos?: string[];
  seeds: number;
  games?: string[];
  jobs: number;
  json?: string;
  backend?: string;
  runsDir?: string;
  results: string;
  updates?: number;
  referenceQuirks?: boolean;
  set?: string[];
  queue?: string;
  attempts?: number;
}

/** Adds `table1` to the program. */
export function registerTable1Command(
  program: Command,
  run: (options: Table1Options) => Promise<void>,
): void {
  program
    .command('table1')
    .description(
      "reproduce the paper's Table 1 rows: train every algorithm on every game for seeds 1..N and count convergence",
    )
    .option(
      '--algos <names>',
      `comma-separated algorithms (default steer): ${ALGORITHM_NAMES.join(',')}`,
      commaList,
    )
    .option('--seeds <n>', 'seeds per game (1..n)', integerAtLeast(1), 20)
    .option(
      '--games <keys>',
      `comma-separated games (default all): ${TABLE1_GAMES.map((g) => g.key).join(',')}`,
      commaList,
    )
    .option('--jobs <n>', 'runs at the same time (child processes)', integerAtLeast(1), 2)
    .option('--json <file>', "also write every run's raw result as JSON")
    .option(
      '--backend <name>',
      'tfjs-node-gpu, tfjs-node, wasm, cpu or auto (default: $STEER_BACKEND or auto)',
    )
    .option(
      '--runs-dir <dir>',
      'folder for the run folders (default runs/table1-<date>; an existing one is continued)',
    )
    .option('--results <file>', 'results card to write', DEFAULT_TABLE1_RESULTS)
    .option(
      '--updates <n>',
      `PPO updates per run instead of the preset (at most ${TRAIN_LIMITS.updates})`,
      integerInRange(1, TRAIN_LIMITS.updates),
    )
    .option('--reference-quirks', "reproduce the reference code's quirks (docs/spec/steer.md §e)")
    .option('--set <key=value>', 'training config override for every run (repeatable)', collect)
    .option(
      '--queue <url>',
      'hand the runs to `steer worker` processes through the BullMQ queue on this Redis, e.g. redis://host:6379 (--jobs is then theirs)',
    )
    .option(
      '--attempts <n>',
      `with --queue: tries of each run before it counts as failed (default ${DEFAULT_RUN_ATTEMPTS})`,
      integerInRange(1, 100),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  steer table1 --seeds 20 --games penalty0,penalty-100 --jobs 2 --json runs/table1.json\n' +
        '  steer table1 --algos steer,mappo --seeds 20 --runs-dir runs/table1-baselines',
    )
    .action(run);
}

/** The games named by --games (default all), in the paper's order; unknown keys are a CliError. */
export function selectGames(keys: readonly string[] | undefined): Table1Game[] {
  if (keys === undefined || keys.length === 0) return [...TABLE1_GAMES];
  const known = new Set(TABLE1_GAMES.map((g) => g.key));
  const unknown = keys.filter((k) => !known.has(k));
  if (unknown.length > 0) {
    throw new CliError(
      `--games: unknown game ${unknown.map((k) => `"${k}"`).join(', ')}; valid games: ${[...known].join(', ')}`,
    );
  }
  return TABLE1_GAMES.filter((g) => keys.includes(g.key));
}

/**
 * The algorithms named by --algos (default steer), in the order given, each once; a name the
 * registry lacks is a CliError listing those it has.
 */
export function selectAlgorithms(names: readonly string[] | undefined): string[] {
  if (names === undefined || names.length === 0) return ['steer'];
  for (const name of names) {
    try {
      algorithmNamed(name);
    } catch (error) {
      throw new CliError(`--algos: ${(error as Error).message}`);
    }
  }
  return [...new Set(names)];
}

/**
 * Checks the --set items for every child now (not in every child): the algorithm is --algos's, and
 * every (algorithm, game) must make a valid config. Returns what the runs are planned with.
 */
function checkSetItems(
  items: readonly string[],
  options: Table1Options,
  algos: readonly string[],
  games: readonly Table1Game[],
): Table1Request {
  const overrides = parseSetOverrides(items);
  if (Object.hasOwn(overrides, 'algo')) {
    const item = items.find((i) => i.slice(0, i.indexOf('=')).trim() === 'algo')!;
    throw new CliError(`--set ${item}: name the algorithms with --algos (e.g. --algos steer,mappo)`);
  }
  const request = { overrides, updates: options.updates, referenceQuirks: options.referenceQuirks };
  for (const algo of algos) {
    for (const game of games) {
      try {
        planTrainConfig(canonicalEnvName(game.envName), { ...request, algo }, 1);
      } catch (error) {
        if (!(error instanceof RunPlanError)) throw error;
        throw new CliError(`--set: ${error.message}`);
      }
    }
  }
  return request;
}

/** Runs `steer table1`; returns the exit code (1 if any run failed, 130 if interrupted). */
export async function table1Command(
  options: Table1Options,
  ctx: CommandContext,
  argv: readonly string[],
): Promise<number> {
  const algos = selectAlgorithms(options.algos);
  const games = selectGames(options.games);
  const request = checkSetItems(options.set ?? [], options, algos, games);
  const place: QueuePlace | null =
    options.queue === undefined ? null : queuePlace(options.queue, options.attempts);
  if (place === null && options.attempts !== undefined) throw new CliError('--attempts: only with --queue');
  const date = new Date();
  const machine = describeMachine();
  const runsDirShown =
    options.runsDir ?? `runs/table1-${date.toISOString().slice(0, 19).replaceAll(':', '-')}`;
  const resolvePath = (path: string) => userPath(ctx, path);
  const jobs = planTable1(algos, games, options.seeds, runsDirShown);
  const name = batchSweepName(runsDirShown, 'table1');
  const runs = table1SweepRuns(jobs, request, name, runsDirShown);
  const previous = await readBatchStatus(runsDirShown, resolvePath);
  assertBatchFree(
    previous,
    { name, runsDir: runsDirShown },
    place?.address.label ?? null,
    'steer table1 … with the same --queue',
  );
  // the children are given this concrete name, so every run uses the backend reported here; the
  // runs are judged in this process on it too
  const backend = (await initBackend(options.backend, (line) => ctx.stderr.write(`${line}\n`))).name;
  ctx.stderr.write(
    `table1: ${jobs.length} runs (${algos.join(', ')} × ${games.length} games × ${options.seeds} seeds), ` +
      `${place === null ? `${options.jobs} at a time` : `on the queue ${place.address.label}`}, in ${runsDirShown}\n`,
  );
  const started = performance.now();
  const results = await trainAndJudge(jobs, runs, place ?? { kind: 'local', jobs: options.jobs, backend }, {
    name,
    runsDir: runsDirShown,
    previous,
    ctx,
  });
  const wallSeconds = (performance.now() - started) / 1000;

  const summaries = summarizeTable1(algos, games, results);
  ctx.stdout.write(`${formatTable1(summaries)}\n`);
  if (ctx.signal?.aborted) {
    ctx.stderr.write(
      `interrupted after ${results.length}/${jobs.length} runs; nothing written. Continue with the same command ` +
        `and --runs-dir ${runsDirShown} (finished runs are reused)\n`,
    );
    return EXIT_INTERRUPTED;
  }

  await writeTable1Results(summaries, results, {
    options,
    command: commandLine(argv),
    date,
    machine,
    wallSeconds,
    runsDir: runsDirShown,
    backend:
      place === null ? backend : `chosen by the workers of ${place.address.label}; judged on ${backend}`,
    algos,
    games,
    ctx,
  });
  const failed = results.filter((r) => r.status === 'failed');
  for (const f of failed) {
    ctx.stderr.write(`failed: ${f.algo} ${f.game} seed ${f.seed} (${f.runDir}): ${f.error}\n`);
  }
  return failed.length > 0 ? 1 : 0;
}

/** Writes the results card and, with --json, the raw results (both atomically). */
async function writeTable1Results(
  summaries: ReturnType<typeof summarizeTable1>,
  results: readonly Table1RunResult[],
  run: {
    options: Table1Options;
    command: string;
    date: Date;
    machine: string;
    wallSeconds: number;
    runsDir: string;
    backend: string;
    algos: readonly string[];
    games: readonly Table1Game[];
    ctx: CommandContext;
  },
): Promise<void> {
  const { options, ctx } = run;
  const report = formatTable1Report(summaries, {
    command: run.command,
    date: run.date.toISOString(),
    backend: run.backend,
    seeds: options.seeds,
    machine: run.machine,
    wallSeconds: run.wallSeconds,
    runsDir: run.runsDir,
    results: [...results],
  });
  await writeFileAtomic(userPath(ctx, options.results), report);
  ctx.stderr.write(`wrote ${options.results}\n`);
  if (options.json === undefined) return;
  await writeJsonAtomic(userPath(ctx, options.json), {
    command: run.command,
    date: run.date.toISOString(),
    backend: run.backend,
    seeds: options.seeds,
    algos: run.algos,
    games: run.games.map((g) => g.key),
    runsDir: run.runsDir,
    summaries,
    results,
  });
  ctx.stderr.write(`wrote ${options.json}\n`);
}

/**
 * Trains the table's runs as a sweep at `place` and judges each finished one here, as it ends
 * (the progress line counts the converged ones); results in job order, interrupted runs left out.
 */
async function trainAndJudge(
  jobs: readonly Table1Job[],
  runs: readonly SweepRun[],
  place: BatchPlace,
  batch: {
    name: string;
    runsDir: string;
    previous: Awaited<ReturnType<typeof readBatchStatus>>;
    ctx: CommandContext;
  },
): Promise<Table1RunResult[]> {
  const { ctx } = batch;
  const resolvePath = (path: string) => userPath(ctx, path);
  const jobOf = new Map(runs.map((run, i) => [run.id, jobs[i]!]));
  const judged = new Map<string, Table1RunResult>();
  let judging: Promise<void> = Promise.resolve();
  let converged = 0;
  await runSweepBatch(
    {
      name: batch.name,
      file: 'steer table1',
      otherRunRemedy: OTHER_RUNS_DIR,
      runsDir: batch.runsDir,
      runs,
      targetOf: (run) => registryTarget(run.env!),
    },
    place,
    batch.previous,
    {
      stderr: ctx.stderr,
      resolvePath,
      signal: ctx.signal,
      label: 'table1',
      note: () => `converged ${converged}/${judged.size}`,
      onOutcome: (run, outcome) => {
        const job = jobOf.get(run.id)!;
        const runDir = resolvePath(run.runDir);
        judging = judging.then(async () => {
          let result: Table1RunResult;
          if (outcome.status === 'failed')
            result = failedTable1Run(job, runDir, outcome.error ?? 'failed', outcome);
          else {
            try {
              result = await judgeTable1Run(job, runDir, outcome);
            } catch (error) {
              result = failedTable1Run(job, runDir, `cannot judge it: ${errorLine(error)}`, outcome);
            }
          }
          if (result.converged) converged += 1;
          judged.set(run.id, result);
        });
      },
    },
  );
  await judging;
  return runs.flatMap((run) => judged.get(run.id) ?? []);
}
