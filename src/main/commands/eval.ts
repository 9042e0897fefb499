/**
 * `steer eval <run>`: evaluates a run's latest checkpoint greedily, whatever its algorithm (the
 * run's config.json names it; the reports do too).
 * - Registry-env runs (matrix games): one episode, judged by docs/spec/steer.md §c.7. A policy that has
 *   not converged is a result, not an error: exit code 0.
 * - Scenario (HORM) runs: `--episodes` episodes on the held-out env seeds `--seed`, `--seed` + 1, …
 *   of the run's scenario or of `--scenario FILE` (same density), reporting crash rate, mean CAV
 *   speed, mean return, merge completion and episode length (src/main/train/hormEvaluate.ts);
 *   `--record DIR` writes one replay file per episode.
 * - MA-MuJoCo runs: `--episodes` seeded episodes, mean, max and min return; `--record DIR` writes
 *   one MuJoCo replay per episode (src/main/replay/episodesReplays.ts).
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { TRAIN_LIMITS } from '../../core/algos/config.js';
import { initBackend } from '../../core/nn/node/backends.js';
import { type CommandContext, userPath } from '../cli/context.js';
import { CliError } from '../cli/errors.js';
import {
  episodesEvaluationFields,
  evaluationFields,
  formatFields,
  hormEvaluationFields,
} from '../cli/format.js';
import { integerAtLeast, integerInRange } from '../cli/options.js';
import { episodesReport, type HormEvaluationReport, hormEvaluationReport } from '../cli/reports.js';
import { openScenarioArgument } from '../cli/scenarioArgument.js';
import { replayFileName, writeReplayFile } from '../io/replayFile.js';
import { evaluateEpisodesRun } from '../replay/episodesReplays.js';
import { recordsEpisodes } from '../replay/recordable.js';
import { evaluateHormRun, evaluateRun } from '../train/evaluateRun.js';
import { replayObserver, runModel } from '../train/replayObserver.js';
import { type RunConfig, readRunConfig, runPaths } from '../train/runDir.js';
import type { LoadedScenario } from '../train/runEnvironment.js';
import { RUN_DEFAULTS } from '../train/runPlan.js';

/** Options of `steer eval`. */
export interface EvalOptions {
  json?: boolean;
  backend?: string;
  scenario?: string;
  episodes?: number;
  seed?: number;
  record?: string;
}

/** What `steer eval --json` prints for a registry-env run (one line). */
export interface EvalReport {
  runDir: string;
  /** The run's algorithm (config.json's train.algo). */
  algo: string;
  env: string;
  seed: number;
  updates: number;
  totalUpdates: number;
  backend: string;
  converged: boolean;
  returns: number[];
  target: number[] | null;
  actions: number[][];
}

/** What `steer eval --json` prints for a scenario run (one line). */
export interface HormEvalReport extends HormEvaluationReport {
  runDir: string;
  /** The run's algorithm (config.json's train.algo). */
  algo: string;
  env: string;
  /** The scenario's name and file. */
  scenario: string;
  scenarioFile: string;
  /** Training seed of the run. */
  trainSeed: number;
  updates: number;
  totalUpdates: number;
  backend: string;
  /** Folder of the replays, or null. */
  record: string | null;
}

/** Adds `eval` to the program. */
export function registerEvalCommand(
  program: Command,
  run: (runDir: string, options: EvalOptions) => Promise<void>,
): void {
  program
    .command('eval')
    .description(
      "greedy evaluation of a run's latest checkpoint: Table 1 verdict (docs/spec/steer.md §c.7), or HORM metrics for a scenario run",
    )
    .argument('<run>', 'run folder made by steer train, e.g. runs/demo')
    .option(
      '--scenario <file>',
      "scenario runs: play this scenario (same traffic density as the run) instead of the run's own",
    )
    .option(
      '--episodes <n>',
      `scenario and MA-MuJoCo runs: episodes to play (default ${RUN_DEFAULTS.evaluationEpisodes} on a scenario, 10 on MuJoCo; at most ${TRAIN_LIMITS.evalEpisodes})`,
      integerInRange(1, TRAIN_LIMITS.evalEpisodes),
    )
    .option(
      '--seed <n>',
      `scenario and MA-MuJoCo runs: env seed of the first episode; episode i uses seed + i (default ${RUN_DEFAULTS.evaluationSeed}, held out from training)`,
      integerAtLeast(0),
    )
    .option(
      '--record <dir>',
      'scenario and MA-MuJoCo runs: write one replay file per episode into this folder',
    )
    .option('--json', 'print one JSON object instead of the text')
    .option(
      '--backend <name>',
      'tfjs-node-gpu, tfjs-node, wasm, cpu or auto (default: $STEER_BACKEND or auto)',
    )
    .action(run);
}

/** Runs `steer eval`; returns the exit code (0 whether or not the policy converged). */
export async function evalCommand(
  runDir: string,
  options: EvalOptions,
  ctx: CommandContext,
): Promise<number> {
  const dir = userPath(ctx, runDir);
  const run = await readRunConfig(dir); // a bad folder fails here, before the backend starts
  const hormOnly = (
    [
      ['scenario', '--scenario'],
      ['episodes', '--episodes'],
      ['seed', '--seed'],
      ['record', '--record'],
    ] as const
  ).filter(([key]) => options[key] !== undefined);
  if (run.scenario === undefined && run.evaluation !== undefined) {
    const scenarioOnly = hormOnly.filter(
      ([key]) => key === 'scenario' || (key === 'record' && !recordsEpisodes(run.env)),
    );
    if (scenarioOnly.length > 0) {
      throw new CliError(
        `${scenarioOnly.map(([, flag]) => flag).join(', ')}: only for scenario${scenarioOnly.some(([key]) => key === 'record') ? ' and MA-MuJoCo' : ''} runs; ${runDir} was trained on ${run.env}`,
      );
    }
    return evalEpisodesRun(runDir, dir, options, ctx);
  }
  if (run.scenario === undefined) {
    if (hormOnly.length > 0) {
      throw new CliError(
        `${hormOnly.map(([, flag]) => flag).join(', ')}: only for scenario runs; ${runDir} was trained on ${run.env} ` +
          "(train one with 'steer train --scenario FILE')",
      );
    }
    return evalRegistryRun(runDir, dir, options, ctx);
  }
  let scenario: LoadedScenario | undefined;
  if (options.scenario !== undefined) {
    const opened = await openScenarioArgument(options.scenario, ctx);
    if (opened === null) return 1;
    scenario = opened;
    if (scenario.envName !== run.env) {
      throw new CliError(
        `--scenario ${options.scenario}: builds ${scenario.envName}, but ${runDir} was trained on ${run.env} ` +
          '(the traffic density fixes the number of agents and the observation size)',
      );
    }
  }
  const backend = (await initBackend(options.backend, (line) => ctx.stderr.write(`${line}\n`))).name;
  const { result, replays } = await evaluateScenarioRun(runDir, dir, scenario, options, ctx);
  const report = {
    runDir,
    run,
    scenarioSource: run.scenario.source,
    result,
    backend,
    replays: replays.length,
  };
  ctx.stdout.write(
    options.json ? `${JSON.stringify(hormEvalReport(report, options))}\n` : hormEvalText(report, options),
  );
  return 0;
}

/** Plays the run's greedy policy on its scenario (or `scenario`) and writes the replays asked for. */
async function evaluateScenarioRun(
  runDir: string,
  dir: string,
  scenario: LoadedScenario | undefined,
  options: EvalOptions,
  ctx: CommandContext,
): Promise<{ result: Awaited<ReturnType<typeof evaluateHormRun>>; replays: { file: string }[] }> {
  const episodes = options.episodes ?? RUN_DEFAULTS.evaluationEpisodes;
  const replays: { file: string; bytes: Uint8Array }[] = [];
  const recordDir = options.record === undefined ? null : userPath(ctx, options.record);
  const result = await evaluateHormRun(dir, {
    scenario,
    episodes,
    seed: options.seed ?? RUN_DEFAULTS.evaluationSeed,
    observe:
      recordDir === null
        ? undefined
        : (env, episode, episodeSeed, info) =>
            replayObserver(env, {
              file: join(recordDir, replayFileName(episode, episodeSeed, episodes)),
              seed: episodeSeed,
              scenario: info.scenario,
              model: runModel(info.run, {
                label: runDir,
                checkpoint: runPaths(runDir).checkpoint,
                update: info.update,
              }),
              out: replays,
            }),
  });
  for (const replay of replays) await writeReplayFile(replay.file, replay.bytes);
  return { result, replays };
}

/** What a scenario run's evaluation printed about. */
interface HormEvalOutcome {
  readonly runDir: string;
  readonly run: RunConfig;
  /** The scenario file the run was trained on (config.json's `scenario.source`). */
  readonly scenarioSource: string;
  readonly result: Awaited<ReturnType<typeof evaluateHormRun>>;
  readonly backend: string;
  /** Replays written. */
  readonly replays: number;
}

/** `steer eval --json`'s line for a scenario run. */
function hormEvalReport(o: HormEvalOutcome, options: EvalOptions): HormEvalReport {
  return {
    runDir: o.runDir,
    algo: o.run.train.algo,
    env: o.run.env,
    scenario: o.result.scenario.scenario.name,
    scenarioFile: options.scenario ?? o.scenarioSource,
    trainSeed: o.run.train.seed,
    updates: o.result.update,
    totalUpdates: o.run.totalUpdates,
    backend: o.backend,
    ...hormEvaluationReport(o.result.evaluation),
    record: options.record ?? null,
  };
}

/** `steer eval`'s text for a scenario run. */
function hormEvalText(o: HormEvalOutcome, options: EvalOptions): string {
  const scenarioName = o.result.scenario.scenario.name;
  return formatFields([
    ['run', o.runDir],
    ['algo', o.run.train.algo],
    [
      'env',
      `${o.run.env}, scenario "${scenarioName}" (${options.scenario ?? o.scenarioSource}), ` +
        `${o.result.update}/${o.run.totalUpdates} updates`,
    ],
    ...hormEvaluationFields(o.result.evaluation),
    ...(options.record === undefined
      ? []
      : ([['replays', `${options.record} (${o.replays} files)`]] as [string, string][])),
  ]);
}

/** The matrix-game path: one greedy episode judged by §c.7 (unchanged). */
async function evalRegistryRun(
  runDir: string,
  dir: string,
  options: EvalOptions,
  ctx: CommandContext,
): Promise<number> {
  const backend = (await initBackend(options.backend, (line) => ctx.stderr.write(`${line}\n`))).name;
  const { run, update, evaluation: e } = await evaluateRun(dir);
  if (options.json) {
    const report: EvalReport = {
      runDir,
      algo: run.train.algo,
      env: run.env,
      seed: run.train.seed,
      updates: update,
      totalUpdates: run.totalUpdates,
      backend,
      converged: e.converged,
      returns: e.returns,
      target: e.target,
      actions: e.actions,
    };
    ctx.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    ctx.stdout.write(
      formatFields([
        ['run', runDir],
        ['algo', run.train.algo],
        ['env', `${run.env}, seed ${run.train.seed}, ${update}/${run.totalUpdates} updates`],
        ...evaluationFields(e),
      ]),
    );
  }
  return 0;
}

/** Episodes of `steer eval` on an MA-MuJoCo run by default (1,000 steps each). */
const EPISODES_EVAL_DEFAULT = 10;

/** `steer eval` of a run evaluated over seeded episodes (MA-MuJoCo): mean, max and min return. */
async function evalEpisodesRun(
  runDir: string,
  dir: string,
  options: EvalOptions,
  ctx: CommandContext,
): Promise<number> {
  const backend = (await initBackend(options.backend, (line) => ctx.stderr.write(`${line}\n`))).name;
  const settings = {
    episodes: options.episodes ?? EPISODES_EVAL_DEFAULT,
    seed: options.seed ?? RUN_DEFAULTS.evaluationSeed,
  };
  const record =
    options.record === undefined ? null : { dir: userPath(ctx, options.record), runLabel: runDir };
  // Episodes side by side (EPISODES_WAVE), each recorded into its own replay with --record.
  const { run, update, evaluation, replays } = await evaluateEpisodesRun(dir, settings, record);
  for (const replay of replays) await writeReplayFile(replay.file, replay.bytes);
  if (options.json) {
    const report = {
      runDir,
      algo: run.train.algo,
      env: run.env,
      trainSeed: run.train.seed,
      updates: update,
      totalUpdates: run.totalUpdates,
      backend,
      ...episodesReport(evaluation),
      record: options.record ?? null,
    };
    ctx.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    ctx.stdout.write(
      formatFields([
        ['run', runDir],
        ['algo', run.train.algo],
        ['env', `${run.env}, seed ${run.train.seed}, ${update}/${run.totalUpdates} updates`],
        ...episodesEvaluationFields(evaluation),
        ...(options.record === undefined
          ? []
          : ([['replays', `${options.record} (${replays.length} files)`]] as [string, string][])),
      ]),
    );
  }
  return 0;
}
