/**
 * `steer train`: start a run folder and train it, or continue one with --resume. The env is a
 * registry name (--env) or a HORM scenario file (--scenario; copied into the run folder); the
 * algorithm a name of the registry (--algo, default steer; src/core/algos/registry.ts). Arguments
 * and the scenario are checked before the ML backend starts, so a typo costs no waiting. Ctrl-C
 * (SIGINT) or SIGTERM finishes the update in progress, saves checkpoints/latest and exits with 130.
 */
import { basename, dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { TRAIN_LIMITS } from '../../core/algos/config.js';
import { ALGORITHM_NAMES } from '../../core/algos/registry.js';
import { BackendError } from '../../core/nn/backend.js';
import { initBackend } from '../../core/nn/node/backends.js';
import { isReservedRunId, RESERVED_RUN_IDS, RUNS_DIR } from '../../shared/api/jobMethods.js';
import { type CommandContext, EXIT_INTERRUPTED, userPath } from '../cli/context.js';
import { CliError } from '../cli/errors.js';
import {
  episodesEvaluationFields,
  evaluationFields,
  formatFields,
  formatNumber,
  formatPercent,
  hormEvaluationFields,
} from '../cli/format.js';
import { collect, integerAtLeast, integerInRange, parseSetOverrides } from '../cli/options.js';
import { createProgress, silentProgress } from '../cli/progress.js';
import { trainSummary } from '../cli/reports.js';
import { openScenarioArgument } from '../cli/scenarioArgument.js';
import { DirectoryError, makeDirectory } from '../io/makeDirectory.js';
import {
  assertNewRunDir,
  createRunDir,
  type Invocation,
  lastRunBackend,
  readRunConfig,
} from '../train/runDir.js';
import type { LoadedScenario } from '../train/runEnvironment.js';
import {
  evaluatedOverEpisodes,
  planNewRun,
  RUN_DEFAULTS,
  type RunPlan,
  RunPlanError,
  type RunPlanField,
} from '../train/runPlan.js';
import { runTraining, type TrainingResult } from '../train/runTraining.js';

/** Options of `steer train`, as commander parses them. */
export interface TrainOptions {
  env?: string;
  algo?: string;
  scenario?: string;
  evalEvery?: number;
  evalEpisodes?: number;
  seed?: number;
  out?: string;
  resume?: string;
  backend?: string;
  updates?: number;
  referenceQuirks?: boolean;
  checkpointEvery?: number;
  set?: string[];
  quiet?: boolean;
  json?: boolean;
  updateThreads?: number;
}

/** Adds `train` to the program; `run` receives the parsed options. */
export function registerTrainCommand(program: Command, run: (options: TrainOptions) => Promise<void>): void {
  program
    .command('train')
    .description(
      'train an algorithm (STEER by default) on an env into a run folder (or continue one with --resume)',
    )
    .option(
      '--env <name>',
      'env registry name, e.g. matrix:penalty-100, nstep:coordination, horm:density-1 or cont:target (continuous actions); an unknown name lists them all',
    )
    .option(
      '--algo <name>',
      `the algorithm to train: ${ALGORITHM_NAMES.join(', ')} (default steer; src/core/algos/registry.ts)`,
    )
    .option(
      '--scenario <file>',
      'HORM scenario file instead of --env, e.g. scenarios/horm-easy.json (copied into the run folder)',
    )
    .option(
      '--seed <n>',
      `root seed of the run (default: the scenario's seed, else ${RUN_DEFAULTS.seed})`,
      integerAtLeast(0),
    )
    .option('--out <dir>', 'new run folder to create, e.g. runs/penalty-100-s1')
    .option('--resume <dir>', 'continue the run in this folder to its configured number of updates')
    .option(
      '--backend <name>',
      'tfjs-node-gpu, tfjs-node, wasm, cpu or auto (default: $STEER_BACKEND or auto)',
    )
    .option(
      '--updates <n>',
      `number of PPO updates, at most ${TRAIN_LIMITS.updates} (sets totalEnvSteps = n × episodeLength × numEnvs)`,
      integerInRange(1, TRAIN_LIMITS.updates),
    )
    .option('--reference-quirks', "reproduce the reference code's quirks (docs/spec/steer.md §e)")
    .option(
      '--checkpoint-every <n>',
      `save checkpoints/latest every n updates (default ${RUN_DEFAULTS.checkpointEvery}; always at the end)`,
      integerInRange(1, TRAIN_LIMITS.updates),
    )
    .option(
      '--set <key=value>',
      'override a training config key (repeatable), e.g. --set ppoEpochs=10',
      collect,
      [],
    )
    .option(
      '--eval-every <n>',
      `scenario and MA-MuJoCo runs: evaluate every n updates (default ${RUN_DEFAULTS.trainingEvaluation.every} for scenarios, ${RUN_DEFAULTS.mujocoEvaluation.every} for MuJoCo; always after the last)`,
      integerInRange(1, TRAIN_LIMITS.updates),
    )
    .option(
      '--eval-episodes <n>',
      `scenario and MA-MuJoCo runs: episodes per evaluation (default ${RUN_DEFAULTS.trainingEvaluation.episodes} for scenarios, ${RUN_DEFAULTS.mujocoEvaluation.episodes} for MuJoCo; at most ${TRAIN_LIMITS.evalEpisodes})`,
      integerInRange(1, TRAIN_LIMITS.evalEpisodes),
    )
    .option(
      '--update-threads <n>',
      "threads computing the PPO update's gradient shards, this one included (default: one per core up to gradientShards; the numbers do not depend on it)",
      integerAtLeast(1),
    )
    .option('--quiet', 'no progress bar and no backend line')
    .option('--json', 'print the final summary as one JSON line')
    .addHelpText(
      'after',
      '\nExamples:\n  steer train --env matrix:penalty-100 --seed 1 --out runs/demo\n' +
        '  steer train --scenario scenarios/horm-easy.json --seed 0 --out runs/horm-easy-s0\n' +
        '  steer train --resume runs/demo',
    )
    .action(run);
}

/**
 * Runs `steer train` with parsed `options`; `argv` (the arguments after `steer`) is recorded in the
 * run's argv.json. Returns the exit code: 0 done, 130 interrupted (state saved). Throws on errors.
 */
export async function trainCommand(
  options: TrainOptions,
  ctx: CommandContext,
  argv: readonly string[],
): Promise<number> {
  if (options.resume !== undefined) return resumeRun(options.resume, options, ctx, argv);

  // --- check everything the user typed before starting the backend ---
  if (options.env !== undefined && options.scenario !== undefined) {
    throw new CliError('--env and --scenario both name the env; give one of them');
  }
  if (options.env === undefined && options.scenario === undefined) {
    throw new CliError('missing --env <name> or --scenario <file> (or --resume <run folder>)');
  }
  if (options.scenario === undefined && !evaluatedOverEpisodes(options.env!)) {
    const flags = (
      [
        ['evalEvery', '--eval-every'],
        ['evalEpisodes', '--eval-episodes'],
      ] as const
    ).filter(([key]) => options[key] !== undefined);
    if (flags.length > 0) {
      throw new CliError(
        `${flags.map(([, flag]) => flag).join(', ')}: only for scenario runs (--scenario), MA-MuJoCo envs (--env mujoco:…) and bridged envs (--env pettingzoo:…)`,
      );
    }
  }
  if (options.out === undefined) throw new CliError('missing --out <run folder>, e.g. --out runs/demo');
  let scenario: LoadedScenario | null = null;
  if (options.scenario !== undefined) {
    scenario = await openScenarioArgument(options.scenario, ctx);
    if (scenario === null) return 1;
  }
  const { run, scenarioText } = planFromOptions(options, scenario);
  const runDir = userPath(ctx, options.out);
  assertNotReservedFolder(runDir, options.out, ctx);
  await assertNewRunDir(runDir, options.out);

  if (ctx.signal?.aborted) return interruptedBeforeTraining(ctx);
  const backend = await startBackend(options, ctx);
  if (ctx.signal?.aborted) return interruptedBeforeTraining(ctx);
  await makeRunFolder(runDir, options.out);
  await createRunDir(runDir, run, invocation(argv, ctx, backend), scenarioText ?? undefined);
  return trainAndReport(runDir, options.out, options, ctx, backend, { opened: scenario ?? undefined });
}

/** A signal before training started (SIGINT/SIGTERM while setting up): nothing to save, exit 130. */
function interruptedBeforeTraining(ctx: CommandContext): number {
  ctx.stderr.write('interrupted before training started: nothing was written\n');
  return EXIT_INTERRUPTED;
}

/**
 * Refuses runs/scenarios, runs/replays and the other folders of the working directory's runs/
 * that hold other things than runs (RESERVED_RUN_IDS): the app would mix the run's files into
 * them, e.g. list its config.json as a scenario.
 */
function assertNotReservedFolder(runDir: string, shown: string, ctx: CommandContext): void {
  const folder = resolve(ctx.cwd, runDir); // userPath may keep a relative path as typed
  if (dirname(folder) !== resolve(ctx.cwd, RUNS_DIR) || !isReservedRunId(basename(folder))) return;
  throw new CliError(
    `--out ${shown}: ${RUNS_DIR}/${basename(folder)}/ holds other things than runs; choose another folder name (reserved: ${RESERVED_RUN_IDS.join(', ')})`,
  );
}

/** Makes the --out folder and its parents; one that cannot be made is a CliError naming --out. */
async function makeRunFolder(runDir: string, shown: string): Promise<void> {
  try {
    await makeDirectory(runDir);
  } catch (error) {
    if (!(error instanceof DirectoryError)) throw error;
    throw new CliError(`--out ${shown}: cannot create the run folder: ${error.reason}`);
  }
}

/**
 * `--resume <dir>`: the run's own config.json decides everything but the checkpoint interval and
 * the backend, which is the run's own unless --backend names another.
 */
async function resumeRun(
  dir: string,
  options: TrainOptions,
  ctx: CommandContext,
  argv: readonly string[],
): Promise<number> {
  const conflicting: string[] = (
    [
      ['env', '--env'],
      ['algo', '--algo'],
      ['scenario', '--scenario'],
      ['evalEvery', '--eval-every'],
      ['evalEpisodes', '--eval-episodes'],
      ['seed', '--seed'],
      ['out', '--out'],
      ['updates', '--updates'],
      ['referenceQuirks', '--reference-quirks'],
    ] as const
  )
    .filter(([key]) => options[key] !== undefined)
    .map(([, flag]) => flag);
  if ((options.set ?? []).length > 0) conflicting.push('--set');
  if (conflicting.length > 0) {
    throw new CliError(
      `--resume continues the run with its own config.json; drop ${conflicting.join(', ')} (or start a new run with --out)`,
    );
  }
  const runDir = userPath(ctx, dir);
  await readRunConfig(runDir); // a bad folder fails here, before the backend starts
  const backend = await startResumeBackend(runDir, dir, options, ctx);
  // recorded in argv.json by runTraining, once the checkpoint is verified and training starts
  return trainAndReport(runDir, dir, options, ctx, backend, { resumedBy: invocation(argv, ctx, backend) });
}

/**
 * The backend of a resume: the one the run last trained on (argv.json), so a cpu run is never
 * continued on wasm unasked; another one only with --backend, which gets a one-line note on stderr
 * (the numbers need not match bit for bit across backends). Without a recorded backend, the usual
 * default ($STEER_BACKEND, else auto).
 */
async function startResumeBackend(
  runDir: string,
  shownDir: string,
  options: TrainOptions,
  ctx: CommandContext,
): Promise<string> {
  const recorded = await lastRunBackend(runDir);
  if (options.backend === undefined && recorded !== null) {
    await startRecordedBackend(recorded, shownDir);
    if (!options.quiet)
      ctx.stderr.write(`backend: ${recorded} (the run's, from argv.json; --backend to switch)\n`);
    return recorded;
  }
  const backend = await startBackend(options, ctx);
  if (recorded !== null && backend !== recorded) {
    ctx.stderr.write(
      `note: ${shownDir} trained on ${recorded} until now (argv.json); this session runs on ${backend}, ` +
        `as --backend asks (the numbers need not match a ${recorded} run bit for bit)\n`,
    );
  }
  return backend;
}

/** Starts the run's recorded backend; if it cannot start here, says how to choose another. */
async function startRecordedBackend(recorded: string, shownDir: string): Promise<void> {
  try {
    await initBackend(recorded, () => {});
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    // initBackend's advice to omit --backend does not apply here: omitting it is what failed
    const reason = error.message.replace(/\. Valid backends: .*$/, '');
    throw new CliError(
      `${shownDir} trained on ${recorded} (argv.json), which cannot start here: ${reason}; ` +
        'continue it on another backend with --backend <name>',
    );
  }
}

/** Trains with a progress display, then prints the summary. `resumedBy`: a resume's invocation. */
async function trainAndReport(
  runDir: string,
  shownDir: string,
  options: TrainOptions,
  ctx: CommandContext,
  backend: string,
  session: { readonly resumedBy?: Invocation; readonly opened?: LoadedScenario | undefined },
): Promise<number> {
  const progress = options.quiet ? silentProgress : createProgress(ctx.stderr, 'train');
  let result: TrainingResult;
  try {
    result = await runTraining({
      runDir,
      checkpointEvery: options.checkpointEvery,
      updateThreads: options.updateThreads,
      signal: ctx.signal,
      resumedBy: session.resumedBy,
      onNote: (line) => ctx.stderr.write(`note: ${line}\n`),
      opened: session.opened,
      onStart: ({ startUpdate, totalUpdates: total }) => {
        if (startUpdate > 0 && !options.quiet) {
          ctx.stderr.write(
            startUpdate >= total
              ? `${shownDir} is already complete (${total}/${total} updates)\n`
              : `resuming ${shownDir} at update ${startUpdate}/${total}\n`,
          );
        }
        progress.start(total, startUpdate, '');
      },
      onUpdate: (update, record) => {
        const ret = record['train/episodeReturn'];
        const speed = record['perf/stepsPerS'];
        const crash = record['eval/crashRate'];
        progress.update(
          update,
          `return ${formatNumber(typeof ret === 'number' ? ret : null)} | ${formatNumber(
            typeof speed === 'number' ? Math.round(speed) : null,
          )} steps/s${typeof crash === 'number' ? ` | eval crash ${formatPercent(crash)}` : ''}`,
        );
        ctx.onTrainingUpdate?.(update);
      },
    });
  } finally {
    progress.stop();
  }

  const interrupted = result.status === 'interrupted';
  if (interrupted) {
    ctx.stderr.write(
      `interrupted at update ${result.update}/${result.totalUpdates}; state saved in ${shownDir}/checkpoints/latest; ` +
        `continue with: steer train --resume ${shownDir}\n`,
    );
  }
  if (options.json) {
    ctx.stdout.write(`${JSON.stringify(trainSummary(result, shownDir, backend))}\n`);
  } else {
    const scenario = result.run.scenario;
    ctx.stdout.write(
      formatFields([
        ['run', shownDir],
        ['algo', result.run.train.algo],
        [
          'env',
          `${result.run.env}${scenario ? `, scenario "${scenario.name}" (${scenario.source})` : ''}, ` +
            `seed ${result.run.train.seed}, ${result.update}/${result.totalUpdates} updates ` +
            `(${result.seconds.toFixed(1)} s this session, backend ${backend})`,
        ],
        ...(result.evaluation !== null ? evaluationFields(result.evaluation) : []),
        ...(result.hormEvaluation !== null ? hormEvaluationFields(result.hormEvaluation) : []),
        ...(result.episodesEvaluation !== null ? episodesEvaluationFields(result.episodesEvaluation) : []),
      ]),
    );
    if (!interrupted) ctx.stdout.write(`next: steer eval ${shownDir}\n`);
  }
  return interrupted ? EXIT_INTERRUPTED : 0;
}

/** The run the options ask for (runPlan.ts); a request that cannot be planned is a CliError. */
function planFromOptions(options: TrainOptions, scenario: LoadedScenario | null): RunPlan {
  try {
    return planNewRun({
      env: scenario ?? options.env!,
      algo: options.algo,
      seed: options.seed,
      updates: options.updates,
      overrides: parseSetOverrides(options.set ?? []),
      referenceQuirks: options.referenceQuirks,
      checkpointEvery: options.checkpointEvery,
      ...((scenario !== null || evaluatedOverEpisodes(options.env!)) && {
        evaluation: { every: options.evalEvery, episodes: options.evalEpisodes },
      }),
    });
  } catch (error) {
    if (!(error instanceof RunPlanError)) throw error;
    const option: Partial<Record<RunPlanField, string>> = { env: '--env: ', algo: '--algo: ' };
    throw new CliError(`${option[error.field] ?? ''}${error.message}`);
  }
}

async function startBackend(options: TrainOptions, ctx: CommandContext): Promise<string> {
  const log = options.quiet ? () => {} : (line: string) => ctx.stderr.write(`${line}\n`);
  return (await initBackend(options.backend, log)).name;
}

function invocation(argv: readonly string[], ctx: CommandContext, backend: string): Invocation {
  return { argv: [...argv], cwd: ctx.cwd, at: new Date().toISOString(), backend, node: process.version };
}
