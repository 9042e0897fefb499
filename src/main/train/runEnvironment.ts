/**
 * The env a run trains and evaluates on: a registry env ("matrix:penalty-100"), or a HORM env built
 * from a scenario file (src/core/envs/horm/fromScenario.ts). A scenario run keeps a copy of its
 * file in the run folder (scenario.json), so training, resume and evaluation rebuild the same env
 * from the folder alone.
 */
import type { OpenedScenario } from '../../core/envs/horm/index.js';
import { bridgedEnvRequest, makeEnv, prepareEnv } from '../../core/envs/registry.js';
import type { MultiAgentEnv } from '../../core/envs/types.js';
import type { VectorEnv } from '../../core/envs/vector.js';
import { formatIssues } from '../../core/scenario/index.js';
import { bridgedEnvs } from '../bridge/bridgedRunEnv.js';
import { openScenarioFile } from '../io/scenarioFile.js';
import { type RunConfig, RunDirError, runPaths } from './runDir.js';

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
export type LoadedScenario = OpenedScenario;

/**
 * Reads a scenario file through the scenario gate. `path` is read, `label` names it in messages.
 * Throws ScenarioFileError with one line per problem.
 */
export async function loadScenario(path: string, label: string): Promise<LoadedScenario> {
  const gate = await openScenarioFile(path, label);
  if (!gate.ok) throw new ScenarioFileError(formatIssues(label, gate.issues));
  return gate.opened;
}

/** How a run's env is built. */
export interface RunEnvironment {
  /** Registry name (config.json's `env`). */
  readonly envName: string;
  /** A new env (one per rollout thread, plus evaluation). */
  readonly makeEnv: () => MultiAgentEnv;
  /**
   * The trainer's copies at once, for envs whose copies live in other processes (the Python bridge:
   * one round trip per step for all); absent: the trainer calls `makeEnv` for each.
   */
  readonly makeVector?: (count: number) => VectorEnv;
  /** The scenario of a scenario run, else null. */
  readonly scenario: LoadedScenario | null;
}

/**
 * The env of run folder `runDir`: from its scenario.json when the run has one, else from the
 * registry. Checks that the scenario still builds the env the run was trained on.
 */
export async function loadRunEnvironment(runDir: string, run: RunConfig): Promise<RunEnvironment> {
  if (run.scenario === undefined) {
    const bridged = bridgedEnvRequest(run.env);
    if (bridged !== null) return { envName: run.env, ...bridgedEnvs(run.env, bridged), scenario: null };
    await prepareEnv(run.env); // the MuJoCo engine loads once per thread
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
