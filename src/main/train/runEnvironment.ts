/**
 * The env a run trains and evaluates on: a registry env ("matrix:penalty-100"), or a HORM env built
 * from a scenario file (src/core/envs/horm/fromScenario.ts). A scenario run keeps a copy of its
 * file in the run folder (scenario.json), so training, resume and evaluation rebuild the same env
 * from the folder alone.
 */
import { readFile, stat } from 'node:fs/promises';
import type { HormEnv } from '../../core/envs/horm/index.js';
import { hormEnvFromScenario, hormOptionsFromScenario } from '../../core/envs/horm/index.js';
import { makeEnv } from '../../core/envs/registry.js';
import type { MultiAgentEnv } from '../../core/envs/types.js';
import { formatIssues, parseScenario, type Scenario } from '../../core/scenario/index.js';
import { type RunConfig, RunDirError, runPaths } from './runDir.js';

/** Largest file read as a scenario [bytes]; real ones are a few kB. */
const MAX_SCENARIO_BYTES = 16 * 1024 * 1024;

/**
 * A scenario file that cannot be read, is invalid, or asks for what the simulator cannot do yet.
 * `lines` are the validator's lines, `file: path: message`, one per problem.
 */
export class ScenarioFileError extends Error {
  override readonly name = 'ScenarioFileError';

  constructor(readonly lines: readonly string[]) {
    super(lines.join('\n'));
  }
}

/** A validated scenario the HORM env can run, with the file's text (copied into run folders). */
export interface LoadedScenario {
  /** The file as the user named it. */
  readonly file: string;
  /** The file's text, unchanged. */
  readonly text: string;
  readonly scenario: Scenario;
  /** Registry name of the env it builds, e.g. "horm:density-1". */
  readonly envName: string;
  /** A new env for the scenario (one per rollout thread). */
  readonly makeEnv: () => HormEnv;
}

/** Why a file could not be read, in a few words (as `steer scenario validate` says it). */
function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EISDIR') return 'is a directory, expected a scenario JSON file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return `cannot read the file: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Reads, validates and checks a scenario file for the HORM env. `path` is read, `label` names it in
 * messages. Throws ScenarioFileError with one line per problem.
 */
export async function loadScenario(path: string, label: string): Promise<LoadedScenario> {
  let text: string;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    if (info.size > MAX_SCENARIO_BYTES) {
      throw new ScenarioFileError([
        `${label}: expected a scenario file of at most ${MAX_SCENARIO_BYTES / 1024 / 1024} MB, received ${(info.size / 1024 / 1024).toFixed(1)} MB`,
      ]);
    }
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof ScenarioFileError) throw error;
    throw new ScenarioFileError([`${label}: ${readFailure(error)}`]);
  }
  const parsed = parseScenario(text, label);
  if (!parsed.ok) throw new ScenarioFileError(formatIssues(label, parsed.issues));
  const scenario = parsed.scenario;
  const options = hormOptionsFromScenario(scenario);
  if (!options.ok) throw new ScenarioFileError(formatIssues(label, options.issues));
  const probe = hormEnvFromScenario(scenario);
  return {
    file: label,
    text,
    scenario,
    envName: probe.spec.name,
    makeEnv: () => hormEnvFromScenario(scenario),
  };
}

/** How a run's env is built. */
export interface RunEnvironment {
  /** Registry name (config.json's `env`). */
  readonly envName: string;
  /** A new env (one per rollout thread, plus evaluation). */
  readonly makeEnv: () => MultiAgentEnv;
  /** The scenario of a scenario run, else null. */
  readonly scenario: LoadedScenario | null;
}

/**
 * The env of run folder `runDir`: from its scenario.json when the run has one, else from the
 * registry. Checks that the scenario still builds the env the run was trained on.
 */
export async function loadRunEnvironment(runDir: string, run: RunConfig): Promise<RunEnvironment> {
  if (run.scenario === undefined) {
    return { envName: run.env, makeEnv: () => makeEnv(run.env), scenario: null };
  }
  const path = runPaths(runDir).scenario;
  let scenario: LoadedScenario;
  try {
    scenario = await loadScenario(path, path);
  } catch (error) {
    if (error instanceof ScenarioFileError) throw new RunDirError(error.lines.join('; '));
    throw error;
  }
  assertSameEnv(scenario, run, runDir);
  return { envName: run.env, makeEnv: scenario.makeEnv, scenario };
}

/** Refuses a scenario that builds another env than the run's (other density → other model shape). */
export function assertSameEnv(scenario: LoadedScenario, run: RunConfig, runDir: string): void {
  if (scenario.envName === run.env) return;
  throw new RunDirError(
    `${scenario.file}: builds ${scenario.envName}, but ${runDir} was trained on ${run.env} ` +
      '(the traffic density fixes the number of agents and the observation size)',
  );
}
