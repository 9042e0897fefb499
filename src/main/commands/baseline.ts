/**
 * `steer baseline --scenario FILE --policy random|idle|merge`: plays a scripted policy of
 * docs/spec/horm.md Appendix B (src/core/envs/horm/baselinePolicies.ts) on the scenario's env over the
 * held-out env seeds `steer eval --scenario` uses (`--seed`, `--seed` + 1, …), and reports the same
 * metrics computed by the same code (src/main/train/hormEvaluate.ts), so a trained model and a
 * baseline are directly comparable. `--record DIR` writes one replay file per episode, named as
 * `steer eval` names them. No network, so no backend.
 *
 * The random policy draws each episode's actions from its own stream, Rng.fromSeed(envSeed)
 * forked as "baseline-random": an episode is reproducible on its own (and in a replay).
 */
import { join } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { TRAIN_LIMITS } from '../../core/algos/config.js';
import {
  BASELINE_POLICIES,
  type BaselinePolicyName,
  baselinePolicyForEpisode,
  isBaselinePolicyName,
} from '../../core/envs/horm/baselinePolicies.js';
import { type CommandContext, userPath } from '../cli/context.js';
import { formatFields, hormEvaluationFields } from '../cli/format.js';
import { integerAtLeast, integerInRange } from '../cli/options.js';
import { type HormEvaluationReport, hormEvaluationReport } from '../cli/reports.js';
import { openScenarioArgument } from '../cli/scenarioArgument.js';
import { replayFileName, writeReplayFile } from '../io/replayFile.js';
import { evaluateHormBaseline } from '../train/hormEvaluate.js';
import { replayObserver } from '../train/replayObserver.js';
import { RUN_DEFAULTS } from '../train/runPlan.js';

/** Options of `steer baseline` (commander fills them). */
export interface BaselineOptions {
  scenario: string;
  policy: BaselinePolicyName;
  episodes?: number;
  seed?: number;
  json?: boolean;
  record?: string;
}

/** What `steer baseline --json` prints (one line): the `steer eval` metrics plus what was played. */
export interface BaselineReport extends HormEvaluationReport {
  /** The scripted policy. */
  policy: BaselinePolicyName;
  /** Env name, e.g. "horm:density-1". */
  env: string;
  /** The scenario's name and file. */
  scenario: string;
  scenarioFile: string;
  /** Whether the scenario's safety supervisor was on (it may replace the policy's actions). */
  supervisor: boolean;
  /** Folder of the replays, or null. */
  record: string | null;
}

/** What each policy does, for the text output. */
const POLICY_TEXT: Readonly<Record<BaselinePolicyName, string>> = {
  random: `uniform over the 5 meta-actions, every agent and step (per-episode stream from the env seed)`,
  idle: 'every agent IDLE',
  merge: 'LANE_LEFT on the merge lane b-c-1, else IDLE',
};

/** Commander parser of --policy. */
function policyName(value: string): BaselinePolicyName {
  const name = value.trim();
  if (!isBaselinePolicyName(name)) {
    throw new InvalidArgumentError(`expected ${BASELINE_POLICIES.join(', ')}, received "${value}"`);
  }
  return name;
}

/** Adds `baseline` to the program. */
export function registerBaselineCommand(
  program: Command,
  run: (options: BaselineOptions) => Promise<void>,
): void {
  program
    .command('baseline')
    .description(
      'play a scripted Appendix B policy (random, idle, merge) on a scenario and report the steer eval metrics',
    )
    .requiredOption('--scenario <file>', 'scenario to play, e.g. scenarios/horm-easy.json')
    .requiredOption(
      '--policy <name>',
      `${BASELINE_POLICIES.join(', ')}: ${BASELINE_POLICIES.map((p) => `${p} = ${POLICY_TEXT[p]}`).join('; ')}`,
      policyName,
    )
    .option(
      `--episodes <n>`,
      `episodes to play (default ${RUN_DEFAULTS.evaluationEpisodes}, at most ${TRAIN_LIMITS.evalEpisodes})`,
      integerInRange(1, TRAIN_LIMITS.evalEpisodes),
    )
    .option(
      '--seed <n>',
      `env seed of the first episode; episode i uses seed + i (default ${RUN_DEFAULTS.evaluationSeed}, as steer eval)`,
      integerAtLeast(0),
    )
    .option('--record <dir>', 'write one replay file per episode into this folder')
    .option('--json', 'print one JSON object instead of the text')
    .action(run);
}

/** Runs `steer baseline`; returns the exit code (1 for a scenario file that cannot be played). */
export async function baselineCommand(options: BaselineOptions, ctx: CommandContext): Promise<number> {
  const scenario = await openScenarioArgument(options.scenario, ctx);
  if (scenario === null) return 1;
  const name = options.policy;
  const episodes = options.episodes ?? RUN_DEFAULTS.evaluationEpisodes;
  const seed = options.seed ?? RUN_DEFAULTS.evaluationSeed;
  const recordDir = options.record === undefined ? null : userPath(ctx, options.record);
  const replays: { file: string; bytes: Uint8Array }[] = [];
  const supervisor = scenario.scenario.supervisor;
  const evaluation = evaluateHormBaseline((s) => baselinePolicyForEpisode(name, s), scenario.makeEnv, {
    episodes,
    seed,
    observe:
      recordDir === null
        ? undefined
        : (env, episode, episodeSeed) =>
            replayObserver(env, {
              file: join(recordDir, replayFileName(episode, episodeSeed, episodes)),
              seed: episodeSeed,
              scenario,
              // the random policy's sampler is seeded with the episode's env seed (see the file comment)
              model:
                name === 'random'
                  ? { name, deterministic: false, seed: episodeSeed }
                  : { name, deterministic: true },
              out: replays,
            }),
  });
  for (const replay of replays) await writeReplayFile(replay.file, replay.bytes);
  if (options.json) {
    const report: BaselineReport = {
      policy: name,
      env: evaluation.env,
      scenario: scenario.scenario.name,
      scenarioFile: options.scenario,
      supervisor,
      ...hormEvaluationReport(evaluation),
      record: options.record ?? null,
    };
    ctx.stdout.write(`${JSON.stringify(report)}\n`);
    return 0;
  }
  const last = seed + evaluation.episodes - 1;
  const fields = hormEvaluationFields(evaluation).map(([label, value]): [string, string] =>
    label === 'episodes'
      ? [label, `${evaluation.episodes}, env seeds ${seed}${evaluation.episodes > 1 ? `–${last}` : ''}`]
      : [label, value],
  );
  ctx.stdout.write(
    formatFields([
      ['policy', `${name} (${POLICY_TEXT[name]})`],
      [
        'env',
        `${evaluation.env}, scenario "${scenario.scenario.name}" (${options.scenario}), ` +
          `supervisor ${supervisor ? 'on' : 'off'}`,
      ],
      ...fields,
      ...(options.record === undefined
        ? []
        : ([['replays', `${options.record} (${replays.length} files)`]] as [string, string][])),
    ]),
  );
  return 0;
}
