/**
 * A batch of Python bridge servers seen from the thread that steps the envs (the trainer's): open
 * it asynchronously (spawn, hello, `make`), then `call` blocks until every addressed server has
 * replied, so a synchronous VectorEnv can sit on top (bridgeVectorEnv.ts). The servers live in an
 * I/O worker thread (bridgeIoWorker.ts); the channel between the two threads is ioProtocol.ts.
 * Frames are encoded and decoded here (frames.ts). Any failure of any server closes the whole
 * batch and throws a BridgeError naming the server, with its stderr tail
 * (docs/envs/bridge-protocol.md "Client-side failures"). Servers still running when the process
 * exits are killed, so none is left behind.
 */
import { join } from 'node:path';
import { MessageChannel, type MessagePort, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import { startTsWorker } from '../workers/tsWorker.js';
import { BridgeError, type BridgeFailure } from './bridgeErrors.js';
import { BRIDGE_ROOT } from './bridgeRoot.js';
import { decodeFrame, encodeFrame, type FrameArray, FrameError } from './frames.js';
import {
  BYTES,
  type CallMeta,
  CONTROL_CELLS,
  type FromIoWorker,
  INITIAL_DATA_BYTES,
  type IoWorkerTask,
  type PortRecord,
  readRecord,
  SEQ,
  STATE,
  STATE_DONE,
  STATE_FAILED,
  STATE_PENDING,
  type ToIoWorker,
  VIA,
  VIA_PORT,
  VIA_SHARED,
  writeRecord,
} from './ioProtocol.js';
import { killQuietly, livePids, openBatches, watchPids } from './liveBatches.js';
import { venvPython } from './pythonEnv.js';
import type { ServerHello } from './serverProcess.js';

/** Deadlines of the bridge's operations [ms]. */
export interface BridgeDeadlines {
  readonly hello: number;
  readonly make: number;
  readonly reset: number;
  readonly step: number;
  readonly close: number;
  /** Any other op (`ping`, `bench`). */
  readonly other: number;
}

/** The protocol's deadlines (docs/envs/bridge-protocol.md "Client-side failures"). */
export const DEFAULT_BRIDGE_DEADLINES: BridgeDeadlines = Object.freeze({
  hello: 60_000,
  make: 120_000,
  reset: 30_000,
  step: 10_000,
  close: 5_000,
  other: 120_000,
});

/** Extra time the caller gives the I/O worker beyond an op's deadline before it gives up on it [ms]. */
const WORKER_MARGIN_MS = 3_000;

/** Room for a record's JSON part when sizing a data buffer [bytes]. */
const RECORD_JSON_ALLOWANCE = 64 * 1024;

/** The repository's python/ folder: the server's package. */
export const BRIDGE_PYTHON_DIR = join(BRIDGE_ROOT, 'python');

/** What `BridgeBatch.open` needs. */
export interface BridgeBatchOptions {
  /** The env's registry name (named in every error). */
  readonly envName: string;
  /** The interpreter (default the project's `.venv-bridge`, pythonEnv.ts `venvPython`). */
  readonly python?: string;
  /** Extra PYTHONPATH folders after the repository's python/ (test fixtures). */
  readonly pythonPath?: readonly string[];
  /** `make` args of each server, one per server (their count is the number of servers). */
  readonly make: readonly Readonly<Record<string, unknown>>[];
  /** Deadlines to override [ms]. */
  readonly deadlines?: Partial<BridgeDeadlines>;
  /** Starting size of the shared data buffer [bytes] (default 1 MiB; it grows on demand). */
  readonly dataBytes?: number;
}

/** One server's reply: its `result` and its arrays. */
export interface BridgeReply {
  readonly result: Readonly<Record<string, unknown>>;
  readonly arrays: ReadonlyMap<string, FrameArray>;
}

/** An open batch of servers; see the file comment. */
export class BridgeBatch {
  private readonly control: Int32Array;
  private data: Uint8Array;
  private nextId = 1;
  private nextCall = 1;
  /** Size of the last record too big for the data buffer [bytes]: the next request grows it. */
  private wanted = 0;
  private closed = false;
  /** Set when the worker thread has gone (its exit event, or no answer in time). */
  private workerGone = false;
  /** A server that died between calls, as the worker reported it (seen when this thread is idle). */
  private died: BridgeFailure | null = null;

  private constructor(
    readonly envName: string,
    private readonly worker: Worker,
    private readonly recordPort: MessagePort,
    task: IoWorkerTask,
    readonly deadlines: BridgeDeadlines,
    /** Process id of each server. */
    readonly pids: readonly number[],
    /** Each server's hello (interpreter and package versions). */
    readonly hellos: readonly ServerHello[],
  ) {
    this.control = new Int32Array(task.control);
    this.data = new Uint8Array(task.data);
    const gone = () => {
      this.workerGone = true;
    };
    worker.on('message', (message: FromIoWorker) => {
      if (message.type === 'died' && this.died === null) this.died = message.failure;
    });
    openBatches.add(this);
    worker.on('exit', gone);
    worker.on('error', gone); // its exit follows; a blocked call learns of it through the channel
  }

  /** Number of servers. */
  get size(): number {
    return this.pids.length;
  }

  /**
   * Starts one server per entry of `options.make`, waits for their hellos, sends each its `make`;
   * resolves to the open batch and each server's `make` reply (its `spaces`). Rejects with a
   * BridgeError, with no server left running.
   */
  static async open(options: BridgeBatchOptions): Promise<{ batch: BridgeBatch; made: BridgeReply[] }> {
    const deadlines = { ...DEFAULT_BRIDGE_DEADLINES, ...options.deadlines };
    if (options.make.length < 1)
      throw new Error(`${options.envName}: a bridge batch needs at least one server`);
    const task = ioTask(options, deadlines, 'message');
    const launched = launchIoWorker(task);
    let started: Extract<FromIoWorker, { type: 'started' }>;
    try {
      started = await startedOf(launched.worker, options.envName, deadlines.hello + WORKER_MARGIN_MS);
    } catch (error) {
      launched.abandon();
      throw error;
    }
    const batch = BridgeBatch.adopt(options.envName, launched, task, deadlines, started);
    try {
      const made = await batch.callAsync('make', options.make, deadlines.make);
      return { batch, made };
    } catch (error) {
      batch.close();
      throw error;
    }
  }

  /**
   * `open`, synchronously: blocks the calling thread (Atomics.wait on the control block) while the
   * I/O worker starts the servers and they make their envs, so that code which builds envs
   * synchronously (the trainer's `makeEnv`, evaluation) can open bridged envs. Throws a BridgeError,
   * with no server left running.
   */
  static openSync(options: BridgeBatchOptions): { batch: BridgeBatch; made: BridgeReply[] } {
    const deadlines = { ...DEFAULT_BRIDGE_DEADLINES, ...options.deadlines };
    if (options.make.length < 1)
      throw new Error(`${options.envName}: a bridge batch needs at least one server`);
    const task = ioTask(options, deadlines, 'control');
    const control = new Int32Array(task.control);
    Atomics.store(control, STATE, STATE_PENDING); // the worker answers its start-up like a call
    const launched = launchIoWorker(task);
    const { channel, abandon } = launched;
    const limit = performance.now() + deadlines.hello + WORKER_MARGIN_MS;
    while (Atomics.load(control, STATE) === STATE_PENDING) {
      const left = limit - performance.now();
      if (left <= 0) {
        abandon();
        throw new BridgeError(options.envName, {
          kind: 'timeout',
          message: `start: the servers did not say hello within ${deadlines.hello} ms`,
        });
      }
      Atomics.wait(control, STATE, STATE_PENDING, left);
    }
    const state = Atomics.load(control, STATE);
    const record =
      Atomics.load(control, VIA) === VIA_SHARED
        ? readRecord(new Uint8Array(task.data), Atomics.load(control, BYTES))
        : (receiveMessageOnPort(channel.port1)?.message as PortRecord);
    if (state !== STATE_DONE) {
      abandon();
      throw new BridgeError(options.envName, record.json as BridgeFailure);
    }
    const started = record.json as { pids: number[]; hellos: ServerHello[] };
    const batch = BridgeBatch.adopt(options.envName, launched, task, deadlines, started);
    const made = batch.call('make', options.make, [], deadlines.make) as BridgeReply[];
    return { batch, made };
  }

  /** The batch over a started I/O worker and its servers (killed at exit if still alive then). */
  private static adopt(
    envName: string,
    launched: LaunchedIoWorker,
    task: IoWorkerTask,
    deadlines: BridgeDeadlines,
    started: { readonly pids: number[]; readonly hellos: ServerHello[] },
  ): BridgeBatch {
    watchPids(started.pids);
    return new BridgeBatch(
      envName,
      launched.worker,
      launched.channel.port1,
      task,
      deadlines,
      started.pids,
      started.hellos,
    );
  }

  /**
   * Sends `op` with `args[s]` and `arrays[s]` to each server s whose args are given, blocks until
   * all have replied, and returns their replies (undefined for the servers left out; the arrays
   * are the caller's to keep). Any failure closes the batch and throws a BridgeError.
   */
  call(
    op: string,
    args: readonly (Readonly<Record<string, unknown>> | undefined)[],
    arrays: readonly (Readonly<Record<string, FrameArray>> | undefined)[] = [],
    deadlineMs = this.deadlineOf(op),
  ): (BridgeReply | undefined)[] {
    this.assertOpen(op);
    const { meta, frames } = this.request(op, args, arrays, deadlineMs);
    const outcome = this.exchange(meta, frames);
    if ('failure' in outcome) {
      this.close();
      throw new BridgeError(this.envName, outcome.failure);
    }
    return this.replies(meta, args.length, outcome.frames);
  }

  /**
   * Closes every server (each gets `close` and the close deadline, then SIGKILL) and ends the I/O
   * thread; returns once every server has exited. Idempotent; never throws.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    openBatches.delete(this);
    let confirmed = false;
    if (!this.workerGone) {
      const meta: CallMeta = { op: 'close', deadlineMs: this.deadlines.close, servers: [], ids: [] };
      try {
        confirmed = !('failure' in this.exchange(meta, []));
      } catch {
        // an inconsistent channel: the kills below still end the servers
      }
    }
    if (!confirmed) for (const pid of this.pids) killQuietly(pid);
    for (const pid of this.pids) livePids.delete(pid);
    this.worker.removeAllListeners();
    this.worker.on('error', () => {}); // errors while it winds down are no longer news
    void this.worker.terminate();
    this.recordPort.close();
  }

  private deadlineOf(op: string): number {
    const d = this.deadlines;
    return op === 'reset' || op === 'step' || op === 'make' || op === 'close' ? d[op] : d.other;
  }

  private assertOpen(op: string): void {
    if (this.closed) {
      throw new BridgeError(this.envName, { kind: 'crash', message: `${op}: the bridge batch is closed` });
    }
    this.assertAlive();
  }

  /** Throws (closing the batch) when a server died between calls; see `assertBridgesAlive`. */
  assertAlive(): void {
    if (this.died === null || this.closed) return;
    const failure = this.died;
    this.close();
    throw new BridgeError(this.envName, failure);
  }

  /** The frames of one call (one per server with args) and their meta. */
  private request(
    op: string,
    args: readonly (Readonly<Record<string, unknown>> | undefined)[],
    arrays: readonly (Readonly<Record<string, FrameArray>> | undefined)[],
    deadlineMs: number,
  ): { meta: CallMeta; frames: Uint8Array[] } {
    const servers: number[] = [];
    const ids: number[] = [];
    const frames: Uint8Array[] = [];
    args.forEach((a, s) => {
      if (a === undefined) return;
      const id = this.nextId++;
      servers.push(s);
      ids.push(id);
      frames.push(encodeFrame({ id, op, args: a }, arrays[s] ?? {}));
    });
    return { meta: { op, deadlineMs, servers, ids }, frames };
  }

  private replies(meta: CallMeta, count: number, frames: readonly Uint8Array[]): (BridgeReply | undefined)[] {
    const out: (BridgeReply | undefined)[] = new Array(count).fill(undefined);
    meta.servers.forEach((s, k) => {
      try {
        const { header, arrays } = decodeFrame(frames[k]!);
        out[s] = { result: (header.result ?? {}) as Record<string, unknown>, arrays };
      } catch (error) {
        if (!(error instanceof FrameError)) throw error;
        this.close();
        const pid = this.pids[s];
        throw new BridgeError(this.envName, {
          kind: 'protocol',
          message: `${meta.op}: a malformed reply: ${error.message}`,
          server: s,
          ...(pid === undefined ? {} : { pid }),
        });
      }
    });
    return out;
  }

  /** One synchronous round trip through the I/O worker (ioProtocol.ts). */
  private exchange(
    meta: CallMeta,
    frames: Uint8Array[],
  ): { frames: Uint8Array[] } | { failure: BridgeFailure } {
    const c = this.control;
    // a reply came on the port last time: hand the worker a data buffer that fits, with this request
    const bytes = this.wanted > this.data.length ? -this.wanted : writeRecord(this.data, meta, frames);
    if (bytes < 0) {
      // too big for the data buffer: send it on the port, with a buffer that fits from now on
      const requestBytes = frames.reduce((n, f) => n + f.length, RECORD_JSON_ALLOWANCE);
      const grown = new SharedArrayBuffer(Math.max(2 * this.data.length, 2 * -bytes, 2 * requestBytes));
      this.data = new Uint8Array(grown);
      this.recordPort.postMessage({ json: meta, frames, data: grown } satisfies PortRecord);
      Atomics.store(c, VIA, VIA_PORT);
    } else {
      Atomics.store(c, VIA, VIA_SHARED);
      Atomics.store(c, BYTES, bytes);
    }
    Atomics.store(c, STATE, STATE_PENDING);
    Atomics.add(c, SEQ, 1);
    Atomics.notify(c, SEQ);
    const limit = performance.now() + meta.deadlineMs + WORKER_MARGIN_MS;
    while (Atomics.load(c, STATE) === STATE_PENDING) {
      const left = limit - performance.now();
      if (left <= 0) {
        this.workerGone = true;
        return { failure: { kind: 'timeout', message: `${meta.op}: the I/O worker gave no answer in time` } };
      }
      Atomics.wait(c, STATE, STATE_PENDING, left);
    }
    const state = Atomics.load(c, STATE);
    let record: { json: unknown; frames: Uint8Array[] };
    if (Atomics.load(c, VIA) === VIA_SHARED) {
      record = readRecord(this.data, Atomics.load(c, BYTES));
    } else {
      record = receiveMessageOnPort(this.recordPort)?.message as PortRecord;
      this.wanted = Atomics.load(c, BYTES);
    }
    if (state === STATE_FAILED) return { failure: record.json as BridgeFailure };
    if (state !== STATE_DONE) throw new Error(`bridge: unexpected channel state ${state}`);
    return { frames: record.frames };
  }

  /** `op` through the worker's message port (start-up: `make`), one args object per server. */
  private callAsync(
    op: string,
    args: readonly Readonly<Record<string, unknown>>[],
    deadlineMs: number,
  ): Promise<BridgeReply[]> {
    const { meta, frames } = this.request(op, args, [], deadlineMs);
    const call = this.nextCall++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => done({ kind: 'timeout', message: `${op}: the I/O worker gave no answer in time` }),
        deadlineMs + WORKER_MARGIN_MS,
      );
      const onMessage = (message: FromIoWorker) => {
        if (message.type === 'reply' && message.call === call) done(message.frames);
        if (message.type === 'failed' && message.call === call) done(message.failure);
      };
      const onExit = (code: number) =>
        done({ kind: 'crash', message: `${op}: the I/O worker exited (code ${code})` });
      const done = (outcome: Uint8Array[] | BridgeFailure) => {
        clearTimeout(timer);
        this.worker.off('message', onMessage);
        this.worker.off('exit', onExit);
        if (Array.isArray(outcome)) resolve(this.replies(meta, args.length, outcome) as BridgeReply[]);
        else reject(new BridgeError(this.envName, outcome));
      };
      this.worker.on('message', onMessage);
      this.worker.on('exit', onExit);
      this.worker.postMessage({ type: 'call', call, meta, frames } satisfies ToIoWorker);
    });
  }
}

/** An I/O worker just started, with the channel for records too big for the shared buffer. */
interface LaunchedIoWorker {
  readonly worker: Worker;
  readonly channel: MessageChannel;
  /** Ends it when the batch will not be used (its start failed). */
  readonly abandon: () => void;
}

/** Starts the I/O worker on `task` and hands it the record port. */
function launchIoWorker(task: IoWorkerTask): LaunchedIoWorker {
  const worker = startTsWorker(new URL('./bridgeIoWorker.ts', import.meta.url), task);
  const channel = new MessageChannel();
  worker.postMessage({ type: 'port', port: channel.port2 } satisfies ToIoWorker, [channel.port2]);
  const abandon = () => {
    worker.on('error', () => {}); // errors while it winds down are no longer news
    void worker.terminate();
    channel.port1.close();
  };
  return { worker, channel, abandon };
}

/** What the I/O worker is started with. */
function ioTask(
  options: BridgeBatchOptions,
  deadlines: BridgeDeadlines,
  startReply: IoWorkerTask['startReply'],
): IoWorkerTask {
  return {
    startReply,
    envName: options.envName,
    python: options.python ?? venvPython(BRIDGE_ROOT),
    pythonPath: [BRIDGE_PYTHON_DIR, ...(options.pythonPath ?? [])],
    servers: options.make.length,
    helloMs: deadlines.hello,
    control: new SharedArrayBuffer(CONTROL_CELLS * 4),
    data: new SharedArrayBuffer(options.dataBytes ?? INITIAL_DATA_BYTES),
  };
}

/** Waits for the worker's "started"; rejects with a BridgeError (its failure, its death, or no news in time). */
function startedOf(
  worker: Worker,
  envName: string,
  timeoutMs: number,
): Promise<Extract<FromIoWorker, { type: 'started' }>> {
  return new Promise((resolve, reject) => {
    // only off() our own listeners: removeAllListeners() would also drop the Worker's own hooks
    // that restart its message port for later 'message' listeners
    const settle = () => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const fail = (failure: BridgeFailure) => {
      settle();
      reject(new BridgeError(envName, failure));
    };
    const onMessage = (message: FromIoWorker) => {
      if (message.type === 'started') {
        settle();
        resolve(message);
      } else if (message.type === 'failed') fail(message.failure);
    };
    const onError = (error: Error) =>
      fail({ kind: 'crash', message: `the I/O worker failed: ${error.message}` });
    const onExit = (code: number) => fail({ kind: 'crash', message: `the I/O worker exited (code ${code})` });
    const timer = setTimeout(
      () => fail({ kind: 'timeout', message: 'the I/O worker did not start in time' }),
      timeoutMs,
    );
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}
