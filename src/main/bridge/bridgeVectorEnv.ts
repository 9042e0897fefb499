/**
 * A VectorEnv (src/core/envs/vector.ts) whose copies live in Python bridge servers
 * (docs/envs/bridge-protocol.md): `copies` copies split as evenly as possible over `servers`
 * processes, contiguously (copy i → server s, local index j). One `step` is one round trip per
 * server, all servers in parallel; one `reset` addresses only the servers holding the copies named.
 * Transitions are views into the reply frames: valid until the next step or reset, as the
 * VectorEnv contract allows.
 *
 * Single envs: the protocol steps every copy of a server together, so a view of one copy of a
 * larger vector cannot step on its own. `singleBridgeEnv` wraps a vector of size 1 as a
 * MultiAgentEnv, and `openBridgeEnv` opens one (one server, one copy); evaluation code that needs
 * separate envs opens one each.
 */
import { availableParallelism } from 'node:os';
import type { ActionSpace, EnvSpec, EnvStep, EnvTransition, MultiAgentEnv } from '../../core/envs/types.js';
import type { VectorEnv } from '../../core/envs/vector.js';
import {
  BridgeBatch,
  type BridgeBatchOptions,
  type BridgeDeadlines,
  type BridgeReply,
} from './bridgeBatch.js';
import { BridgeError } from './bridgeErrors.js';
import type { FrameArray, FrameTypedArray } from './frames.js';

/** What `openBridgeVectorEnv` needs. */
export interface BridgeVectorEnvOptions {
  /** The env's registry name: the spec's name, and named in every error. */
  readonly envName: string;
  /** The server's env family: "pettingzoo", or "fake" (tests). */
  readonly family: string;
  /** PettingZoo's submodule ("mpe"); unused by "fake". */
  readonly module?: string;
  /** The env module ("simple_spread_v3"); unused by "fake". */
  readonly env?: string;
  /** Constructor arguments (the fake family's fault hooks too). */
  readonly kwargs?: Readonly<Record<string, unknown>>;
  /** Env copies (≥ 1). */
  readonly copies: number;
  /** Server processes (default one per core, at most one per copy). */
  readonly servers?: number;
  /** The interpreter (default the project's .venv-bridge). */
  readonly python?: string;
  /** Extra PYTHONPATH folders. */
  readonly pythonPath?: readonly string[];
  /** Deadlines to override [ms]. */
  readonly deadlines?: Partial<BridgeDeadlines>;
}

/**
 * The episode limit of an env whose server names none (no `max_cycles` or the like): the longest
 * evaluation episode (docs/envs/bridge.md "Episodes").
 */
export const UNKNOWN_EPISODE_LIMIT = 1000;

/** The `spaces` of a `make` reply (docs/envs/bridge-protocol.md "Operations"). */
interface Spaces {
  readonly agents: readonly string[];
  readonly obsDim: number;
  readonly stateDim: number;
  readonly action:
    | { readonly kind: 'discrete'; readonly n: number }
    | { readonly kind: 'continuous'; readonly dim: number; readonly low: number; readonly high: number };
  readonly episodeLimit: number;
}

/** How many copies each of `servers` servers hosts: as even as possible, the first ones one more. */
export function splitCopies(copies: number, servers: number): number[] {
  const base = Math.floor(copies / servers);
  return Array.from({ length: servers }, (_, s) => base + (s < copies % servers ? 1 : 0));
}

/**
 * Starts the servers, makes the env in each and resolves to the vector (its spec built from the
 * servers' `spaces`). Rejects with a BridgeError, leaving no server behind.
 */
export async function openBridgeVectorEnv(options: BridgeVectorEnvOptions): Promise<BridgeVectorEnv> {
  const { counts, batchOptions } = batchPlan(options);
  const { batch, made } = await BridgeBatch.open(batchOptions);
  return vectorOver(options, batch, made, counts);
}

/**
 * `openBridgeVectorEnv`, synchronously: the calling thread blocks while the servers start and make
 * their envs (BridgeBatch.openSync), for code that builds envs synchronously (the trainer).
 */
export function openBridgeVectorEnvSync(options: BridgeVectorEnvOptions): BridgeVectorEnv {
  const { counts, batchOptions } = batchPlan(options);
  const { batch, made } = BridgeBatch.openSync(batchOptions);
  return vectorOver(options, batch, made, counts);
}

/** The copies of each server and the batch to open for them. */
function batchPlan(options: BridgeVectorEnvOptions): { counts: number[]; batchOptions: BridgeBatchOptions } {
  if (!Number.isInteger(options.copies) || options.copies < 1) {
    throw new Error(`${options.envName}: copies must be an integer ≥ 1, got ${options.copies}`);
  }
  const servers = Math.max(1, Math.min(options.servers ?? availableParallelism(), options.copies));
  const counts = splitCopies(options.copies, servers);
  const make = counts.map((copies) => ({
    family: options.family,
    ...(options.module === undefined ? {} : { module: options.module }),
    ...(options.env === undefined ? {} : { env: options.env }),
    kwargs: options.kwargs ?? {},
    copies,
  }));
  return {
    counts,
    batchOptions: {
      envName: options.envName,
      make,
      ...(options.python === undefined ? {} : { python: options.python }),
      ...(options.pythonPath === undefined ? {} : { pythonPath: options.pythonPath }),
      ...(options.deadlines === undefined ? {} : { deadlines: options.deadlines }),
    },
  };
}

/** The vector over an open batch (closed again if the servers' spaces are malformed). */
function vectorOver(
  options: BridgeVectorEnvOptions,
  batch: BridgeBatch,
  made: readonly BridgeReply[],
  counts: readonly number[],
): BridgeVectorEnv {
  try {
    const spec = specOf(options.envName, made[0]!.result.spaces);
    return new BridgeVectorEnv(batch, spec, counts);
  } catch (error) {
    batch.close();
    throw error;
  }
}

/** The EnvSpec of `spaces`; throws a protocol BridgeError when they are not what the doc says. */
function specOf(envName: string, spaces: unknown): EnvSpec {
  const s = spaces as Partial<Spaces> | undefined;
  const a = s?.action;
  const isCount = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
  const ok =
    Array.isArray(s?.agents) &&
    s.agents.length > 0 &&
    isCount(s.obsDim) &&
    isCount(s.stateDim) &&
    isCount(s.episodeLimit) &&
    ((a?.kind === 'discrete' && isCount(a.n)) ||
      (a?.kind === 'continuous' &&
        isCount(a.dim) &&
        typeof a.low === 'number' &&
        typeof a.high === 'number'));
  if (!ok) {
    const message = `make: the reply's spaces are malformed: ${JSON.stringify(spaces)?.slice(0, 500)}`;
    throw new BridgeError(envName, { kind: 'protocol', message });
  }
  const actionSpace: ActionSpace =
    a!.kind === 'discrete'
      ? { kind: 'discrete', n: a!.n }
      : { kind: 'continuous', dim: a!.dim, low: a!.low, high: a!.high };
  return {
    name: envName,
    numAgents: s!.agents!.length,
    obsDim: s!.obsDim!,
    stateDim: s!.stateDim!,
    actionSpace,
    // an env that names no episode length: evaluation episodes end at episodeDone or at this cap
    episodeLimit: s!.episodeLimit! > 0 ? s!.episodeLimit! : UNKNOWN_EPISODE_LIMIT,
  };
}

/** The vector; see the file comment. Open it with `openBridgeVectorEnv`. */
export class BridgeVectorEnv implements VectorEnv {
  readonly size: number;
  /** Server of each copy, and its index there. */
  private readonly serverOf: Int32Array;
  private readonly localOf: Int32Array;
  /** Index of each server's first copy. */
  private readonly firstOf: number[];
  /** Action width W: 1 for discrete spaces, the dimension for continuous ones. */
  private readonly width: number;
  private readonly priority: Int32Array;
  private readonly noState = new Float32Array(0);
  /** Each server's actions, [copies, A, W], reused. */
  private readonly actionBuffers: Float32Array[];

  constructor(
    /** The servers (for diagnostics and `bench`). */
    readonly batch: BridgeBatch,
    readonly spec: EnvSpec,
    /** Copies of each server. */
    readonly copiesPerServer: readonly number[],
  ) {
    this.size = copiesPerServer.reduce((a, b) => a + b, 0);
    this.serverOf = new Int32Array(this.size);
    this.localOf = new Int32Array(this.size);
    this.firstOf = [];
    let i = 0;
    copiesPerServer.forEach((count, s) => {
      this.firstOf.push(i);
      for (let j = 0; j < count; j++, i++) {
        this.serverOf[i] = s;
        this.localOf[i] = j;
      }
    });
    const space = spec.actionSpace;
    this.width = space.kind === 'discrete' ? 1 : space.dim;
    this.priority = Int32Array.from({ length: spec.numAgents }, (_, k) => k);
    this.actionBuffers = copiesPerServer.map(
      (count) => new Float32Array(count * spec.numAgents * this.width),
    );
  }

  reset(indices: readonly number[], seeds: readonly number[]): EnvStep[] {
    if (seeds.length !== indices.length) {
      throw new Error(`${this.spec.name}: reset got ${indices.length} copies and ${seeds.length} seeds`);
    }
    const args: ({ copies: number[]; seeds: number[] } | undefined)[] = this.copiesPerServer.map(
      () => undefined,
    );
    indices.forEach((i, k) => {
      if (!Number.isInteger(i) || i < 0 || i >= this.size) {
        throw new Error(`${this.spec.name}: reset of copy ${i}, which is not in [0, ${this.size})`);
      }
      const s = this.serverOf[i]!;
      const entry = args[s] ?? { copies: [], seeds: [] };
      args[s] = entry;
      entry.copies.push(this.localOf[i]!);
      entry.seeds.push(seeds[k]!);
    });
    const replies = this.batch.call('reset', args);
    const taken = this.copiesPerServer.map(() => 0);
    return indices.map((i) => {
      const s = this.serverOf[i]!;
      const j = taken[s]!;
      taken[s] = j + 1;
      return this.stepOf(replies[s]!, j, args[s]!.copies.length);
    });
  }

  step(actions: readonly ArrayLike<number>[]): EnvTransition[] {
    const { numAgents, name } = this.spec;
    const perCopy = numAgents * this.width;
    if (actions.length !== this.size)
      throw new Error(`${name}: step got ${actions.length} actions for ${this.size} copies`);
    for (let i = 0; i < this.size; i++) {
      const a = actions[i]!;
      if (a.length !== perCopy) {
        throw new Error(
          `${name}: copy ${i}'s action has ${a.length} entries; expected ${perCopy} (agents × width)`,
        );
      }
      const buffer = this.actionBuffers[this.serverOf[i]!]!;
      const base = this.localOf[i]! * perCopy;
      for (let k = 0; k < perCopy; k++) buffer[base + k] = a[k]!;
    }
    const arrays = this.actionBuffers.map((data) => ({
      actions: { data, shape: [data.length / perCopy, numAgents, this.width] },
    }));
    const replies = this.batch.call(
      'step',
      this.copiesPerServer.map(() => ({})),
      arrays,
    );
    const out: EnvTransition[] = [];
    for (let i = 0; i < this.size; i++) {
      const s = this.serverOf[i]!;
      const reply = replies[s]!;
      const j = this.localOf[i]!;
      const k = this.copiesPerServer[s]!;
      const rewards = this.array(reply, 'rewards', Float64Array, k * numAgents);
      const dones = this.array(reply, 'dones', Uint8Array, k * numAgents);
      const episodeDone = this.array(reply, 'episodeDone', Uint8Array, k);
      out.push({
        ...this.stepOf(reply, j, k),
        rewards: rewards.subarray(j * numAgents, (j + 1) * numAgents),
        dones: dones.subarray(j * numAgents, (j + 1) * numAgents),
        episodeDone: episodeDone[j] !== 0,
        info: {},
      });
    }
    return out;
  }

  close(): void {
    this.batch.close();
  }

  /** Copy `j` of the `k` copies in a reset or step reply. */
  private stepOf(reply: BridgeReply, j: number, k: number): EnvStep {
    const { numAgents: A, obsDim: O, stateDim: S, actionSpace } = this.spec;
    const obs = this.array(reply, 'obs', Float32Array, k * A * O);
    const state = S === 0 ? this.noState : this.array(reply, 'state', Float32Array, k * S);
    const active = this.array(reply, 'active', Uint8Array, k * A);
    let availActions: Uint8Array | null = null;
    if (actionSpace.kind === 'discrete') {
      const N = actionSpace.n;
      availActions = this.array(reply, 'avail', Uint8Array, k * A * N).subarray(j * A * N, (j + 1) * A * N);
    }
    return {
      obs: obs.subarray(j * A * O, (j + 1) * A * O),
      state: S === 0 ? state : state.subarray(j * S, (j + 1) * S),
      availActions,
      active: active.subarray(j * A, (j + 1) * A),
      priority: this.priority,
    };
  }

  /** The reply's array `name`, checked for its dtype and length; else the batch closes with a protocol error. */
  private array<T extends FrameTypedArray>(
    reply: BridgeReply,
    name: string,
    type: abstract new (...args: never[]) => T,
    length: number,
  ): T {
    const found: FrameArray | undefined = reply.arrays.get(name);
    if (found !== undefined && found.data instanceof type && found.data.length === length) return found.data;
    this.batch.close();
    const got = found === undefined ? 'none' : `${found.data.constructor.name} of ${found.data.length}`;
    throw new BridgeError(this.spec.name, {
      kind: 'protocol',
      message: `the reply lacks array "${name}" (${type.name} of ${length}); got ${got}`,
    });
  }
}

/**
 * A MultiAgentEnv over a vector of size 1 (see the file comment). `reset()` without a seed takes
 * the previous seed plus one (0 first).
 */
export function singleBridgeEnv(vector: VectorEnv): MultiAgentEnv {
  if (vector.size !== 1)
    throw new Error(`${vector.spec.name}: singleBridgeEnv needs a vector of one copy, not ${vector.size}`);
  let nextSeed = 0;
  return {
    spec: vector.spec,
    reset: (seed) => {
      const used = seed ?? nextSeed;
      nextSeed = used + 1;
      return vector.reset([0], [used])[0]!;
    },
    step: (actions) => vector.step([actions])[0]!,
    close: () => vector.close(),
  };
}

/** One env in one server (a single-copy vector wrapped by singleBridgeEnv). */
export async function openBridgeEnv(
  options: Omit<BridgeVectorEnvOptions, 'copies' | 'servers'>,
): Promise<MultiAgentEnv> {
  return singleBridgeEnv(await openBridgeVectorEnv({ ...options, copies: 1, servers: 1 }));
}
