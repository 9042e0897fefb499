/**
 * One sweep run in a child process, `node bin/steer.js train … --quiet --json`, deciding as
 * `steer compare` does (src/main/train/runState.ts, src/main/train/runMatch.ts): a folder that does
 * not exist is a new run, one stopped midway is resumed from its checkpoint (`train --resume`), a
 * finished one is skipped (no child), and one holding another run than planned (another algorithm,
 * env, seed, budget or any training-config field) is refused rather than mixed in. New runs are
 * planned by the one run planner (src/main/train/runPlan.ts), whose command line they are started with.
 * The decision (`decideSweepRun`) is shared by both executors: the local pool, and the queue, which
 * makes it before queuing a run and again in the worker that takes it (queue/).
 */

import type { PlannedRun } from '../train/runMatch.js';
import { type NewRunRequest, planNewRun, type RunPlan, trainCommandLine } from '../train/runPlan.js';
import { checkpointIdentity, inspectRun } from '../train/runState.js';
import { type ChildOutput, childFailure, lastJsonLine, runSteerChild } from '../workers/steerChildren.js';
import type { SweepEvents, SweepRunAction, SweepRunOutcome } from './sweepExecutor.js';
import type { SweepRun } from './sweepRun.js';
import type { PathResolver, RunTarget } from './sweepTargets.js';

/** What a sweep file's user can do about a folder holding another run. */
export const SWEEP_OTHER_RUN_REMEDY = 'move it away, or give the sweep file another name or runsDir';

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
  /** On abort: the child gets SIGKILL and saves nothing (a queue worker that lost its run's lease). */
  readonly kill?: AbortSignal;
  /** The child dies with this process, even a SIGKILL'd one (a queue worker: another takes the run over). */
  readonly exitWithParent?: boolean;
  /** What to do about a folder holding another run, said after the difference (default: a sweep file's remedy). */
  readonly otherRunRemedy?: string;
}

/** What a run folder says before any child: train (new or resumed), or ended already (finished, refused). */
export type SweepRunDecision =
  | { readonly kind: 'ended'; readonly outcome: SweepRunOutcome }
  | {
      readonly kind: 'train';
      /** Trained from scratch, or resumed from its checkpoint. */
      readonly action: 'trained' | 'resumed';
      /** The update its checkpoint holds (0 for a new run). */
      readonly update: number;
      readonly plan: RunPlan;
      readonly request: NewRunRequest;
      readonly target: RunTarget;
    };

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

/** One run's outcome, timed from `started` (performance.now()). */
function sweepOutcome(
  run: SweepRun,
  started: number,
  action: SweepRunAction,
  update: number,
  error: string | null = null,
): SweepRunOutcome {
  return {
    id: run.id,
    action,
    status: error === null ? 'done' : 'failed',
    update,
    error,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * Decides `run` from its folder without starting anything, as `steer compare` does: a new run, one
 * stopped midway (resumed), a finished one (ended: skipped) or one holding another run than planned
 * (ended: failed, naming the first field that differs). Shared by the executors: the local pool
 * before its child, the queue before it submits a job and again in the worker that takes it.
 */
export async function decideSweepRun(
  run: SweepRun,
  settings: Pick<SweepRunSettings, 'resolvePath' | 'targetOf' | 'otherRunRemedy'>,
): Promise<SweepRunDecision> {
  const started = performance.now();
  const ended = (update: number, error: string | null = null): SweepRunDecision => ({
    kind: 'ended',
    outcome: sweepOutcome(run, started, 'skipped', update, error),
  });
  let target: RunTarget;
  let request: NewRunRequest;
  let plan: RunPlan;
  try {
    target = settings.targetOf(run);
    request = sweepRunRequest(run, target);
    plan = planNewRun(request);
  } catch (error) {
    return ended(0, (error as Error).message);
  }
  const planned: PlannedRun = { env: plan.run.env, train: plan.run.train, updates: plan.run.totalUpdates };
  const state = await inspectRun(
    settings.resolvePath(run.runDir),
    planned,
    settings.otherRunRemedy ?? SWEEP_OTHER_RUN_REMEDY,
  );
  if (state.kind === 'other') return ended(0, state.reason);
  if (state.kind === 'finished') return ended(state.update);
  const resumed = state.kind === 'partial';
  return {
    kind: 'train',
    action: resumed ? 'resumed' : 'trained',
    update: resumed ? state.update : 0,
    plan,
    request,
    target,
  };
}

/** Trains `run` unless finished; null when it was interrupted (onStopped says where it stopped). */
export async function runSweepRun(
  run: SweepRun,
  settings: SweepRunSettings,
  events: SweepEvents = {},
): Promise<SweepRunOutcome | null> {
  const started = performance.now();
  const decision = await decideSweepRun(run, settings);
  if (decision.kind === 'ended') return decision.outcome;
  const { action, update } = decision;
  const outcome = (saved: number, error: string | null = null) =>
    sweepOutcome(run, started, action, saved, error);
  if (settings.signal?.aborted) {
    events.onStopped?.(run, update); // no child for a stopped sweep
    return null;
  }
  events.onStart?.(run, action);
  const args = sweepTrainArguments(run, decision, action === 'resumed', settings);
  const runDir = settings.resolvePath(run.runDir);
  let output: ChildOutput;
  try {
    await decision.target.prepare();
    output = await runSteerChild(args, settings.signal, {
      ...(settings.kill !== undefined && { kill: settings.kill }),
      exitWithParent: settings.exitWithParent === true,
      oneCore: settings.updateThreads === 1,
    });
  } catch (error) {
    // the scenario copy could not be written, or no child could be started: this run fails alone
    return outcome(update, (error as Error).message);
  }
  const summary = lastJsonLine(output.stdout) as { status?: unknown; updates?: unknown } | null;
  if (output.code === 0 && summary?.status === 'completed' && typeof summary.updates === 'number') {
    return outcome(summary.updates);
  }
  const saved = (await checkpointIdentity(runDir))?.update ?? 0;
  if (settings.kill?.aborted) return outcome(saved, `stopped: ${String(settings.kill.reason)}`);
  if (settings.signal?.aborted) {
    events.onStopped?.(run, saved);
    return null;
  }
  const error = output.code === 0 ? 'the child printed no train summary' : childFailure(output);
  return outcome(saved, error);
}
