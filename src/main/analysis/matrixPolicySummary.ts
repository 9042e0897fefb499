/**
 * Summaries of analysed matrix-game runs: which Nash equilibrium each run's marginals sit near,
 * and per (algorithm, game, training config) the mean marginals, mean expected payoffs and how many
 * runs are near each equilibrium (docs/spec/steer.md §c.5). Runs are summarised together only when
 * their training configs differ in nothing but the seed, so runs of two batches with other settings
 * (found under one folder) are never averaged into one row.
 */
import type { MixedNash } from '../../core/analysis/index.js';
import { type MatrixGameInfo, matrixGameInfo } from './matrixGameInfo.js';
import type { MatrixPolicyRun } from './matrixPolicyRun.js';

/** A run is near an equilibrium when both marginals are within this of its strategies (max |Δ|). */
export const NEAR_NASH_DISTANCE = 0.1;

/** A run with the equilibrium it is near. */
export interface AnalysedRun extends MatrixPolicyRun {
  /** Index into its game's `equilibria` of the nearest one within NEAR_NASH_DISTANCE, else null. */
  readonly nearNash: number | null;
}

/** The runs of one algorithm on one game with one training config, differing only in seed. */
export interface MatrixPolicyGroup {
  readonly algo: string;
  /** Canonical registry name and short name of the game. */
  readonly env: string;
  readonly label: string;
  /**
   * What sets this group's config apart from the other groups of the same algorithm and game,
   * "key=value" items joined by ", " ("" when it is the only one).
   */
  readonly settings: string;
  readonly runs: number;
  /** Fewest and most updates of the saved policies (equal when every run has finished alike). */
  readonly updates: [number, number];
  /** Runs whose greedy cell is the target (in Table 1's games, the converged runs of §c.7). */
  readonly greedyIsTarget: number;
  readonly meanLeader: number[];
  readonly meanFollower: number[];
  readonly meanExpectedPayoffs: [number, number];
  readonly meanTargetProbability: number;
  /** Runs near each of the game's equilibria, in the order of its `equilibria`. */
  readonly nearNash: number[];
  /** Runs near an equilibrium that is not pure. */
  readonly nearMixedNash: number;
  /** Runs whose greedy cell was the target after at least one update (of those that log a verdict). */
  readonly everAtTarget: number;
  /** Runs that log a greedy verdict after every update (metrics.jsonl's eval/converged). */
  readonly withHistory: number;
  /** Mean over those runs of the share of the later half of updates at the target; null when none. */
  readonly meanLateShare: number | null;
}

/** Everything the report prints. */
export interface MatrixPolicyReport {
  /** The games of the runs, in order of first appearance. */
  readonly games: MatrixGameInfo[];
  readonly runs: AnalysedRun[];
  /** One per (algorithm, game, config), in order of first appearance. */
  readonly groups: MatrixPolicyGroup[];
}

/** Max |Δ| between the run's marginals and the equilibrium's strategies. */
export function nashDistance(run: Pick<MatrixPolicyRun, 'leader' | 'follower'>, nash: MixedNash): number {
  const gap = (ours: readonly number[], theirs: readonly number[]) =>
    Math.max(...ours.map((p, i) => Math.abs(p - theirs[i]!)));
  return Math.max(gap(run.leader, nash.leader), gap(run.follower, nash.follower));
}

/** Index of the equilibrium nearest to the run's marginals, if within NEAR_NASH_DISTANCE. */
export function nearestNash(
  run: Pick<MatrixPolicyRun, 'leader' | 'follower'>,
  equilibria: readonly MixedNash[],
): number | null {
  let best: number | null = null;
  let bestDistance = NEAR_NASH_DISTANCE;
  equilibria.forEach((nash, i) => {
    const distance = nashDistance(run, nash);
    if (distance <= bestDistance) {
      best = i;
      bestDistance = distance;
    }
  });
  return best;
}

/** Element-wise mean of equal-length rows. */
function meanOf(rows: readonly (readonly number[])[]): number[] {
  return rows[0]!.map((_, i) => rows.reduce((sum, row) => sum + row[i]!, 0) / rows.length);
}

/** The run's training config without its seed, as [key, JSON value] pairs in key order. */
function settingsOf(run: MatrixPolicyRun): [string, string][] {
  return Object.entries(run.train)
    .filter(([key]) => key !== 'seed')
    .map(([key, value]): [string, string] => [key, JSON.stringify(value)])
    .sort(([a], [b]) => a.localeCompare(b));
}

/** Runs grouped by (algorithm, game, config without seed), groups and runs in order of first appearance. */
function groupRuns(runs: readonly AnalysedRun[]): AnalysedRun[][] {
  const groups = new Map<string, AnalysedRun[]>();
  for (const run of runs) {
    const key = JSON.stringify([run.algo, run.env, settingsOf(run)]);
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return [...groups.values()];
}

/**
 * For each group, the config items that differ between it and the other groups of the same
 * algorithm and game ("" for a group alone).
 */
function distinguishingSettings(groups: readonly AnalysedRun[][]): string[] {
  return groups.map((members) => {
    const first = members[0]!;
    const rivals = groups.filter((g) => g[0]!.algo === first.algo && g[0]!.env === first.env);
    if (rivals.length === 1) return '';
    const configs = rivals.map((g) => new Map(settingsOf(g[0]!)));
    return settingsOf(first)
      .filter(([key, value]) => configs.some((config) => config.get(key) !== value))
      .map(([key, value]) => `${key}=${value}`)
      .join(', ');
  });
}

/** Games, runs with their nearest equilibrium, and the (algorithm, game, config) summaries. */
export function summariseMatrixPolicies(runs: readonly MatrixPolicyRun[]): MatrixPolicyReport {
  const games = new Map<string, MatrixGameInfo>();
  for (const run of runs) if (!games.has(run.env)) games.set(run.env, matrixGameInfo(run.env));
  const analysed = runs.map((run) => ({
    ...run,
    nearNash: nearestNash(run, games.get(run.env)!.equilibria),
  }));
  const grouped = groupRuns(analysed);
  const settings = distinguishingSettings(grouped);
  const groups = grouped.map((members, g): MatrixPolicyGroup => {
    const game = games.get(members[0]!.env)!;
    const nearNash = game.equilibria.map((_, i) => members.filter((run) => run.nearNash === i).length);
    const updates = members.map((run) => run.updates);
    const histories = members.flatMap((run) => (run.history === null ? [] : [run.history]));
    return {
      algo: members[0]!.algo,
      env: game.env,
      label: game.label,
      settings: settings[g]!,
      runs: members.length,
      updates: [Math.min(...updates), Math.max(...updates)],
      greedyIsTarget: members.filter((run) => run.greedyIsTarget).length,
      meanLeader: meanOf(members.map((run) => run.leader)),
      meanFollower: meanOf(members.map((run) => run.follower)),
      meanExpectedPayoffs: meanOf(members.map((run) => run.expectedPayoffs)) as [number, number],
      meanTargetProbability: meanOf(members.map((run) => [run.targetProbability]))[0]!,
      nearNash,
      nearMixedNash: nearNash.reduce((sum, count, i) => sum + (game.equilibria[i]!.pure ? 0 : count), 0),
      everAtTarget: histories.filter((history) => history.everAtTarget).length,
      withHistory: histories.length,
      meanLateShare:
        histories.length === 0
          ? null
          : histories.reduce((sum, history) => sum + history.lateShare, 0) / histories.length,
    };
  });
  return { games: [...games.values()], runs: analysed, groups };
}
