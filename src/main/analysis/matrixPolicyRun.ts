/**
 * One run folder's saved policy on its single-step matrix game: the exact joint action distribution
 * (src/core/analysis/jointPolicy.ts) beside the greedy cell Table 1 judges (docs/spec/steer.md §c.7).
 */
import type { TrainConfig } from '../../core/algos/config.js';
import { jointPolicy } from '../../core/analysis/index.js';
import { readMetrics } from '../io/metricsLog.js';
import { playGreedyEpisode } from '../train/evaluate.js';
import { withRunPolicy } from '../train/evaluateRun.js';
import { readRunConfig, runPaths } from '../train/runDir.js';
import { type MatrixGameInfo, matrixGameInfo, NotMatrixGameError } from './matrixGameInfo.js';
import { type TargetHistory, targetHistory } from './targetHistory.js';

/** What a run's saved policy plays. */
export interface MatrixPolicyRun {
  readonly runDir: string;
  /** The run's algorithm (config.json's train.algo). */
  readonly algo: string;
  /** Canonical registry name of the game, e.g. "matrix:different_order". */
  readonly env: string;
  /** Training seed. */
  readonly seed: number;
  /** The run's resolved training config (config.json's train): runs that differ only in seed are summarised together. */
  readonly train: TrainConfig;
  /** Updates the saved policy has had, and the run's total. */
  readonly updates: number;
  readonly totalUpdates: number;
  /** The greedy joint action [a₀, a₁] of §c.7 (agent 0's argmax, then agent 1's given it). */
  readonly greedy: [number, number];
  /** P(greedy cell) under the stochastic policy. */
  readonly greedyProbability: number;
  /** The target cell: the Stackelberg equilibrium, agent 0 leading (§c.5, §c.7). */
  readonly target: [number, number];
  /** P(target cell). */
  readonly targetProbability: number;
  /** The greedy cell is the target: in Table 1's games, the §c.7 verdict. */
  readonly greedyIsTarget: boolean;
  /** Agent 0's action distribution π₀. */
  readonly leader: number[];
  /** Agent 1's marginal Σ_a₀ π₀(a₀)·π₁(· | a₀). */
  readonly follower: number[];
  /** answers[a₀] = π₁(· | a₀). */
  readonly answers: number[][];
  /** joint[a₀][a₁] = P(a₀, a₁). */
  readonly joint: number[][];
  /** Each agent's expected payoff under the joint distribution. */
  readonly expectedPayoffs: [number, number];
  /** The greedy verdict after every update (metrics.jsonl), or null when the run logs none. */
  readonly history: TargetHistory | null;
}

/**
 * Analyses the policy in `<runDir>/checkpoints/latest`. Throws NotMatrixGameError (message naming
 * the folder) for a run on another env, a RunDirError for a folder without a readable checkpoint.
 */
export async function analyseMatrixRun(runDir: string): Promise<MatrixPolicyRun> {
  const run = await readRunConfig(runDir);
  let game: MatrixGameInfo;
  try {
    if (run.scenario !== undefined) throw new NotMatrixGameError(`a scenario run on ${run.env} (HORM)`);
    game = matrixGameInfo(run.env);
  } catch (error) {
    if (error instanceof NotMatrixGameError) throw new NotMatrixGameError(`${runDir}: ${error.message}`);
    throw error;
  }
  const played = await withRunPolicy(runDir, ({ update, policy, env }): Omit<MatrixPolicyRun, 'history'> => {
    const step = env.reset(0);
    if (step.priority[0] !== 0 || step.priority[1] !== 1) {
      throw new Error(
        `${runDir}: expected agent 0 to lead, the env's priority is ${step.priority.join(',')}`,
      );
    }
    // the state the trainer hands over: the env's, or the observations when it has none
    const state = step.state.length > 0 ? step.state : step.obs;
    const target = game.target.actions;
    const p = jointPolicy(policy, game.bimatrix, { obs: step.obs.slice(), state: state.slice() }, target);
    const played = playGreedyEpisode(policy, env).actions[0]!;
    const greedy: [number, number] = [played[0]!, played[1]!];
    return {
      runDir,
      algo: run.train.algo,
      env: game.env,
      seed: run.train.seed,
      train: run.train,
      updates: update,
      totalUpdates: run.totalUpdates,
      greedy,
      greedyProbability: p.joint[greedy[0]]![greedy[1]]!,
      target: [target[0], target[1]],
      targetProbability: p.targetProbability!,
      greedyIsTarget: greedy[0] === target[0] && greedy[1] === target[1],
      leader: p.leader,
      follower: p.follower,
      answers: p.answers,
      joint: p.joint,
      expectedPayoffs: p.expectedPayoffs,
    };
  });
  // after the checkpoint loaded: a run without one is reported as such, not as lacking metrics
  const history = targetHistory((await readMetrics(runPaths(runDir).metrics)).records);
  return { ...played, history };
}
