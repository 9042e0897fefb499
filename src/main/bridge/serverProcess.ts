/**
 * One Python bridge server as the I/O worker (bridgeIoWorker.ts) sees it: the child process
 * `<python> -u -m steer_bridge.server`, its three pipes and one request at a time
 * (docs/envs/bridge-protocol.md "Processes"). It checks the `hello`, forwards a request frame and
 * resolves with the reply frame (checked: a JSON header with the request's id), and turns
 * everything else into a BridgeFailure naming the server: the interpreter not starting (spawn),
 * bad bytes (protocol; the server is killed), an exit while a request is pending or the env is open
 * (crash), no reply within the deadline (timeout; SIGKILL). After a failure every request fails the
 * same way. `close` sends `close`, waits up to its deadline for the exit, then kills; it resolves
 * only once the process has exited (and been reaped), and is idempotent.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { delimiter } from 'node:path';
import type { BridgeErrorKind, BridgeFailure } from './bridgeErrors.js';
import { decodeFrameHeader, encodeFrame, FrameError, FrameReader } from './frames.js';

/** The protocol this client speaks. */
export const BRIDGE_PROTOCOL = 'steer-bridge/1';

/** How one server is started. */
export interface ServerSpawnOptions {
  /** Its index in the batch (named in errors). */
  readonly index: number;
  /** The Python interpreter. */
  readonly python: string;
  /** PYTHONPATH entries: the repository's python/ folder first, then any extra folders. */
  readonly pythonPath: readonly string[];
  /** Told of a failure that happened while no request was pending (the server died idle). */
  readonly onIdleFailure?: (failure: BridgeFailure) => void;
}

/** The server's first frame (docs/envs/bridge-protocol.md "Frames"). */
export interface ServerHello {
  readonly protocol: string;
  readonly pid: number;
  readonly python: string;
  readonly packages: Readonly<Record<string, string | null>>;
}

/** Stderr lines kept for error messages. */
const TAIL_LINES = 64;
/** Stderr bytes kept for error messages (about; counted in UTF-16 units). */
const TAIL_CHARS = 8 * 1024;
/** Pause before taking the stderr tail of a server that replied with an error [ms]. */
const REPLY_LOG_PAUSE_MS = 50;
/** How long to wait for the stdio pipes to close after the process exited [ms]. */
const PIPE_GRACE_MS = 500;

/** A reply: the whole frame as received and its parsed header. */
export interface ServerReply {
  readonly frame: Uint8Array;
  readonly header: Readonly<Record<string, unknown>>;
}

interface Pending {
  /** The request id, or 'hello' while waiting for the start-up event. */
  readonly id: number | 'hello';
  readonly op: string;
  readonly resolve: (reply: ServerReply) => void;
  readonly reject: (failure: BridgeFailure) => void;
  readonly timer: NodeJS.Timeout;
}

/** One running server; see the file comment. */
export class ServerProcess {
  readonly index: number;
  private readonly child: ChildProcess;
  private readonly reader = new FrameReader();
  private stderrLines: string[] = [];
  private stderrPartial = '';
  private pending: Pending | null = null;
  private failure: BridgeFailure | null = null;
  private closing: Promise<void> | null = null;
  /** Resolves once the process has exited and its pipes closed (or right away when it never started). */
  readonly exited: Promise<void>;
  private exitStatus: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  constructor(private readonly options: ServerSpawnOptions) {
    this.index = options.index;
    this.child = spawn(options.python, ['-u', '-m', 'steer_bridge.server'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, PYTHONPATH: options.pythonPath.join(delimiter), PYTHONUNBUFFERED: '1' },
    });
    let markExited = () => {};
    this.exited = new Promise((resolve) => {
      markExited = resolve;
    });
    this.child.on('error', (error) => {
      // the interpreter could not start (ENOENT, EACCES): no 'exit' follows
      if (this.child.pid !== undefined) return; // it runs (a failed kill): its exit still comes
      this.fail('spawn', `cannot start the Python interpreter "${options.python}": ${error.message}`);
      markExited();
    });
    this.child.stdin!.on('error', () => {}); // EPIPE when it died: its exit reports it
    this.child.stdout!.on('data', (chunk: Buffer) => this.onStdout(chunk));
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (text: string) => this.onStderr(text));
    let grace: NodeJS.Timeout | null = null;
    const ended = () => {
      if (grace !== null) clearTimeout(grace);
      this.onExit();
      markExited();
    };
    this.child.on('exit', (code, signal) => {
      this.exitStatus = { code, signal };
      grace = setTimeout(ended, PIPE_GRACE_MS); // a grandchild may hold the pipes open
    });
    this.child.on('close', ended);
  }

  /** The process id (undefined when the interpreter did not start). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Why this server can no longer be used, or null. */
  get failed(): BridgeFailure | null {
    return this.failure;
  }

  /** The last stderr lines (≤ 64 lines / 8 KiB), the unfinished one included. */
  stderrTail(): string {
    const lines = this.stderrPartial === '' ? this.stderrLines : [...this.stderrLines, this.stderrPartial];
    let text = lines.join('\n');
    if (text.length > TAIL_CHARS) text = `…${text.slice(text.length - TAIL_CHARS)}`;
    return text;
  }

  /** Waits for the `hello` event and checks its protocol; rejects with a BridgeFailure. */
  async hello(deadlineMs: number): Promise<ServerHello> {
    const { header } = await this.expect('hello', 'hello', deadlineMs);
    return header as unknown as ServerHello;
  }

  /**
   * Sends one request frame (header id `id`) and resolves with the reply frame, or rejects with a
   * BridgeFailure. `op` names the request in errors.
   */
  request(frame: Uint8Array, id: number, op: string, deadlineMs: number): Promise<ServerReply> {
    const reply = this.expect(id, op, deadlineMs);
    if (this.pending !== null) this.child.stdin!.write(frame);
    return reply;
  }

  /** SIGKILL, if it still runs. */
  kill(): void {
    if (this.child.pid !== undefined && this.exitStatus === null) this.child.kill('SIGKILL');
  }

  /**
   * Ends the server: `close` and up to `deadlineMs` for it to exit, then SIGKILL; straight to
   * SIGKILL when a request is pending or it failed. Resolves once it has exited. Idempotent.
   */
  close(deadlineMs: number): Promise<void> {
    this.closing ??= this.shutDown(deadlineMs);
    return this.closing;
  }

  private async shutDown(deadlineMs: number): Promise<void> {
    if (this.exitStatus !== null || this.child.pid === undefined) return this.exited;
    if (this.pending !== null || this.failure !== null) {
      this.fail('crash', 'closed while a request was pending');
      this.kill();
      return this.exited;
    }
    const timer = setTimeout(() => this.kill(), deadlineMs);
    this.child.stdin!.end(encodeFrame({ id: 0, op: 'close', args: {} }));
    await this.exited;
    clearTimeout(timer);
  }

  private expect(id: number | 'hello', op: string, deadlineMs: number): Promise<ServerReply> {
    return new Promise((resolve, reject) => {
      if (this.failure !== null) return reject(this.failure);
      if (this.closing !== null) return reject(this.failureOf('crash', `${op}: the server is closed`));
      if (this.pending !== null) {
        return reject(this.failureOf('protocol', `${op}: a request is already pending (${this.pending.op})`));
      }
      const timer = setTimeout(
        () =>
          this.fail('timeout', `${op}: no reply within ${deadlineMs / 1000} s; killed the server (SIGKILL)`),
        deadlineMs,
      );
      this.pending = { id, op, resolve, reject, timer };
    });
  }

  private onStdout(chunk: Buffer): void {
    if (this.failure !== null || this.closing !== null) return; // nothing more to read (close's own reply)
    try {
      this.reader.push(chunk);
      for (let frame = this.reader.next(); frame !== null; frame = this.reader.next()) this.onFrame(frame);
    } catch (error) {
      if (!(error instanceof FrameError)) throw error;
      const op = this.pending?.op ?? 'idle';
      this.fail('protocol', `${op}: garbage on stdout: ${error.message}; killed the server`);
    }
  }

  private onFrame(frame: Uint8Array): void {
    const header = decodeFrameHeader(frame);
    const pending = this.pending;
    if (pending === null) {
      throw new FrameError(`an unsolicited frame (${JSON.stringify(header).slice(0, 200)})`);
    }
    if (pending.id === 'hello') {
      if (header.event !== 'hello') throw new FrameError('the first frame is not the hello event');
      if (header.protocol !== BRIDGE_PROTOCOL) {
        throw new FrameError(`the server speaks ${JSON.stringify(header.protocol)}, not ${BRIDGE_PROTOCOL}`);
      }
    } else if (header.id !== pending.id && !(header.id === null && header.ok === false)) {
      throw new FrameError(`a reply with id ${JSON.stringify(header.id)} to request ${pending.id}`);
    }
    this.pending = null;
    clearTimeout(pending.timer);
    pending.resolve({ frame, header });
  }

  private onStderr(text: string): void {
    const parts = (this.stderrPartial + text).split('\n');
    this.stderrPartial = parts.pop()!;
    if (parts.length === 0) return;
    this.stderrLines.push(...parts);
    if (this.stderrLines.length > TAIL_LINES)
      this.stderrLines.splice(0, this.stderrLines.length - TAIL_LINES);
    if (this.stderrPartial.length > TAIL_CHARS) this.stderrPartial = this.stderrPartial.slice(-TAIL_CHARS);
  }

  private onExit(): void {
    if (this.closing !== null && this.pending === null) return; // the end we asked for
    const status = this.exitStatus;
    const how =
      status === null
        ? 'closed its output'
        : status.signal !== null
          ? `was killed by ${status.signal}`
          : `exited with code ${status.code}`;
    const when =
      this.pending !== null
        ? `${this.pending.op}: the server ${how} before replying`
        : `the server ${how} while its env was open`;
    this.fail('crash', when);
  }

  /** Records the first failure, kills the server for a protocol error or timeout, rejects the pending request. */
  private fail(kind: BridgeErrorKind, message: string): void {
    if (this.failure === null) {
      this.failure = this.failureOf(kind, message);
      if (kind === 'protocol' || kind === 'timeout') this.kill();
    }
    const pending = this.pending;
    if (pending !== null) {
      this.pending = null;
      clearTimeout(pending.timer);
      pending.reject(this.failure);
    } else {
      this.options.onIdleFailure?.(this.failure);
    }
  }

  private failureOf(kind: BridgeErrorKind, message: string): BridgeFailure {
    return {
      kind,
      message,
      server: this.index,
      ...(this.child.pid === undefined ? {} : { pid: this.child.pid }),
    };
  }

  /**
   * `failure` (this server's) with its stderr tail, taken once what the server wrote before the
   * failure has arrived: after its exit when it is dead or dying (at most `waitMs`), after a
   * short pause when it lives on (an error reply: its log may trail the reply on the other pipe).
   */
  async withStderr(failure: BridgeFailure, waitMs = 1000): Promise<BridgeFailure> {
    const dying = this.failure !== null || this.exitStatus !== null;
    let timer: NodeJS.Timeout | undefined;
    const pause = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, dying ? waitMs : REPLY_LOG_PAUSE_MS);
    });
    await (dying ? Promise.race([this.exited, pause]) : pause);
    clearTimeout(timer);
    return { ...failure, stderrTail: this.stderrTail() };
  }
}
