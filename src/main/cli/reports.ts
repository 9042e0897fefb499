/**
 * The JSON the commands print with --json (one line each): the shapes other programs read, such as
 * `steer table1` reading its child processes' `train --json`. Camel case; rates are fractions,
 * speeds m/s.
 */
import type { EpisodesEvaluation } from '../train/episodesEvaluate.js';
import type { HormEvaluation } from '../train/hormEvaluate.js';
import type { TrainingResult } from '../train/runTraining.js';

/** The HORM metrics as JSON (camelCase; rates are fractions, speeds m/s). */
export interface HormEvaluationReport {
  /** Episodes played. */
  episodes: number;
  /** Env seed of the first episode (episode i: seed + i). */
  seed: number;
  /** Fraction of episodes in which any CAV crashed. */
  crashRate: number;
  /** Fraction of episodes in which agent 0 crashed (the reference's figure, docs/spec/horm.md §8.4). */
  crashRateAgent0: number;
  /** Mean CAV speed [m/s]. */
  meanSpeed: number;
  /** Mean episode return, averaged over agents. */
  meanReturn: number;
  /** Mean episode return of each agent. */
  meanReturnPerAgent: number[];
  /** Fraction of ramp CAVs that reached the main road uncrashed; null without ramp CAVs. */
  mergeCompletion: number | null;
  /** Ramp CAVs over all episodes (the denominator of mergeCompletion). */
  rampCavs: number;
  /** Mean episode length [policy steps]. */
  meanEpisodeLength: number;
}

/** The metrics of a HORM evaluation as JSON fields (also in `train --json`'s `horm`). */
export function hormEvaluationReport(e: HormEvaluation): HormEvaluationReport {
  return {
    episodes: e.episodes,
    seed: e.seed,
    crashRate: e.crashRate,
    crashRateAgent0: e.crashRateAgent0,
    meanSpeed: e.meanSpeed,
    meanReturn: e.meanReturn,
    meanReturnPerAgent: e.meanReturnPerAgent,
    mergeCompletion: e.mergeCompletion,
    rampCavs: e.rampCavs,
    meanEpisodeLength: e.meanEpisodeLength,
  };
}

/** Seeded greedy episodes as JSON (MA-MuJoCo runs): the fields of EpisodesEvaluation but the env. */
export type EpisodesReport = Omit<EpisodesEvaluation, 'env'>;

/** An EpisodesEvaluation as JSON fields (also in `train --json`'s `episodes`). */
export function episodesReport(e: EpisodesEvaluation): EpisodesReport {
  const { env: _env, ...report } = e;
  return report;
}

/**
 * The one JSON line `train --json` prints (read by `steer table1`). Scenario runs: `returns` are
 * the evaluation's mean returns per agent, `target` null, `actions` empty, and `horm` holds the
 * HORM evaluation (the fields of `steer eval --json`); MA-MuJoCo runs likewise with `episodes`.
 */
export interface TrainSummary {
  status: 'completed' | 'interrupted';
  runDir: string;
  /** The algorithm trained (config.json's train.algo). */
  algo: string;
  env: string;
  seed: number;
  updates: number;
  totalUpdates: number;
  seconds: number;
  backend: string;
  converged: boolean;
  returns: number[];
  target: number[] | null;
  actions: number[][];
  horm?: HormEvaluationReport;
  episodes?: EpisodesReport;
}

/** The summary of a finished (or interrupted) training session, as `train --json` prints it. */
export function trainSummary(result: TrainingResult, runDir: string, backend: string): TrainSummary {
  const base = {
    status: result.status,
    runDir,
    algo: result.run.train.algo,
    env: result.run.env,
    seed: result.run.train.seed,
    updates: result.update,
    totalUpdates: result.totalUpdates,
    seconds: result.seconds,
    backend,
  };
  const e = result.evaluation;
  if (e !== null) {
    return { ...base, converged: e.converged, returns: e.returns, target: e.target, actions: e.actions };
  }
  const p = result.episodesEvaluation;
  if (p !== null) {
    return {
      ...base,
      converged: false,
      returns: p.meanReturnPerAgent,
      target: null,
      actions: [],
      episodes: episodesReport(p),
    };
  }
  const h = result.hormEvaluation!;
  return {
    ...base,
    converged: false,
    returns: h.meanReturnPerAgent,
    target: null,
    actions: [],
    horm: hormEvaluationReport(h),
  };
}
