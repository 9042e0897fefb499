/**
 * The bridge's I/O worker thread (started by bridgeBatch.ts through tsWorker.ts): it owns the
 * batch's Python servers (serverProcess.ts) and pumps bytes between them and the calling thread,
 * which may block synchronously meanwhile (the channel: ioProtocol.ts). On start it spawns every
 * server and waits for their hellos; then it answers asynchronous calls (`make`) on its parentPort
 * and synchronous ones through the shared control block, forever, until a `close` call. It never
 * decodes arrays: it checks each reply's header (JSON, the request's id; `ok: false` becomes a
 * `remote` failure) and forwards the frame. A failure of any server is reported at once with that
 * server's stderr tail; cleaning up the others is the caller's `close`. Every server is killed
 * when this thread exits, so none outlives it.
 */
import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { TsWorkerData } from '../workers/tsWorker.js';
import type { BridgeFailure } from './bridgeErrors.js';
import {
  BYTES,
  type CallMeta,
  type FromIoWorker,
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
import { ServerProcess, type ServerReply } from './serverProcess.js';

const parent = parentPort;
if (parent === null) throw new Error('bridgeIoWorker.ts runs in a worker thread (see bridgeBatch.ts)');
const task = (workerData as TsWorkerData<IoWorkerTask>).task;
const control = new Int32Array(task.control);
let data = new Uint8Array(task.data);
let recordPort: MessagePort | null = null;

/** Set once the caller closes the batch: servers ending then are not news. */
let closing = false;

const servers: ServerProcess[] = Array.from(
  { length: task.servers },
  (_, index) =>
    new ServerProcess({
      index,
      python: task.python,
      pythonPath: task.pythonPath,
      // a server that dies between calls (an idle evaluation env, a kill): tell the caller now,
      // not at its next call, which may be many updates away
      onIdleFailure: (failure) => {
        if (closing) return;
        void servers[index]!.withStderr(failure).then((full) => post({ type: 'died', failure: full }));
      },
    }),
);

process.on('exit', () => {
  for (const server of servers) server.kill();
  // a caller blocked on a call must not wait for its deadline
  if (Atomics.load(control, STATE) === STATE_PENDING) {
    reply(STATE_FAILED, { kind: 'crash', message: 'the I/O worker thread exited' }, []);
  }
});

function post(message: FromIoWorker): void {
  parent!.postMessage(message);
}

/** Posts a failure as plain data, whatever was thrown. */
function asFailure(error: unknown): BridgeFailure {
  if (typeof error === 'object' && error !== null && 'kind' in error) return error as BridgeFailure;
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { kind: 'protocol', message: `the I/O worker failed: ${text}` };
}

// --- one call: a frame to each of some servers, every reply back ---

/** The reply frames in the order of meta.servers; rejects with the first failure (stderr included). */
async function runCall(meta: CallMeta, frames: readonly Uint8Array[]): Promise<Uint8Array[]> {
  if (meta.op === 'close') {
    closing = true;
    await Promise.all(servers.map((s) => s.close(meta.deadlineMs)));
    return [];
  }
  const replies = meta.servers.map(async (index, k) => {
    const server = servers[index];
    if (server === undefined) throw new Error(`${meta.op}: no server ${index}`);
    let answer: ServerReply;
    try {
      answer = await server.request(frames[k]!, meta.ids[k]!, meta.op, meta.deadlineMs);
    } catch (error) {
      throw await server.withStderr(asFailure(error));
    }
    if (answer.header.ok !== true)
      throw await server.withStderr(remoteFailure(meta.op, server, answer.header));
    return answer.frame;
  });
  return Promise.all(replies);
}

/** The failure an `ok: false` reply stands for. */
function remoteFailure(
  op: string,
  server: ServerProcess,
  header: Readonly<Record<string, unknown>>,
): BridgeFailure {
  const error = (header.error ?? {}) as { code?: unknown; message?: unknown; detail?: unknown };
  const detail = typeof error.detail === 'object' && error.detail !== null ? error.detail : {};
  return {
    kind: 'remote',
    code: typeof error.code === 'string' ? error.code : 'UNKNOWN',
    message: `${op}: ${typeof error.message === 'string' ? error.message : JSON.stringify(header)}`,
    detail: detail as Record<string, unknown>,
    server: server.index,
    ...(server.pid === undefined ? {} : { pid: server.pid }),
  };
}

// --- the synchronous channel ---

/** Writes a reply record (into the data buffer, else onto the port) and wakes the caller. */
function reply(state: number, json: unknown, frames: Uint8Array[]): void {
  const bytes = writeRecord(data, json, frames);
  if (bytes < 0) {
    recordPort!.postMessage({ json, frames } satisfies PortRecord);
    Atomics.store(control, VIA, VIA_PORT);
    Atomics.store(control, BYTES, -bytes);
  } else {
    Atomics.store(control, VIA, VIA_SHARED);
    Atomics.store(control, BYTES, bytes);
  }
  Atomics.store(control, STATE, state);
  Atomics.notify(control, STATE);
}

/** Reads the caller's request record (switching to the data buffer it hands over, if any). */
function readRequest(): { meta: CallMeta; frames: Uint8Array[] } {
  if (Atomics.load(control, VIA) === VIA_SHARED) {
    const { json, frames } = readRecord(data, Atomics.load(control, BYTES));
    return { meta: json as CallMeta, frames };
  }
  const record = receiveMessageOnPort(recordPort!)?.message as PortRecord | undefined;
  if (record === undefined) throw new Error('a request announced on the port is not there');
  if (record.data !== undefined) data = new Uint8Array(record.data);
  return { meta: record.json as CallMeta, frames: record.frames };
}

type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
) => { async: false; value: string } | { async: true; value: Promise<string> };

/** Serves synchronous calls until a `close`. */
async function serveSynchronousCalls(): Promise<void> {
  const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;
  let seen = 0; // no synchronous call comes before "started"
  for (;;) {
    const wait = waitAsync(control, SEQ, seen);
    if (wait.async) await wait.value;
    const seq = Atomics.load(control, SEQ);
    if (seq === seen) continue;
    seen = seq;
    let op = '?';
    try {
      const { meta, frames } = readRequest();
      op = meta.op;
      reply(STATE_DONE, null, await runCall(meta, frames));
    } catch (error) {
      reply(STATE_FAILED, asFailure(error), []);
    }
    if (op === 'close') return;
  }
}

// --- start-up and asynchronous calls ---

parent.on('message', (message: ToIoWorker) => {
  if (message.type === 'port') {
    recordPort = message.port;
    return;
  }
  runCall(message.meta, message.frames).then(
    (frames) => post({ type: 'reply', call: message.call, frames }),
    (error: unknown) => post({ type: 'failed', call: message.call, failure: asFailure(error) }),
  );
});

async function start(): Promise<void> {
  try {
    const hellos = await Promise.all(
      servers.map(async (server) => {
        try {
          return await server.hello(task.helloMs);
        } catch (error) {
          throw await server.withStderr(asFailure(error));
        }
      }),
    );
    const started = { pids: servers.map((s) => s.pid!), hellos };
    if (task.startReply === 'control') reply(STATE_DONE, started, []);
    else post({ type: 'started', ...started });
  } catch (error) {
    // nobody will use this batch: end every server before saying so
    for (const server of servers) server.kill();
    await Promise.all(servers.map((s) => s.exited));
    const failure = asFailure(error);
    if (task.startReply === 'control') reply(STATE_FAILED, failure, []);
    else post({ type: 'failed', call: null, failure });
    return;
  }
  await serveSynchronousCalls();
}

void start();
