/**
 * `steer compare`: several algorithms × seeds 1..N on one env (a registry name or a HORM scenario)
 * with one stated budget. Every (algorithm, seed) is its own run folder, trained in child processes
 * (src/main/workers/steerChildren.ts, as `steer table1` does) and resumable: a rerun skips finished
 * runs and resumes stopped ones. Then the learning curves (mean over seeds, 95 % Student-t band) are
 * drawn to SVG and PNG, the final evaluation table is printed, and the results card is written
 * (atomically) with the exact command that made it. Modules: src/main/compare/.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { TRAIN_LIMITS } from '../../core/algos/config.js';
import { ALGORITHM_NAMES, algorithmNamed } from '../../core/algos/registry.js';
import { initBackend } from '../../core/nn/node/backends.js';
import { type CommandContext, EXIT_INTERRUPTED, userPath } from '../cli/context.js';
import { CliError } from '../cli/errors.js';
import { commandLine, describeMachine } from '../cli/invocation.js';
import { collect, commaList, integerAtLeast, integerInRange, parseSetOverrides } from '../cli/options.js';
import {
  type CompareEnv,
  type CompareEvalSettings,
  type CompareRunOutcome,
  type CompareSweepPlan,
  CURVE_AXES,
  type CurveAxis,
  compareRunTarget,
  compareSweepRuns,
  defaultMetrics,
  evaluateCompareRun,
  type FinalTable,
  formatCompareCard,
  formatFinalTable,
  planCompare,
  readRunMetrics,
  registryCompareEnv,
  scenarioCompareEnv,
  summarizeFinal,
  writeCharts,
} from '../compare/index.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import type { SweepRunOutcome, SweepScenario } from '../sweep/index.js';
import { DEFAULT_RUN_ATTEMPTS } from '../sweep/queue/index.js';
import {
  assertBatchFree,
  type QueuePlace,
  queuePlace,
  readBatchStatus,
  runSweepBatch,
} from '../sweep/sweepBatch.js';
import { OTHER_RUNS_DIR } from '../train/runMatch.js';
import { planTrainConfig, RunPlanError } from '../train/runPlan.js';
import { runBounded } from '../workers/steerChildren.js';

/** Held-out episodes per HORM run in the final evaluation (as `steer eval`). */
export const DEFAULT_COMPARE_EVAL_EPISODES = 100;

/** Options of `steer compare`, as commander parses them. */
export interface CompareOptions {
  env?: string;
  scenario?: string;
  density?: number;
  algos?: string[];
  seeds: number;
  updates?: number;
  set?: string[];
  jobs: number;
  runsDir?: string;
  out?: string;
  metric?: string[];
  x: string;
  evalEpisodes?: number;
  backend?: string;
  queue?: string;
  attempts?: number;
}

/** Adds `compare` to the program. */
export function registerCompareCommand(
  program: Command,
  run: (options: CompareOptions) => Promise<void>,
): void {
  program
    .command('compare')
    .description(
      'train several algorithms × seeds on one env with one budget; learning curves with 95% bands, final evaluation table, results card',
    )
    .option('--env <name>', 'env registry name, e.g. matrix:penalty-100 or nstep:coordination')
    .option('--scenario <file>', 'HORM scenario file instead of --env, e.g. scenarios/horm-easy.json')
    .option(
      '--density <n>',
      'scenario runs: train at this traffic density (1, 2 or 3) instead',
      integerAtLeast(1),
    )
    .option(
      '--algos <names>',
      `comma-separated algorithms (required): ${ALGORITHM_NAMES.join(',')}`,
      commaList,
    )
    .option('--seeds <n>', 'seeds per algorithm (1..n)', integerInRange(1, 1000), 5)
    .option(
      '--updates <n>',
      `PPO updates of every run, the budget (required; at most ${TRAIN_LIMITS.updates})`,
      integerInRange(1, TRAIN_LIMITS.updates),
    )
    .option('--set <key=value>', 'training config override for every run (repeatable)', collect)
    .option('--jobs <n>', 'runs at the same time (child processes)', integerAtLeast(1), 2)
    .option(
      '--runs-dir <dir>',
      'folder for the run folders (default runs/compare-<env>; an existing one is continued)',
    )
    .option(
      '--out <file>',
      'results card to write (default docs/results/compare-<env>.md); charts go beside it',
    )
    .option(
      '--metric <keys>',
      'metrics.jsonl keys to plot, comma-separated or repeated (default train/episodeReturn; scenario runs add eval/meanReturn, eval/crashRate; MA-MuJoCo runs eval/meanReturn)',
      collect,
    )
    .option('--x <axis>', `x axis of the curves: ${CURVE_AXES.join(' or ')}`, 'update')
    .option(
      '--eval-episodes <n>',
      `scenario runs: held-out episodes of the final evaluation (default ${DEFAULT_COMPARE_EVAL_EPISODES})`,
      integerInRange(1, TRAIN_LIMITS.evalEpisodes),
    )
    .option(
      '--backend <name>',
      'tfjs-node-gpu, tfjs-node, wasm, cpu or auto (default: $STEER_BACKEND or auto)',
    )
    .option(
      '--queue <url>',
      'hand the runs to `steer worker` processes through the BullMQ queue on this Redis, e.g. redis://host:6379 (--jobs then counts evaluations only)',
    )
    .option(
      '--attempts <n>',
      `with --queue: tries of each run before it counts as failed (default ${DEFAULT_RUN_ATTEMPTS})`,
      integerInRange(1, 100),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  steer compare --env matrix:penalty-100 --algos steer,mappo,happo --seeds 5 --updates 100\n' +
        '  steer compare --scenario scenarios/horm-easy.json --density 2 --algos steer,mappo --seeds 3 --updates 200',
    )
    .action(run);
}

/** The algorithms named by --algos, each once, in the order given; a CliError otherwise. */
export function selectCompareAlgorithms(names: readonly string[] | undefined): string[] {
  if (names === undefined || names.length === 0) {
    throw new CliError(`missing --algos <names>: the algorithms to compare, e.g. --algos steer,mappo`);
  }
  for (const name of names) {
    try {
      algorithmNamed(name);
    } catch (error) {
      throw new CliError(`--algos: ${(error as Error).message}`);
    }
  }
  return [...new Set(names)];
}

/** Everything checked from the options before a backend starts. */
interface CompareSetup {
  readonly algos: string[];
  readonly updates: number;
  readonly overrides: string[];
  /** The same, parsed. */
  readonly parsedOverrides: Record<string, unknown>;
  readonly axis: CurveAxis;
  readonly metrics: string[];
  readonly env: CompareEnv;
  /** What the runs train on, as a sweep names it: the canonical env name, or the scenario typed. */
  readonly target: string | SweepScenario;
  readonly runsDirShown: string;
  readonly runsDir: string;
  readonly outShown: string;
  readonly out: string;
  readonly evalEpisodes: number | null;
}

/** Checks the options, each error one line naming its option. */
async function setUp(options: CompareOptions, ctx: CommandContext): Promise<CompareSetup> {
  if ((options.env === undefined) === (options.scenario === undefined)) {
    throw new CliError('--env <name> or --scenario <file>: give exactly one (the env every run trains on)');
  }
  const algos = selectCompareAlgorithms(options.algos);
  if (options.updates === undefined) {
    throw new CliError('missing --updates <n>: every run trains for this stated budget of PPO updates');
  }
  const overrides = options.set ?? [];
  const parsed = parseSetOverrides(overrides);
  if (Object.hasOwn(parsed, 'algo')) throw new CliError('--set algo=…: name the algorithms with --algos');
  if (!(CURVE_AXES as readonly string[]).includes(options.x)) {
    throw new CliError(`--x ${options.x}: expected ${CURVE_AXES.join(' or ')}`);
  }
  if (options.scenario === undefined && options.density !== undefined) {
    throw new CliError('--density: only with --scenario (a scenario whose traffic is a density)');
  }
  if (options.scenario === undefined && options.evalEpisodes !== undefined) {
    throw new CliError(
      '--eval-episodes: only with --scenario; a registry env is judged by one greedy episode (§c.7)',
    );
  }
  const slugEnv = options.env !== undefined ? registryCompareEnv(options.env) : null;
  const slug =
    slugEnv?.slug ??
    `${options.scenario!.replace(/^.*\//, '').replace(/\.json$/i, '')}${options.density === undefined ? '' : `-density-${options.density}`}`;
  const runsDirShown = options.runsDir ?? `runs/compare-${slug}`;
  const runsDir = userPath(ctx, runsDirShown);
  const env =
    slugEnv ??
    (await scenarioCompareEnv(options.scenario!, userPath(ctx, options.scenario!), options.density, runsDir));
  checkPlannedConfigs(env.envName, algos, options.updates, parsed);
  const outShown = options.out ?? `docs/results/compare-${slug}.md`;
  const metrics = (options.metric ?? []).flatMap(commaList);
  return {
    algos,
    updates: options.updates,
    overrides,
    parsedOverrides: parsed,
    axis: options.x as CurveAxis,
    metrics: metrics.length > 0 ? metrics : defaultMetrics(env),
    env,
    target:
      options.scenario === undefined
        ? env.envName
        : { file: options.scenario, density: (options.density ?? null) as SweepScenario['density'] },
    runsDirShown,
    runsDir,
    outShown,
    out: userPath(ctx, outShown),
    evalEpisodes: env.horm ? (options.evalEpisodes ?? DEFAULT_COMPARE_EVAL_EPISODES) : null,
  };
}

/**
 * Plans every algorithm's config now, so that an override the config refuses is one line naming
 * --set, before any backend starts (not one failure per run); the seed changes no bound.
 */
function checkPlannedConfigs(
  envName: string,
  algos: readonly string[],
  updates: number,
  overrides: Record<string, unknown>,
): void {
  for (const algo of algos) {
    try {
      planTrainConfig(envName, { algo, updates, overrides }, 1);
    } catch (error) {
      if (!(error instanceof RunPlanError)) throw error;
      throw new CliError(`--set: ${error.message}`);
    }
  }
}

/** Runs `steer compare`; returns the exit code (1 if any run failed, 130 if interrupted). */
export async function compareCommand(
  options: CompareOptions,
  ctx: CommandContext,
  argv: readonly string[],
): Promise<number> {
  const setup = await setUp(options, ctx);
  const date = new Date();
  const machine = describeMachine();
  const started = performance.now();
  // the children are given this concrete name, so every run uses the backend reported here
  const backend = (await initBackend(options.backend, (line) => ctx.stderr.write(`${line}\n`))).name;

  const jobs = planCompare(setup.algos, options.seeds, setup.runsDir);
  const { outcomes, ended } = await trainAndEvaluate(setup, jobs, options, backend, ctx);
  if (ctx.signal?.aborted) {
    ctx.stderr.write(
      `interrupted after ${ended}/${jobs.length} runs; nothing written. Continue with the same command ` +
        `(finished runs in ${setup.runsDirShown} are skipped, stopped ones resumed)\n`,
    );
    return EXIT_INTERRUPTED;
  }
  const table = summarizeFinal(setup.algos, outcomes, setup.env.horm);
  ctx.stdout.write(`${formatFinalTable(table)}\n`);
  await writeResults(setup, table, outcomes, {
    command: commandLine(argv),
    date: date.toISOString(),
    machine,
    backend,
    seeds: options.seeds,
    started,
    ctx,
  });
  const failed = outcomes.filter((o) => o.status === 'failed');
  for (const f of failed) ctx.stderr.write(`failed: ${f.algo} seed ${f.seed} (${f.runDir}): ${f.error}\n`);
  return failed.length > 0 ? 1 : 0;
}

/**
 * Trains the comparison's runs as a sweep (this machine's pool, or the queue of --queue), then takes
 * each trained run's final evaluation; `ended` counts the runs whose training ended.
 */
async function trainAndEvaluate(
  setup: CompareSetup,
  jobs: ReturnType<typeof planCompare>,
  options: CompareOptions,
  backend: string,
  ctx: CommandContext,
): Promise<{ outcomes: CompareRunOutcome[]; ended: number }> {
  const resolvePath = (path: string) => userPath(ctx, path);
  const runs = compareSweepRuns({
    algos: setup.algos,
    seeds: options.seeds,
    updates: setup.updates,
    overrides: setup.parsedOverrides as CompareSweepPlan['overrides'],
    target: setup.target,
    runsDir: setup.runsDirShown,
  });
  const name = runs[0]!.sweep;
  const place: QueuePlace | null =
    options.queue === undefined ? null : queuePlace(options.queue, options.attempts);
  const previous = await readBatchStatus(setup.runsDirShown, resolvePath);
  assertBatchFree(
    previous,
    { name, runsDir: setup.runsDirShown },
    place?.address.label ?? null,
    'steer compare … with the same --queue',
  );
  const target = await compareRunTarget(setup.env, setup.target, setup.runsDirShown, resolvePath);
  ctx.stderr.write(
    `compare: ${jobs.length} runs (${setup.algos.join(', ')} × ${options.seeds} seeds) on ${setup.env.label}, ` +
      `${place === null ? `${options.jobs} at a time` : `on the queue ${place.address.label}`}, in ${setup.runsDirShown}\n`,
  );
  const batch = { name, file: 'steer compare', otherRunRemedy: OTHER_RUNS_DIR, runsDir: setup.runsDirShown };
  const trained = await runSweepBatch(
    { ...batch, runs, targetOf: () => target },
    place ?? { kind: 'local', jobs: options.jobs, backend },
    previous,
    { stderr: ctx.stderr, resolvePath, signal: ctx.signal, label: 'compare' },
  );
  if (trained.interrupted) return { outcomes: [], ended: trained.outcomes.length };
  const settings = { backend, evalEpisodes: setup.evalEpisodes, runsDir: setup.runsDir, signal: ctx.signal };
  const outcomes = await evaluateAll(jobs, runs, trained.outcomes, settings, options.jobs);
  return { outcomes, ended: trained.outcomes.length };
}

/** Draws the charts and writes the card. */
async function writeResults(
  setup: CompareSetup,
  table: FinalTable,
  outcomes: readonly CompareRunOutcome[],
  run: {
    command: string;
    date: string;
    machine: string;
    backend: string;
    seeds: number;
    started: number;
    ctx: CommandContext;
  },
): Promise<void> {
  await mkdir(dirname(setup.out), { recursive: true });
  const ok = outcomes.filter((o) => o.status === 'ok');
  const metrics = await readRunMetrics(ok);
  const charts = await writeCharts(metrics, {
    metrics: setup.metrics,
    explicit: setup.metrics.join() !== defaultMetrics(setup.env).join(),
    axis: setup.axis,
    algos: setup.algos,
    seeds: run.seeds,
    env: setup.env.label,
    cardFile: setup.out,
  });
  for (const line of charts.missing) run.ctx.stderr.write(`warning: ${line}\n`);
  const envSteps = Math.max(
    ...metrics.map((m) => {
      const last = m.records.at(-1)?.envSteps;
      return typeof last === 'number' ? last : 0;
    }),
    0,
  );
  const episodes = setup.evalEpisodes;
  const card = formatCompareCard(table, charts.charts, {
    env: setup.env.label,
    command: run.command,
    date: run.date,
    machine: run.machine,
    backend: run.backend,
    algos: setup.algos,
    seeds: run.seeds,
    updates: setup.updates,
    envSteps: envSteps > 0 ? envSteps : null,
    overrides: setup.overrides,
    evaluation:
      episodes === null
        ? "one greedy episode from reset per run, judged against the game's target (docs/spec/steer.md §c.7)"
        : `${episodes} greedy episodes per run on the held-out env seeds 10000–${10000 + episodes - 1}, as \`steer eval\` plays them`,
    wallSeconds: (performance.now() - run.started) / 1000,
    runsDir: setup.runsDirShown,
    outcomes,
    axis: setup.axis === 'update' ? 'update' : 'env steps',
  });
  await writeFileAtomic(setup.out, card);
  const files = charts.charts.flatMap((c) => [c.svg, c.png]);
  run.ctx.stderr.write(
    `wrote ${setup.outShown}${files.length > 0 ? ` and ${files.join(', ')} beside it` : ''}\n`,
  );
}

/**
 * The final evaluation of every trained run, at most `parallel` at once (HORM evaluations are
 * child processes), in job order; runs the executor did not end (interrupted) are left out.
 */
async function evaluateAll(
  jobs: ReturnType<typeof planCompare>,
  runs: readonly { readonly id: string }[],
  trained: readonly SweepRunOutcome[],
  settings: CompareEvalSettings,
  parallel: number,
): Promise<CompareRunOutcome[]> {
  const byId = new Map(trained.map((outcome) => [outcome.id, outcome]));
  const pairs = jobs.flatMap((job, i) => {
    const outcome = byId.get(runs[i]!.id);
    return outcome === undefined ? [] : [{ job, outcome }];
  });
  return runBounded(pairs, parallel, ({ job, outcome }) => evaluateCompareRun(job, outcome, settings), {
    ...(settings.signal !== undefined && { signal: settings.signal }),
  });
}
