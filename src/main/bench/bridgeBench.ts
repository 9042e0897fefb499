/**
 * The Python bridge's overhead (docs/envs/bridge.md "Speed"): a batch of env copies stepped through
 * the bridge (actions from this thread, observations, states, rewards and dones back) against the
 * same copies stepped by the server's own Python loop (`bench` op: env.step with random actions,
 * resets at episode ends), in one run, per step of the whole batch. Issue #12's target: ≤ 1.5× for
 * 8 MPE copies on one server.
 */
import type { BridgedEnvRequest } from '../../core/envs/bridged/bridgedEnvName.js';
import type { EnvSpec } from '../../core/envs/types.js';
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

/**
 * `steps` batch steps through the bridge, `repeats` times after one warm-up [s each]. Random
 * actions are drawn before timing (uniform numbers; a discrete one picks among the actions its
 * agent has available at that step, so envs whose agents have fewer actions than the padded count
 * are measured too).
 */
function bridgeTimes(vector: BridgeVectorEnv, options: BridgeBenchOptions): number[] {
  const { spec } = vector;
  const space = spec.actionSpace;
  const rng = Rng.fromSeed(7);
  const all = Array.from({ length: vector.size }, (_, c) => c);
  const width = space.kind === 'discrete' ? 1 : space.dim;
  const draws = Array.from({ length: options.steps }, () =>
    all.map(() => Float64Array.from({ length: spec.numAgents * width }, () => rng.uniform())),
  );
  const actions = all.map(() => new Float64Array(spec.numAgents * width));
  const times: number[] = [];
  let seed = 0;
  for (let r = 0; r <= options.repeats; r++) {
    const start = performance.now();
    const latest = vector.reset(
      all,
      all.map(() => seed++),
    );
    for (const draw of draws) {
      all.forEach((c) => {
        chooseActions(space, latest[c]!.availActions, draw[c]!, actions[c]!);
      });
      const transitions = vector.step(actions);
      const ended: number[] = [];
      transitions.forEach((transition, c) => {
        latest[c] = transition;
        if (transition.episodeDone) ended.push(c);
      });
      if (ended.length > 0) {
        vector
          .reset(
            ended,
            ended.map(() => seed++),
          )
          .forEach((step, k) => {
            latest[ended[k]!] = step;
          });
      }
    }
    if (r > 0) times.push((performance.now() - start) / 1000);
  }
  return times;
}

/** Actions from uniform draws: discrete ones among the available actions, continuous ones in the box. */
function chooseActions(
  space: EnvSpec['actionSpace'],
  avail: Uint8Array | null,
  draw: Float64Array,
  out: Float64Array,
): void {
  if (space.kind === 'continuous') {
    for (let i = 0; i < out.length; i++) out[i] = space.low + draw[i]! * (space.high - space.low);
    return;
  }
  for (let j = 0; j < out.length; j++) {
    const row = avail?.subarray(j * space.n, (j + 1) * space.n);
    const count = row ? row.reduce((n, a) => n + (a ? 1 : 0), 0) : space.n;
    let pick = Math.floor(draw[j]! * Math.max(count, 1));
    let action = 0;
    for (; action < space.n; action++) {
      if (row !== undefined && !row[action]) continue;
      if (pick-- === 0) break;
    }
    out[j] = Math.min(action, space.n - 1);
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
