/**
 * One episode of an editor scenario, for the player (`sim.run`, docs/app.md "Scenario editor"):
 * the scenario is validated and built into a HormEnv exactly as `steer eval` / `steer baseline`
 * build theirs (src/core/envs/horm/fromScenario.ts), played by a scripted baseline (docs/spec/horm.md
 * Appendix B) or a trained run's greedy policy through the same evaluation loop
 * (src/main/train/hormEvaluate.ts), and recorded as a replay by the same observer.
 *
 * The episode itself runs in a worker thread (editorSimWorker.ts, started like the training jobs'
 * workers), so the host process (the Electron main process, the web host) keeps answering while a
 * model plays. The checks that make a clear `invalid-request` (the scenario's issues, a policy of
 * another shape) run here first and cost no thread; a worker that fails or crashes is an ApiError
 * with its message.
 *
 * A trained policy plays any scenario whose env has its shape: the same number of agents (CAVs),
 * observation and state sizes and action space as the env it was trained on. So the bundled HORM
 * easy model (density 1: 2 CAVs) plays every scenario with exactly 2 CAVs, whatever else is on the
 * road; anything else is refused with both shapes in the message.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type OpenedScenario, openedScenarioData, openScenarioDocument } from '../../core/envs/horm/index.js';
import type { EnvSpec } from '../../core/envs/types.js';
import { ReplayReader } from '../../core/replay/index.js';
import {
  EDITOR_REPLAY_DIR,
  isModelPath,
  MODEL_ROOTS,
  type SimModel,
} from '../../shared/api/scenarioMethods.js';
import { confine } from '../io/confinedPath.js';
import { writeReplayFile } from '../io/replayFile.js';
import { relativeMessage } from '../jobs/runCatalog.js';
import { ServiceError } from '../services/serviceError.js';
import { readRunConfig, runPaths } from '../train/runDir.js';
import type { LoadedScenario } from '../train/runEnvironment.js';
import { loadRunEnvironment } from '../train/runEnvironment.js';
import { runTsWorkerTask } from '../workers/tsWorker.js';
import type {
  EditorEpisodeTask,
  EditorLiveOptions,
  EditorSimWorkerMessage,
  PlayedEpisode,
} from './editorSimWorker.js';

/** What `sim.run` and `sim.start` ask for. */
export interface EditorEpisodeRequest {
  /** The scenario document (checked by openEpisodeRequest). */
  readonly scenario: Record<string, unknown>;
  readonly model: SimModel;
  /** Env seed; default the scenario's. */
  readonly seed?: number;
  /** Also write the replay under EDITOR_REPLAY_DIR. */
  readonly record: boolean;
}

/** An episode request whose scenario passed the gate: what runEditorEpisode plays. */
export interface OpenedEpisodeRequest extends Omit<EditorEpisodeRequest, 'scenario'> {
  readonly scenario: OpenedScenario;
}

/** One played episode. */
export interface EditorEpisode {
  /** Project-relative path of the written replay, or null. */
  readonly path: string | null;
  readonly fileBytes: number;
  readonly env: string;
  readonly seed: number;
  readonly steps: number;
  readonly crashed: boolean;
  readonly meanReturn: number;
  readonly bytes: Uint8Array;
}

/** Label of an unsaved editor scenario in replay headers. */
const EDITOR_LABEL = '(scenario editor)';

/** The worker entry, next to this file. */
const WORKER_ENTRY = new URL('./editorSimWorker.ts', import.meta.url);

/**
 * The request with its scenario through the scenario gate (once: the worker reopens it without a
 * second validation), or an `invalid-request` ApiError with the issues at their JSON paths.
 */
export function openEpisodeRequest(request: EditorEpisodeRequest, method: string): OpenedEpisodeRequest {
  const gate = openScenarioDocument(request.scenario, EDITOR_LABEL);
  if (!gate.ok) {
    const n = gate.issues.length;
    throw new ServiceError(
      'invalid-request',
      `${method}: the scenario has ${n} problem${n === 1 ? '' : 's'}: ${gate.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      gate.issues,
    );
  }
  return { ...request, scenario: gate.opened };
}

/** "2 agents, obs 27, state 54, 5 actions" for messages. */
function shape(spec: EnvSpec): string {
  const actions =
    spec.actionSpace.kind === 'discrete' ? `${spec.actionSpace.n} actions` : 'continuous actions';
  return `${spec.numAgents} agent${spec.numAgents === 1 ? '' : 's'} (CAVs), obs ${spec.obsDim}, state ${spec.stateDim}, ${actions}`;
}

/**
 * Why the policy of run `path` (trained on `env`, shape `trained`) cannot play `target`, in words:
 * the CAV counts when they differ ("trained with 2 CAVs; this scenario has 3"), else both shapes.
 */
function mismatchText(path: string, env: string, trained: EnvSpec, target: EnvSpec): string {
  const cavs = (n: number) => `${n} CAV${n === 1 ? '' : 's'}`;
  const fix = `Give the scenario ${cavs(trained.numAgents)}, or pick a baseline`;
  if (trained.numAgents !== target.numAgents) {
    return `${path} was trained with ${cavs(trained.numAgents)}; this scenario has ${target.numAgents}. ${fix}`;
  }
  return `${path} was trained on ${env}: ${shape(trained)}; this scenario builds ${target.name}: ${shape(target)}. ${fix}`;
}

/** Whether a policy trained on `trained` can act in `target`. */
function sameShape(trained: EnvSpec, target: EnvSpec): boolean {
  return (
    trained.numAgents === target.numAgents &&
    trained.obsDim === target.obsDim &&
    trained.stateDim === target.stateDim &&
    JSON.stringify(trained.actionSpace) === JSON.stringify(target.actionSpace)
  );
}

/** A file-name-safe slug of a scenario name: "Two ramp vehicles" → "two-ramp-vehicles". */
export function slugOf(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return slug === '' ? 'scenario' : slug;
}

/** Streaming of a live episode (`sim.start`, liveSessions.ts). */
export interface EditorLiveStream extends EditorLiveOptions {
  /** Called with the replay file's bytes as the worker finishes them, in file order. */
  readonly onBytes: (bytes: Uint8Array) => void;
}

/**
 * Plays one episode in a worker thread and returns its replay. `projectRoot` holds models/ and
 * runs/; a recorded replay is written to
 * `<projectRoot>/runs/replays/editor/<scenario>-<model>-seed<seed>-<time>.replay`. With `live`,
 * the replay's bytes also arrive as they are made (the pieces joined are the returned bytes).
 */
export async function runEditorEpisode(
  projectRoot: string,
  request: OpenedEpisodeRequest,
  now: () => Date = () => new Date(),
  live?: EditorLiveStream,
): Promise<EditorEpisode> {
  const loaded = request.scenario;
  const seed = request.seed ?? loaded.scenario.seed;
  const model = request.model;
  const modelLabel = model.kind === 'baseline' ? model.policy : model.path.split('/').at(-1)!;
  const file = `${EDITOR_REPLAY_DIR}/${slugOf(loaded.scenario.name)}-${slugOf(modelLabel)}-seed${seed}-${now().toISOString().replace(/[:.]/g, '-')}.replay`;
  const task: EditorEpisodeTask = {
    scenario: openedScenarioData(loaded),
    seed,
    file,
    model:
      model.kind === 'baseline'
        ? model
        : { kind: 'run', path: model.path, runDir: await checkRunFits(projectRoot, model.path, loaded) },
    ...(live === undefined ? {} : { live: { framesPerChunk: live.framesPerChunk, paceMs: live.paceMs } }),
  };

  const played = await runTsWorkerTask<EditorEpisodeTask, EditorSimWorkerMessage, PlayedEpisode>(
    WORKER_ENTRY,
    task,
    'sim.run',
    (message) => {
      if (message.type === 'bytes') {
        live?.onBytes(message.bytes);
        return null; // more to come
      }
      if (message.type === 'played') return { result: message.episode };
      const text = `sim.run: ${relativeMessage(new Error(message.message), projectRoot)}`;
      return { error: new ServiceError(message.fileProblem ? 'unreadable' : 'internal', text) };
    },
  );

  const bytes = played.bytes;
  ReplayReader.open(bytes); // a replay the player cannot read is a bug here, not in the window
  if (request.record) await writeReplayFile(join(projectRoot, ...file.split('/')), bytes);
  return {
    path: request.record ? file : null,
    fileBytes: bytes.length,
    env: played.env,
    seed,
    steps: played.steps,
    crashed: played.crashed,
    meanReturn: played.meanReturn,
    bytes,
  };
}

/**
 * The folder of run `path` (`models/<name>` or `runs/<name>`) when its policy can act in the
 * scenario's env: `not-found` for a folder that is not a readable run, `invalid-request` with both
 * shapes for a policy of another shape.
 */
async function checkRunFits(projectRoot: string, path: string, loaded: LoadedScenario): Promise<string> {
  const dir = join(projectRoot, ...path.split('/'));
  const root = path.split('/')[0]!;
  if ((await confine(projectRoot, root, path).catch(() => null))?.kind === 'outside') {
    throw new ServiceError(
      'refused',
      `sim.run: ${path}: expected a folder inside ${root}/, the real path leaves it`,
    );
  }
  let run: Awaited<ReturnType<typeof readRunConfig>>;
  let own: Awaited<ReturnType<typeof loadRunEnvironment>>;
  try {
    run = await readRunConfig(dir);
    own = await loadRunEnvironment(dir, run);
  } catch (error) {
    throw new ServiceError('not-found', `sim.run: ${path}: ${(error as Error).message.replace(dir, path)}`);
  }
  const trainedSpec = own.makeEnv().spec;
  const targetSpec = loaded.makeEnv().spec;
  if (!sameShape(trainedSpec, targetSpec)) {
    throw new ServiceError(
      'invalid-request',
      `sim.run: ${mismatchText(path, run.env, trainedSpec, targetSpec)}`,
      [
        {
          path: 'traffic',
          message: `expected ${trainedSpec.numAgents} CAVs for ${path}, received ${targetSpec.numAgents}`,
        },
      ],
    );
  }
  return dir;
}

/** A run folder `sim.run` can play. */
export interface PlayableRun {
  readonly path: string;
  readonly env: string;
  readonly agents: number;
  readonly scenario: string;
}

/** Agents of a HORM env name: "horm:density-1" → 2, "horm:vehicles-3-cavs" → 3; null otherwise. */
export function agentsOfEnvName(env: string): number | null {
  const density = /^horm:density-(\d+)$/.exec(env);
  if (density !== null) return Number(density[1]) + 1; // docs/spec/horm.md §5.1: density + 1 CAVs
  const vehicles = /^horm:vehicles-(\d+)-cavs$/.exec(env);
  return vehicles === null ? null : Number(vehicles[1]);
}

/**
 * The scenario (HORM) run folders directly under models/ and runs/ that have a checkpoint, sorted
 * by path. Folders that are not runs, or not HORM runs, are skipped.
 */
export async function listPlayableRuns(projectRoot: string): Promise<PlayableRun[]> {
  const runs: PlayableRun[] = [];
  for (const root of MODEL_ROOTS) {
    let names: string[];
    try {
      names = (await readdir(join(projectRoot, root), { withFileTypes: true }))
        .filter((d) => d.isDirectory() || d.isSymbolicLink())
        .map((d) => d.name)
        .filter((name) => isModelPath(`${root}/${name}`))
        .sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const dir = join(projectRoot, root, name);
      if ((await confine(projectRoot, root, `${root}/${name}`).catch(() => null))?.kind !== 'inside')
        continue;
      if (!existsSync(join(runPaths(dir).checkpoint, 'checkpoint.json'))) continue;
      try {
        const run = await readRunConfig(dir);
        const agents = agentsOfEnvName(run.env);
        if (run.scenario === undefined || agents === null) continue;
        runs.push({ path: `${root}/${name}`, env: run.env, agents, scenario: run.scenario.name });
      } catch {
        // not a readable run folder: not listed
      }
    }
  }
  return runs;
}
