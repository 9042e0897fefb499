/**
 * How the calling thread (bridgeBatch.ts) and the bridge's I/O worker (bridgeIoWorker.ts) talk.
 *
 * Start-up and `make` are asynchronous messages (`ToIoWorker`, `FromIoWorker`). `reset`, `step` and
 * `close` are synchronous for the caller: a shared control block of four Int32 cells and a shared
 * data buffer. The caller writes the request record into the data buffer, sets STATE to PENDING,
 * bumps SEQ and notifies; the worker, waiting on SEQ with Atomics.waitAsync, forwards the frames,
 * writes the reply record (or a failure) back, sets STATE to DONE (FAILED) and notifies; the caller
 * blocks in Atomics.wait on STATE meanwhile. A record that does not fit the data buffer travels on
 * a MessagePort instead (VIA = PORT), read synchronously with receiveMessageOnPort; a request sent
 * that way may hand the worker a larger data buffer for the next ones.
 *
 * A record: u32 jsonLength | JSON (padded to 8 bytes) | whole frames, back to back (each frame's
 * length is a multiple of 8 and starts with its own length prefix).
 */
import type { MessagePort } from 'node:worker_threads';
import type { BridgeFailure } from './bridgeErrors.js';
import type { ServerHello } from './serverProcess.js';

// --- the control block: Int32Array cells ---

/** Request counter: the caller bumps it and notifies, the worker waits on it. */
export const SEQ = 0;
/** IDLE, PENDING (set by the caller), DONE or FAILED (set by the worker). */
export const STATE = 1;
/** Where the current record is: VIA_SHARED (the data buffer) or VIA_PORT. */
export const VIA = 2;
/** Byte length of the record in the data buffer (or of the record on the port, for sizing). */
export const BYTES = 3;
/** Cells of the control block. */
export const CONTROL_CELLS = 4;

export const STATE_IDLE = 0;
export const STATE_PENDING = 1;
export const STATE_DONE = 2;
export const STATE_FAILED = 3;

export const VIA_SHARED = 0;
export const VIA_PORT = 1;

/** Starting size of the shared data buffer [bytes]; it grows when a record does not fit. */
export const INITIAL_DATA_BYTES = 1 << 20;

// --- messages ---

/** What the worker receives as its task (workerData.task). */
export interface IoWorkerTask {
  readonly envName: string;
  readonly python: string;
  readonly pythonPath: readonly string[];
  /** Servers to start. */
  readonly servers: number;
  /** Longest wait for a server's hello [ms]. */
  readonly helloMs: number;
  /**
   * How the start-up is answered: on the parentPort ("started"/"failed" messages, an asynchronous
   * open) or through the control block like a call (a synchronous open, which blocks meanwhile).
   */
  readonly startReply: 'message' | 'control';
  /** The control block (CONTROL_CELLS Int32 cells). */
  readonly control: SharedArrayBuffer;
  /** The first data buffer. */
  readonly data: SharedArrayBuffer;
}

/** One batch request: which servers get which frame, and how long they may take. */
export interface CallMeta {
  /** The op, for messages; "close" closes every server (no frames). */
  readonly op: string;
  /** Deadline of each server's reply [ms]. */
  readonly deadlineMs: number;
  /** Server indices, one per frame. */
  readonly servers: readonly number[];
  /** The request id in each frame's header. */
  readonly ids: readonly number[];
}

/** Messages to the worker on its parentPort. */
export type ToIoWorker =
  /** The port for records that do not fit the data buffer (transferred). */
  | { readonly type: 'port'; readonly port: MessagePort }
  /** An asynchronous call (start-up's `make`). */
  | { readonly type: 'call'; readonly call: number; readonly meta: CallMeta; readonly frames: Uint8Array[] };

/** Messages from the worker on its parentPort. */
export type FromIoWorker =
  | { readonly type: 'started'; readonly pids: number[]; readonly hellos: ServerHello[] }
  | { readonly type: 'reply'; readonly call: number; readonly frames: Uint8Array[] }
  /** A failure of start-up (call null; every server is gone by then) or of an asynchronous call. */
  | { readonly type: 'failed'; readonly call: number | null; readonly failure: BridgeFailure }
  /** A server that failed while no call was under way (it died idle): the batch is unusable. */
  | { readonly type: 'died'; readonly failure: BridgeFailure };

/** A record on the port: its JSON part, its frames, and for a request possibly a new data buffer. */
export interface PortRecord {
  readonly json: unknown;
  readonly frames: Uint8Array[];
  readonly data?: SharedArrayBuffer;
}

// --- records ---

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Byte length of the record of `json` and `frames` (json already encoded). */
function recordBytes(json: Uint8Array, frames: readonly Uint8Array[]): number {
  let total = (4 + json.length + 7) & ~7;
  for (const frame of frames) total += frame.length;
  return total;
}

/**
 * Writes the record into `data`; returns its byte length, or minus that length when it does not
 * fit (nothing is written then).
 */
export function writeRecord(data: Uint8Array, json: unknown, frames: readonly Uint8Array[]): number {
  const text = encoder.encode(JSON.stringify(json ?? null));
  const total = recordBytes(text, frames);
  if (total > data.length) return -total;
  new DataView(data.buffer, data.byteOffset).setUint32(0, text.length, true);
  data.set(text, 4);
  let offset = (4 + text.length + 7) & ~7;
  for (const frame of frames) {
    data.set(frame, offset);
    offset += frame.length;
  }
  return total;
}

/** Reads a record of `bytes` bytes from `data`; the frames are copies (aligned, safe to keep). */
export function readRecord(data: Uint8Array, bytes: number): { json: unknown; frames: Uint8Array[] } {
  const view = new DataView(data.buffer, data.byteOffset);
  const jsonLength = view.getUint32(0, true);
  const json: unknown = JSON.parse(decoder.decode(data.slice(4, 4 + jsonLength)));
  const frames: Uint8Array[] = [];
  let offset = (4 + jsonLength + 7) & ~7;
  while (offset < bytes) {
    const length = 4 + view.getUint32(offset, true);
    frames.push(data.slice(offset, offset + length));
    offset += length;
  }
  return { json, frames };
}
