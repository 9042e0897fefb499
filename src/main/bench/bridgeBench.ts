/**
 * The Python bridge's overhead (docs/envs/bridge.md "Speed"): a batch of env copies stepped through
 * the bridge (actions from this thread, observations, states, rewards and dones back) against the
 * same copies stepped by the server's own Python loop (`bench` op: env.step with random actions,
 * resets at episode ends), in one run, per step of the whole batch. Issue #12's target: ≤ 1.5× for
 * 8 MPE copies on one server.
 */
import type { BridgedEnvRequest } from '../../core/envs/bridged/bridgedEnvName.js';
import { Rng } from '../../core/rng.js';
import { assertBridgeReady } from '../bridge/bridgedRunEnv.js';
import { type BridgeVectorEnv, openBridgeVectorEnv } from '../bridge/bridgeVectorEnv.js';

/** What to measure. */
export interface BridgeBenchOptions {
  readonly envName: string;
  readonly request: BridgedEnvRequest;
  /** Env copies per batch. */
  readonly copies: number;
  /** Batch steps per measurement. */
  readonly steps: number;
  /** Measurements (each side), the median reported. */
  readonly repeats: number;
  /** Server counts to measure the bridge with (the direct figure is one server's loop). */
  readonly servers: readonly number[];
}

/** One figure: the time of one step of the whole batch. */
export interface BridgeBenchFigure {
  readonly env: string;
  /** "python" (the server's own loop) or "bridge". */
  readonly path: 'python' | 'bridge';
  readonly copies: number;
  readonly servers: number;
  /** Median time of one batch step [µs]. */
  readonly stepUs: number;
  /** stepUs / the python figure's. */
  readonly ratio: number;
  readonly median_of: number;
}

/** Measures the python loop, then the bridge at each server count; calls `onFigure` as each is known. */
export async function benchBridge(
  options: BridgeBenchOptions,
  onFigure: (figure: BridgeBenchFigure) => void,
): Promise<BridgeBenchFigure[]> {
  assertBridgeReady(options.envName);
  const figures: BridgeBenchFigure[] = [];
  let direct = Number.NaN;
  for (const servers of options.servers) {
    const vector = await openBridgeVectorEnv({
      envName: options.envName,
      ...options.request,
      copies: options.copies,
      servers,
    });
    try {
      if (servers === 1) {
        const python = median(pythonLoopTimes(vector, options)) / options.steps;
        direct = python;
        figures.push(figureOf(options, 'python', 1, python, direct));
        onFigure(figures.at(-1)!);
      }
      const bridge = median(bridgeTimes(vector, options)) / options.steps;
      figures.push(figureOf(options, 'bridge', servers, bridge, direct));
      onFigure(figures.at(-1)!);
    } finally {
      vector.close();
    }
  }
  return figures;
}

function figureOf(
  options: BridgeBenchOptions,
  path: BridgeBenchFigure['path'],
  servers: number,
  seconds: number,
  direct: number,
): BridgeBenchFigure {
  return {
    env: options.envName,
    path,
    copies: options.copies,
    servers,
    stepUs: seconds * 1e6,
    ratio: seconds / direct,
    median_of: options.repeats,
  };
}

/** The server's own loop, `repeats` times after one warm-up [s each]. */
function pythonLoopTimes(vector: BridgeVectorEnv, options: BridgeBenchOptions): number[] {
  const times: number[] = [];
  for (let r = 0; r <= options.repeats; r++) {
    const [reply] = vector.batch.call('bench', [{ steps: options.steps, seed: r }]);
    const seconds = reply?.result.seconds;
    if (typeof seconds !== 'number') throw new Error(`${options.envName}: the server's bench gave no time`);
    if (r > 0) times.push(seconds);
  }
  return times;
}

/** `steps` batch steps through the bridge, `repeats` times after one warm-up [s each]. */
function bridgeTimes(vector: BridgeVectorEnv, options: BridgeBenchOptions): number[] {
  const { spec } = vector;
  const rng = Rng.fromSeed(7);
  const all = Array.from({ length: vector.size }, (_, c) => c);
  const width = spec.actionSpace.kind === 'discrete' ? 1 : spec.actionSpace.dim;
  // random actions drawn before timing, as the server's loop does
  const plan = Array.from({ length: options.steps }, () =>
    all.map(() =>
      Float64Array.from({ length: spec.numAgents * width }, () =>
        spec.actionSpace.kind === 'discrete'
          ? rng.int(spec.actionSpace.n)
          : spec.actionSpace.low + rng.uniform() * (spec.actionSpace.high - spec.actionSpace.low),
      ),
    ),
  );
  const times: number[] = [];
  let seed = 0;
  for (let r = 0; r <= options.repeats; r++) {
    const start = performance.now();
    vector.reset(
      all,
      all.map(() => seed++),
    );
    for (const actions of plan) {
      const ended = vector.step(actions).flatMap((transition, c) => (transition.episodeDone ? [c] : []));
      if (ended.length > 0)
        vector.reset(
          ended,
          ended.map(() => seed++),
        );
    }
    if (r > 0) times.push((performance.now() - start) / 1000);
  }
  return times;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
