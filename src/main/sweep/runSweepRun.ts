/**
 * One sweep run in a child process, `node bin/steer.js train … --quiet --json`, deciding as
 * `steer compare` does (src/main/compare/runState.ts, src/main/train/runMatch.ts): a folder that does
 * not exist is a new run, one stopped midway is resumed from its checkpoint (`train --resume`), a
 * finished one is skipped (no child), and one holding another run than planned (another algorithm,
 * env, seed, budget or any training-config field) is refused rather than mixed in. New runs are
 * planned by the one run planner (src/main/train/runPlan.ts), whose command line they are started with.
 */
import { checkpointIdentity, inspectRun } from '../compare/runState.js';
import type { PlannedRun } from '../train/runMatch.js';
import { type NewRunRequest, planNewRun, type RunPlan, trainCommandLine } from '../train/runPlan.js';
import { type ChildOutput, childFailure, lastJsonLine, runSteerChild } from '../workers/steerChildren.js';
import type { SweepEvents, SweepRunAction, SweepRunOutcome } from './sweepExecutor.js';
import type { SweepRun } from './sweepRun.js';
import type { PathResolver, RunTarget } from './sweepTargets.js';

/** How the runs are trained. */
export interface SweepRunSettings {
  /** Concrete backend name given to every child. */
  readonly backend: string;
  /** `--update-threads` of every child (the pool's share of the cores). */
  readonly updateThreads: number;
  /** Paths of the sweep (relative to the working directory) → paths for this process and its children. */
  readonly resolvePath: PathResolver;
  /** The env or scenario a run trains on. */
  readonly targetOf: (run: SweepRun) => RunTarget;
  /** On abort: the child gets SIGTERM, saves and stops. */
  readonly signal?: AbortSignal;
}

/** The run planner's request for `run`. */
export function sweepRunRequest(run: SweepRun, target: RunTarget): NewRunRequest {
  return {
    env: target.env,
    algo: run.algo,
    seed: run.seed,
    updates: run.updates,
    overrides: run.overrides,
    referenceQuirks: run.referenceQuirks,
    checkpointEvery: run.checkpointEvery,
    evaluation: run.evaluation ?? undefined,
  };
}

/** The `steer train` arguments of a new run (the planner's command line) or of a resume. */
export function sweepTrainArguments(
  run: SweepRun,
  plan: { readonly plan: RunPlan; readonly request: NewRunRequest; readonly target: RunTarget },
  resume: boolean,
  settings: Pick<SweepRunSettings, 'backend' | 'updateThreads' | 'resolvePath'>,
): string[] {
  const runDir = settings.resolvePath(run.runDir);
  const args = resume
    ? ['train', '--resume', runDir, '--backend', settings.backend]
    : trainCommandLine(
        plan.plan,
        plan.request,
        runDir,
        settings.backend,
        plan.target.scenarioPath ?? undefined,
      );
  return [...args, '--quiet', '--json', '--update-threads', String(settings.updateThreads)];
}

/** Trains `run` unless finished; null when it was interrupted (onStopped says where it stopped). */
export async function runSweepRun(
  run: SweepRun,
  settings: SweepRunSettings,
  events: SweepEvents = {},
): Promise<SweepRunOutcome | null> {
  const started = performance.now();
  const runDir = settings.resolvePath(run.runDir);
  const outcome = (action: SweepRunAction, update: number, error: string | null = null): SweepRunOutcome => ({
    id: run.id,
    action,
    status: error === null ? 'done' : 'failed',
    update,
    error,
    seconds: (performance.now() - started) / 1000,
  });
  const target = settings.targetOf(run);
  const request = sweepRunRequest(run, target);
  let plan: RunPlan;
  try {
    plan = planNewRun(request);
  } catch (error) {
    return outcome('skipped', 0, (error as Error).message);
  }
  const planned: PlannedRun = { env: plan.run.env, train: plan.run.train, updates: plan.run.totalUpdates };
  const state = await inspectRun(runDir, planned);
  if (state.kind === 'other') return outcome('skipped', 0, state.reason);
  if (state.kind === 'finished') return outcome('skipped', state.update);
  if (settings.signal?.aborted) {
    events.onStopped?.(run, state.kind === 'partial' ? state.update : 0); // no child for a stopped sweep
    return null;
  }
  const action = state.kind === 'new' ? 'trained' : 'resumed';
  events.onStart?.(run, action);
  const args = sweepTrainArguments(run, { plan, request, target }, state.kind === 'partial', settings);
  let output: ChildOutput;
  try {
    await target.prepare();
    output = await runSteerChild(args, settings.signal);
  } catch (error) {
    // the scenario copy could not be written, or no child could be started: this run fails alone
    return outcome(action, state.kind === 'partial' ? state.update : 0, (error as Error).message);
  }
  const summary = lastJsonLine(output.stdout) as { status?: unknown; updates?: unknown } | null;
  if (output.code === 0 && summary?.status === 'completed' && typeof summary.updates === 'number') {
    return outcome(action, summary.updates);
  }
  const saved = (await checkpointIdentity(runDir))?.update ?? 0;
  if (settings.signal?.aborted) {
    events.onStopped?.(run, saved);
    return null;
  }
  const error = output.code === 0 ? 'the child printed no train summary' : childFailure(output);
  return outcome(action, saved, error);
}
