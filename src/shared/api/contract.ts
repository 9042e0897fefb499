/**
 * The one typed API between the window (src/renderer) and the main side (* docs/design.md "Browser host for tests"). Method names with their request and response schemas,
 * the result envelope and the error type live here; both sides import this file, and every
 * transport carries the same envelope:
 * - the browser host (src/main/web/server.ts) over a local WebSocket (wire.ts encodes it);
 * - the Electron preload later over IPC, on channels `steer:<method>` (API_CHANNEL_PREFIX).
 *
 * Platform-free: zod and core only, no `node:*`, no DOM. The renderer may import this file and
 * wire.ts, nothing else under src/main (biome.json names the exception).
 */
import { z } from 'zod';
import { formatFieldPath } from '../../core/fieldPath.js';
import { REPLAY_FILE_EXTENSION } from '../../core/replay/index.js';
import { JOB_METHODS } from './jobMethods.js';
import { SCENARIO_METHODS } from './scenarioMethods.js';
import { SWEEP_METHODS } from './sweepMethods.js';

// --- shared pieces ---

/** Prefix of the Electron IPC channels: `steer:replays.open`. Anything else is refused by name. */
export const API_CHANNEL_PREFIX = 'steer:';

/** Folders under the project root that hold replays: bundled samples and training runs. */
export const REPLAY_ROOTS = Object.freeze(['samples', 'runs'] as const);

/** A replay root folder name. */
export const ReplayRootSchema = z.enum(REPLAY_ROOTS);

/** Longest path the API accepts [characters]. */
const MAX_PATH_CHARS = 1024;

/**
 * A replay path as the API names it: relative to the project root, `/`-separated, inside one of
 * REPLAY_ROOTS, no `.`/`..` segments, ending in `.replay`. (The host also checks that the real
 * path, symlinks resolved, stays inside the root.)
 */
export const ReplayPathSchema = z
  .string()
  .min(1)
  .max(MAX_PATH_CHARS)
  .refine(isReplayPath, {
    message: `expected a path like "samples/replays/x${REPLAY_FILE_EXTENSION}": relative, "/"-separated, under ${REPLAY_ROOTS.map((r) => `${r}/`).join(' or ')}, no "." or ".." segments, ending in ${REPLAY_FILE_EXTENSION}`,
  });

/** Whether `path` is an acceptable replay path (see ReplayPathSchema). */
export function isReplayPath(path: string): boolean {
  if (path.includes('\\') || path.includes('\0') || !path.endsWith(REPLAY_FILE_EXTENSION)) return false;
  const segments = path.split('/');
  if (!(REPLAY_ROOTS as readonly string[]).includes(segments[0]!) || segments.length < 2) return false;
  return segments.every((s) => s !== '' && s !== '.' && s !== '..');
}

/** What the list shows of a readable replay (from its header and footer; no frame is decoded). */
export const ReplaySummarySchema = z.strictObject({
  /** Env registry name, e.g. "horm:density-3". */
  env: z.string(),
  /** Scenario display name. */
  scenario: z.string(),
  seed: z.int(),
  /** What chose the actions ("steer", "random", …). */
  model: z.string(),
  agents: z.int().nonnegative(),
  /** Decisions in the episode. */
  steps: z.int().nonnegative(),
  frames: z.int().nonnegative(),
  /** Whether a CAV crashed. */
  crashed: z.boolean(),
});

/** One replay file found under a root. */
export const ReplayEntrySchema = z.strictObject({
  /** ReplayPathSchema path, e.g. "samples/replays/horm-hard-random-seed0.replay". */
  path: z.string(),
  root: ReplayRootSchema,
  /** Size on disk [bytes]. */
  fileBytes: z.int().nonnegative(),
  /** Last modification (ISO 8601). */
  modifiedAt: z.string(),
  /** Absent when the file cannot be read; then `error` says why. */
  summary: ReplaySummarySchema.optional(),
  /** One line: why the file cannot be read (damaged, cut short, newer format, too large). */
  error: z.string().optional(),
});

/** A replay list entry. */
export type ReplayEntry = z.output<typeof ReplayEntrySchema>;

// --- the methods ---

/**
 * Every method: request schema, response schema, one line of documentation. Requests are strict
 * objects: an unknown field is an error, not ignored.
 */
export const API_METHODS = {
  'app.info': {
    summary: 'name and version of the app, which host serves it, where replays are listed from',
    request: z.strictObject({}),
    response: z.strictObject({
      name: z.string(),
      version: z.string(),
      /** Which main side answers: the browser host or the Electron main process. */
      host: z.enum(['web', 'electron']),
      replayRoots: z.array(ReplayRootSchema),
      /** Replay format versions the renderer's reader understands. */
      replayFormatVersions: z.array(z.int()),
    }),
  },
  'replays.list': {
    summary: 'the .replay files under samples/ and runs/ (or one of them), with a summary of each',
    request: z.strictObject({
      /** Only this root; default both. */
      root: ReplayRootSchema.optional(),
    }),
    response: z.strictObject({
      replays: z.array(ReplayEntrySchema),
      /** True when more files exist than the list holds (MAX_LISTED_REPLAYS). */
      truncated: z.boolean(),
    }),
  },
  'replays.open': {
    summary: "one replay's file bytes; the renderer decodes them with the core reader",
    request: z.strictObject({ path: ReplayPathSchema }),
    response: z.strictObject({
      path: z.string(),
      fileBytes: z.int().nonnegative(),
      modifiedAt: z.string(),
      /**
       * The whole file. Sending bytes (≈15 KB for 100 HORM steps) and decoding them in the window
       * with ReplayReader is several times faster than sending decoded frames as JSON, and the
       * reader then decodes only the chunk holding the first frame before the first render.
       */
      bytes: z.custom<Uint8Array>((value) => value instanceof Uint8Array, {
        message: 'expected the file bytes (a Uint8Array)',
      }),
    }),
  },
  ...SCENARIO_METHODS,
  ...JOB_METHODS,
  ...SWEEP_METHODS,
} as const;

/** Most entries `replays.list` returns. */
export const MAX_LISTED_REPLAYS = 1000;

/** A method name: "app.info", "replays.list", "replays.open". */
export type ApiMethod = keyof typeof API_METHODS;

/** Method names, in contract order. */
export const API_METHOD_NAMES = Object.freeze(Object.keys(API_METHODS) as ApiMethod[]);

/** What a caller passes to `method`. */
export type ApiRequest<M extends ApiMethod> = z.input<(typeof API_METHODS)[M]['request']>;

/** What `method` resolves to. */
export type ApiResponse<M extends ApiMethod> = z.output<(typeof API_METHODS)[M]['response']>;

/** The window's view of the API: the same on every transport (WebSocket, Electron IPC). */
export interface SteerApi {
  call<M extends ApiMethod>(method: M, request: ApiRequest<M>): Promise<ApiResponse<M>>;
}

/** The main side's implementation: one function per method, given a validated request. */
export type ApiHandlers = {
  readonly [M in ApiMethod]: (
    request: z.output<(typeof API_METHODS)[M]['request']>,
  ) => Promise<z.input<(typeof API_METHODS)[M]['response']>>;
};

// --- errors and the result envelope ---

/** Why a call failed. */
export const API_ERROR_CODES = Object.freeze([
  /** No such method (the name is in the message). */
  'unknown-method',
  /** The request does not match the method's schema. */
  'invalid-request',
  /** The file (or folder) does not exist. */
  'not-found',
  /** The request is well-formed but not allowed (a path leaving its root through a symlink). */
  'refused',
  /** The file exists but cannot be read or is too large. */
  'unreadable',
  /** A bug on the main side (a response that fails its own schema, an unexpected exception). */
  'internal',
] as const);

/** An API error code. */
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** One problem with a request: where (a field path) and what. */
export const ApiIssueSchema = z.strictObject({ path: z.string(), message: z.string() });

/** A failed call as data, the way it crosses a transport. */
export const ApiErrorDataSchema = z.strictObject({
  code: z.enum(API_ERROR_CODES),
  /** One line: method, where, what was expected, what was found. */
  message: z.string(),
  issues: z.array(ApiIssueSchema).optional(),
});

/** Error data. */
export type ApiErrorData = z.output<typeof ApiErrorDataSchema>;

/** A failed API call (on either side). */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly issues?: readonly { readonly path: string; readonly message: string }[],
  ) {
    super(message);
  }

  /** As data, for a transport. */
  toData(): ApiErrorData {
    return this.issues === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, issues: [...this.issues] };
  }

  /** Back from data. */
  static fromData(data: ApiErrorData): ApiError {
    return new ApiError(data.code, data.message, data.issues);
  }
}

/** What every transport carries back for one call: the response, or the error as data. */
export const ApiResultSchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), response: z.unknown() }),
  z.strictObject({ ok: z.literal(false), error: ApiErrorDataSchema }),
]);

/** A call's result envelope. */
export type ApiResult = z.output<typeof ApiResultSchema>;

// --- validation, on both sides ---

/** `request.path`, `replays[3].summary`: a zod path as JavaScript writes it. */
function issuePath(prefix: string, path: readonly PropertyKey[]): string {
  return formatFieldPath([prefix, ...path]);
}

/** The method named by `name`, or an `unknown-method` ApiError that lists the methods. */
export function apiMethod(name: unknown): ApiMethod {
  if (typeof name === 'string' && Object.hasOwn(API_METHODS, name)) return name as ApiMethod;
  const shown = typeof name === 'string' ? JSON.stringify(name.slice(0, 80)) : `a ${typeof name}`;
  throw new ApiError(
    'unknown-method',
    `unknown method ${shown}; the methods are ${API_METHOD_NAMES.join(', ')}`,
  );
}

/** Checks a raw payload against a schema; an ApiError with one issue per problem otherwise. */
function parseWith<T>(
  schema: z.ZodType<T>,
  raw: unknown,
  method: ApiMethod,
  part: 'request' | 'response',
): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    path: issuePath(part, issue.path),
    message: issue.message,
  }));
  const text = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  if (part === 'request') throw new ApiError('invalid-request', `${method}: ${text}`, issues);
  throw new ApiError('internal', `${method}: the response breaks the contract: ${text}`, issues);
}

/** Validates a request for `method` (main side: every payload, whatever the transport). */
export function parseRequest<M extends ApiMethod>(
  method: M,
  raw: unknown,
): z.output<(typeof API_METHODS)[M]['request']> {
  return parseWith(API_METHODS[method].request as z.ZodType, raw, method, 'request') as z.output<
    (typeof API_METHODS)[M]['request']
  >;
}

/** Validates a response of `method` (window side, and main side before sending). */
export function parseResponse<M extends ApiMethod>(method: M, raw: unknown): ApiResponse<M> {
  return parseWith(API_METHODS[method].response as z.ZodType, raw, method, 'response') as ApiResponse<M>;
}

/**
 * Runs one call on the main side: method name checked, request validated, handler run, response
 * validated; never throws — failures come back as `{ ok: false, error }`. The WebSocket host and
 * the Electron IPC handlers both call this.
 */
export async function dispatchApiCall(
  handlers: ApiHandlers,
  name: unknown,
  raw: unknown,
): Promise<ApiResult> {
  try {
    const method = apiMethod(name);
    const request = parseRequest(method, raw);
    const handler = handlers[method] as (request: unknown) => Promise<unknown>;
    const response = parseResponse(method, await handler(request));
    return { ok: true, response };
  } catch (error) {
    const apiError =
      error instanceof ApiError
        ? error
        : new ApiError('internal', `${typeof name === 'string' ? name : 'call'}: ${String(error)}`);
    return { ok: false, error: apiError.toData() };
  }
}

/** Unwraps a result envelope for `method` on the window side: the response, or throws ApiError. */
export function unwrapApiResult<M extends ApiMethod>(method: M, raw: unknown): ApiResponse<M> {
  const parsed = ApiResultSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ApiError(
      'internal',
      `${method}: expected a result envelope {ok, response | error} from the host`,
    );
  }
  const result = parsed.data;
  if (!result.ok) throw ApiError.fromData(result.error);
  return parseResponse(method, result.response);
}
