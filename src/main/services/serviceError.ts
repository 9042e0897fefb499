/**
 * What the app's services (training jobs, editor episodes, the replay and scenario libraries, the
 * worker threads behind them) throw for a request they cannot carry out. They know nothing of the
 * transports: the API layer (src/main/api/handlers.ts) turns a ServiceError into the contract's
 * ApiError with the same code, message and issues, and so would any other caller (a CLI command,
 * a queue worker) into its own way of saying it.
 */

/** Why a request failed. */
export type ServiceErrorCode =
  /** The request does not make sense (a bad field, a scenario with problems). */
  | 'invalid-request'
  /** What it names does not exist. */
  | 'not-found'
  /** It is well-formed but not allowed now (a limit reached, a path leaving its folder). */
  | 'refused'
  /** A file exists but cannot be read or is damaged. */
  | 'unreadable'
  /** A bug or a crash on this side (a worker thread that died). */
  | 'internal';

/** One problem with a request: where (a field path) and what. */
export interface ServiceIssue {
  readonly path: string;
  readonly message: string;
}

/** A failure as plain data (for a result reported later, such as a live run's last poll). */
export interface ServiceErrorData {
  readonly code: ServiceErrorCode;
  readonly message: string;
  readonly issues?: ServiceIssue[];
}

/** A request a service could not carry out. */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';

  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly issues?: readonly ServiceIssue[],
  ) {
    super(message);
  }

  /** As plain data. */
  toData(): ServiceErrorData {
    return this.issues === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, issues: [...this.issues] };
  }
}
