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
import { CliError } from '../cli/errors.js';
import { commandLine, describeMachine } from '../cli/invocation.js';
import { collect, commaList, integerAtLeast, integerInRange, parseSetOverrides } from '../cli/options.js';
import { createProgress } from '../cli/progress.js';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomicWrite.js';
import { planTable1, runTable1, type Table1RunOptions, threadsPerJob } from '../table1/runTable1.js';
import { formatTable1, formatTable1Report, summarizeTable1 } from '../table1/table1Report.js';
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
): Table1RunOptions['request'] {
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
  const trainArgs = [
    ...(options.updates === undefined ? [] : ['--updates', String(options.updates)]),
    ...(options.referenceQuirks ? ['--reference-quirks'] : []),
    ...(options.set ?? []).flatMap((item) => ['--set', item]),
  ];
  const date = new Date();
  const machine = describeMachine();
  const runsDirShown =
    options.runsDir ?? `runs/table1-${date.toISOString().slice(0, 19).replaceAll(':', '-')}`;
  const runsDir = userPath(ctx, runsDirShown);
  // the children are given this concrete name, so every run uses the backend reported here
  const backend = (await initBackend(options.backend, (line) => ctx.stderr.write(`${line}\n`))).name;

  const jobs = planTable1(algos, games, options.seeds, runsDir);
  ctx.stderr.write(
    `table1: ${jobs.length} runs (${algos.join(', ')} × ${games.length} games × ${options.seeds} seeds), ${options.jobs} at a time, in ${runsDirShown}\n`,
  );
  const started = performance.now();
  const results = await runWithProgress(jobs, { backend, trainArgs, request, jobs: options.jobs, ctx });
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

  const command = commandLine(argv);
  const report = formatTable1Report(summaries, {
    command,
    date: date.toISOString(),
    backend,
    seeds: options.seeds,
    machine,
    wallSeconds,
    runsDir: runsDirShown,
    results,
  });
  await writeFileAtomic(userPath(ctx, options.results), report);
  ctx.stderr.write(`wrote ${options.results}\n`);
  if (options.json !== undefined) {
    await writeJsonAtomic(userPath(ctx, options.json), {
      command,
      date: date.toISOString(),
      backend,
      seeds: options.seeds,
      algos,
      games: games.map((g) => g.key),
      runsDir: runsDirShown,
      summaries,
      results,
    });
    ctx.stderr.write(`wrote ${options.json}\n`);
  }
  const failed = results.filter((r) => r.status === 'failed');
  for (const f of failed) {
    ctx.stderr.write(`failed: ${f.algo} ${f.game} seed ${f.seed} (${f.runDir}): ${f.error}\n`);
  }
  return failed.length > 0 ? 1 : 0;
}

/** Runs the table's trainings with a progress bar of converged and failed runs. */
async function runWithProgress(
  jobs: Parameters<typeof runTable1>[0],
  settings: {
    backend: string;
    trainArgs: string[];
    request: Table1RunOptions['request'];
    jobs: number;
    ctx: CommandContext;
  },
): ReturnType<typeof runTable1> {
  const { ctx } = settings;
  const progress = createProgress(ctx.stderr, 'table1');
  progress.start(jobs.length, 0);
  let done = 0;
  let converged = 0;
  let failed = 0;
  return runTable1(jobs, {
    backend: settings.backend,
    trainArgs: settings.trainArgs,
    request: settings.request,
    jobs: settings.jobs,
    updateThreads: threadsPerJob(settings.jobs),
    signal: ctx.signal,
    onResult: (result) => {
      done += 1;
      if (result.converged) converged += 1;
      if (result.status === 'failed') failed += 1;
      progress.update(
        done,
        `converged ${converged}/${done - failed}${failed > 0 ? ` | ${failed} failed` : ''}`,
      );
    },
  }).finally(() => progress.stop());
}
