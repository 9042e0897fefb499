/**
 * The one error the bridge raises (docs/envs/bridge-protocol.md "Client-side failures"). Its
 * message names the env and the server (index, pid) and ends with the server's last stderr lines.
 * The I/O worker builds failures as plain data (`BridgeFailure`, which crosses threads) and the
 * calling thread turns them into a BridgeError.
 */

/** What went wrong: the interpreter did not start, bad bytes, the server died, no reply in time, an error reply. */
export type BridgeErrorKind = 'spawn' | 'protocol' | 'crash' | 'timeout' | 'remote';

/** A failure as plain data (structured-clonable). */
export interface BridgeFailure {
  readonly kind: BridgeErrorKind;
  /** What happened, without the env, server or stderr (those are added by BridgeError). */
  readonly message: string;
  /** The server's error code for 'remote' (e.g. "ENV_ERROR"); else absent. */
  readonly code?: string;
  /** The server's `error.detail` for 'remote'. */
  readonly detail?: Readonly<Record<string, unknown>>;
  /** Index of the server in its batch, when one server is to blame. */
  readonly server?: number;
  /** Its process id, when it started. */
  readonly pid?: number;
  /** Its last stderr lines (≤ 64 lines / 8 KiB). */
  readonly stderrTail?: string;
}

/** A failure of the bridge; see BridgeFailure for the fields. */
export class BridgeError extends Error {
  override readonly name = 'BridgeError';
  readonly kind: BridgeErrorKind;
  readonly code: string | undefined;
  readonly detail: Readonly<Record<string, unknown>> | undefined;
  readonly server: number | undefined;
  readonly pid: number | undefined;
  readonly stderrTail: string;

  constructor(
    /** The env the batch runs (its registry name). */
    readonly envName: string,
    failure: BridgeFailure,
  ) {
    super(bridgeErrorMessage(envName, failure));
    this.kind = failure.kind;
    this.code = failure.code;
    this.detail = failure.detail;
    this.server = failure.server;
    this.pid = failure.pid;
    this.stderrTail = failure.stderrTail ?? '';
  }
}

/** Last lines of a remote error's `detail.traceback` shown in the message. */
const TRACEBACK_LINES = 20;

/** "<env>: python server 1 (pid 4242): remote: [ENV_ERROR] step: boom\n--- stderr of server 1 (last lines) ---\n…" */
function bridgeErrorMessage(envName: string, f: BridgeFailure): string {
  const who =
    f.server === undefined
      ? 'python bridge'
      : `python server ${f.server}${f.pid === undefined ? '' : ` (pid ${f.pid})`}`;
  const code = f.code === undefined ? '' : `[${f.code}] `;
  const tail = f.stderrTail?.trimEnd() ?? '';
  const stderr =
    tail === ''
      ? ''
      : `\n--- stderr of ${f.server === undefined ? 'the server' : `server ${f.server}`} (last lines) ---\n${tail}`;
  const traceback = typeof f.detail?.traceback === 'string' ? f.detail.traceback.trimEnd() : '';
  const lines = traceback.split('\n');
  const shown = lines.length > TRACEBACK_LINES ? ['…', ...lines.slice(-TRACEBACK_LINES)] : lines;
  const python = traceback === '' ? '' : `\n--- Python traceback ---\n${shown.join('\n')}`;
  return `${envName}: ${who}: ${f.kind}: ${code}${f.message}${python}${stderr}`;
}
