/**
 * What a sweep run trains on: a registry env, or a HORM scenario file through the scenario gate, at
 * another traffic density if the sweep says so (the scenario rewritten into the runs folder, as
 * `steer compare --density` does: batchEnv.ts). A sweep's scenarios are opened
 * before anything runs, so a missing or broken file is one located issue
 * (`scenarios[0].file: scenarios/nope.json: file not found`), not a failure per run.
 */
import { type OpenedScenario, openScenario } from '../../core/envs/horm/index.js';
import { readScenarioText } from '../io/scenarioFile.js';
import { type CompareEnv, prepareCompareEnv, scenarioCompareEnv } from './batchEnv.js';
import { configIssues, type SweepFile } from './sweepFile.js';
import { issueAt, SweepFileError, type SweepIssue } from './sweepIssues.js';
import type { SweepScenario } from './sweepRun.js';

/** Resolves a path as the sweep gives it (relative to the working directory) for file operations. */
export type PathResolver = (path: string) => string;

/** The env of a run, as the run planner (src/main/train/runPlan.ts) takes it. */
export interface RunTarget {
  /** Canonical env name: what the run's config.json records. */
  readonly envName: string;
  /** The registry name, or the opened scenario. */
  readonly env: string | OpenedScenario;
  /** Scenario runs: the file given to `steer train --scenario` (resolved); else null. */
  readonly scenarioPath: string | null;
  /** Writes what the run needs before it trains (a scenario rewritten at another density). */
  readonly prepare: () => Promise<void>;
}

/** A scenario's key: file and density. */
export function scenarioKey(scenario: SweepScenario): string {
  return `${scenario.file}\n${scenario.density ?? ''}`;
}

/**
 * Opens `scenario` (at its density, rewritten into `runsDir`, resolved) as a run target; its
 * problems are issues at `scenarios[index]`.
 */
export async function openScenarioTarget(
  scenario: SweepScenario,
  index: number,
  runsDir: string,
  resolvePath: PathResolver,
): Promise<RunTarget | SweepIssue> {
  const path = resolvePath(scenario.file);
  const read = await readScenarioText(path);
  if (!read.ok) return issueAt(['scenarios', index, 'file'], `${scenario.file}: ${read.problem}`);
  let env: CompareEnv;
  try {
    env = await scenarioCompareEnv(scenario.file, path, scenario.density ?? undefined, runsDir);
  } catch (error) {
    return issueAt(['scenarios', index], (error as Error).message.split('\n').join('; '));
  }
  const text = env.scenarioCopy?.text ?? read.text;
  const gate = openScenario(text, env.scenarioCopy?.path ?? scenario.file);
  if (!gate.ok) return issueAt(['scenarios', index], `${scenario.file}: the scenario changed while read`);
  let prepared: Promise<void> | null = null;
  return {
    envName: env.envName,
    env: gate.opened,
    scenarioPath: env.envArgs[1] ?? path,
    prepare: () => {
      prepared ??= prepareCompareEnv(env);
      return prepared;
    },
  };
}

/** A registry env as a run target. */
export function registryTarget(envName: string): RunTarget {
  return { envName, env: envName, scenarioPath: null, prepare: async () => {} };
}

/**
 * The targets of every env and scenario of `sweep`, keyed by the env name or `scenarioKey`, after
 * planning every algorithm's config on every scenario's env too; a SweepFileError (located issues)
 * when a scenario cannot be opened or a config cannot be planned on it.
 */
export async function openSweepTargets(
  sweep: SweepFile,
  file: string,
  resolvePath: PathResolver,
): Promise<Map<string, RunTarget>> {
  const targets = new Map<string, RunTarget>(sweep.envs.map((env) => [env, registryTarget(env)]));
  const issues: SweepIssue[] = [];
  const runsDir = resolvePath(sweep.runsDir);
  for (const [index, scenario] of sweep.scenarios.entries()) {
    const opened = await openScenarioTarget(scenario, index, runsDir, resolvePath);
    if ('message' in opened) issues.push(opened);
    else targets.set(scenarioKey(scenario), opened);
  }
  if (issues.length === 0) {
    const scenarioEnvs = new Set(
      sweep.scenarios.map((scenario) => targets.get(scenarioKey(scenario))!.envName),
    );
    issues.push(...configIssues(sweep, [...scenarioEnvs]));
  }
  if (issues.length > 0) throw new SweepFileError(file, issues);
  return targets;
}
