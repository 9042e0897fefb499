/**
 * ML backend selection (docs/design.md "Backend"): choose once at start, print the choice, let the user
 * override it. The fallback order is tfjs-node-gpu → tfjs-node → wasm → cpu; the two native
 * backends are optional dependencies, so a machine without them (or offline at install time) still
 * runs on wasm or cpu. Everything after this choice is the same code on every backend, which is why
 * the GPU path is exercised only through its fallbacks: the order is tested here with fake loaders.
 *
 * Platform-free: the loaders that import packages are injected (Node's are in `node/backends.ts`).
 * The environment variable `STEER_BACKEND` (see `BACKEND_ENV_VAR`) supplies `requested` when the
 * caller was given no `--backend`; reading it is the caller's job, since core has no `process`.
 */

/** User-facing backend names, in fallback order (first = preferred). */
export const BACKEND_NAMES = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;

/** A user-facing backend name: what `--backend` and `STEER_BACKEND` accept, and what is printed. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** The name a backend registers with tfjs (`tf.setBackend(...)`, `tf.getBackend()`). */
export type TfjsBackendName = 'tensorflow' | 'wasm' | 'cpu';

/**
 * Our names → tfjs's registered names. Both native packages register as 'tensorflow' (the GPU one
 * just links a CUDA build of libtensorflow), hence our own names for the user.
 */
export const TFJS_BACKEND_NAMES: Readonly<Record<BackendName, TfjsBackendName>> = {
  'tfjs-node-gpu': 'tensorflow',
  'tfjs-node': 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
};

/** Environment variable read by the CLI as the default for `--backend`. */
export const BACKEND_ENV_VAR = 'STEER_BACKEND';

/** Requesting this name (or nothing) means "first available in fallback order". */
export const AUTO_BACKEND = 'auto';

/** Imports one backend's package so that it registers itself with tfjs. */
export interface BackendLoader {
  /** Which backend this loads. */
  readonly name: BackendName;
  /**
   * Imports the package and registers the backend. Resolves `false` or throws when the backend is
   * unavailable; a thrown error's message becomes the printed reason.
   */
  load(): Promise<boolean>;
  /** How to make it available (e.g. an install command), added to the error when it was requested. */
  readonly hint?: string;
}

/** The part of `@tensorflow/tfjs-core` that selection uses (injected, so tests can fake it). */
export interface BackendEngine {
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string;
}

/** One backend that was tried and could not be used, with why. */
export interface BackendAttempt {
  readonly name: BackendName;
  readonly reason: string;
}

/** The backend in use after selection, and the ones skipped on the way to it. */
export interface BackendChoice {
  readonly name: BackendName;
  readonly tfjsName: TfjsBackendName;
  /** Backends tried before this one that were unavailable, in the order tried. */
  readonly tried: readonly BackendAttempt[];
}

/** Options of `selectBackend`. */
export interface SelectBackendOptions {
  /**
   * A backend name to use and nothing else (from `--backend`, or `STEER_BACKEND` read by the
   * caller). Undefined, empty or 'auto' = first available in fallback order.
   */
  readonly requested?: string | undefined;
  /** One loader per backend this platform can offer; order does not matter. */
  readonly loaders: readonly BackendLoader[];
  /** The tfjs engine functions (usually `import * as tf from '@tensorflow/tfjs-core'`). */
  readonly tf: BackendEngine;
  /** Where the one-line choice is printed; nothing is printed when omitted. */
  readonly log?: (message: string) => void;
}

/** A backend could not be selected: unknown name, requested one unavailable, or none available. */
export class BackendError extends Error {
  override readonly name = 'BackendError';
}

/** Whether `name` is one of `BACKEND_NAMES`. */
export function isBackendName(name: string): name is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(name);
}

/**
 * Picks the ML backend and makes it tfjs's current one. Without `requested`, tries each backend in
 * `BACKEND_NAMES` order (skipping those with no loader) and keeps the first that loads and
 * initialises; with `requested`, tries only that one. Logs one line such as
 * `backend: wasm (tfjs-node-gpu unavailable: Cannot find package '@tensorflow/tfjs-node-gpu'; …)`.
 * Throws `BackendError` for an unknown name, an unavailable requested backend, or when none works.
 */
export async function selectBackend(options: SelectBackendOptions): Promise<BackendChoice> {
  const { loaders, tf, log } = options;
  const byName = new Map<BackendName, BackendLoader>();
  for (const loader of loaders) {
    if (byName.has(loader.name)) throw new BackendError(`two loaders for backend '${loader.name}'`);
    byName.set(loader.name, loader);
  }
  const offered = BACKEND_NAMES.filter((name) => byName.has(name));
  const requested = options.requested?.trim().toLowerCase() ?? '';

  // --- requested: that backend or a clear error, never a silent fallback ---
  if (requested !== '' && requested !== AUTO_BACKEND) {
    if (!isBackendName(requested)) {
      throw new BackendError(
        `unknown backend '${options.requested}': expected one of ${[...BACKEND_NAMES, AUTO_BACKEND].join(', ')}`,
      );
    }
    const loader = byName.get(requested);
    if (loader === undefined) {
      throw new BackendError(
        `backend '${requested}' is not offered on this platform: available here are ${offered.join(', ')}`,
      );
    }
    const reason = await tryBackend(loader, tf);
    if (reason !== null) {
      const hint = loader.hint === undefined ? '' : ` (${loader.hint})`;
      throw new BackendError(
        `backend '${requested}' was requested but is unavailable: ${reason}${hint}. ` +
          `Valid backends: ${BACKEND_NAMES.join(', ')}; use '${AUTO_BACKEND}' or omit it to take the first available.`,
      );
    }
    log?.(`backend: ${requested} (requested)`);
    return { name: requested, tfjsName: TFJS_BACKEND_NAMES[requested], tried: [] };
  }

  // --- automatic: first available in fallback order ---
  const tried: BackendAttempt[] = [];
  for (const name of offered) {
    const reason = await tryBackend(byName.get(name)!, tf);
    if (reason === null) {
      log?.(formatChoice(name, tried));
      return { name, tfjsName: TFJS_BACKEND_NAMES[name], tried };
    }
    tried.push({ name, reason });
  }
  throw new BackendError(
    `no ML backend could be started${tried.length === 0 ? ' (no loaders given)' : `: ${formatAttempts(tried)}`}`,
  );
}

/** The printed line: `backend: <name>` plus why the preferred ones were skipped. */
export function formatChoice(name: BackendName, tried: readonly BackendAttempt[]): string {
  return tried.length === 0 ? `backend: ${name}` : `backend: ${name} (${formatAttempts(tried)})`;
}

function formatAttempts(tried: readonly BackendAttempt[]): string {
  return tried.map((t) => `${t.name} unavailable: ${t.reason}`).join('; ');
}

/** Loads and activates one backend; null on success, else the reason it is unavailable. */
async function tryBackend(loader: BackendLoader, tf: BackendEngine): Promise<string | null> {
  const tfjsName = TFJS_BACKEND_NAMES[loader.name];
  try {
    if (!(await loader.load())) return 'not available on this platform';
    // setBackend resolves false (rather than throwing) when the backend's own init fails,
    // e.g. a wasm binary that cannot be instantiated.
    if (!(await tf.setBackend(tfjsName))) return `tfjs could not initialise backend '${tfjsName}'`;
    await tf.ready();
  } catch (error) {
    return describeError(error);
  }
  const active = tf.getBackend();
  return active === tfjsName ? null : `tfjs is on backend '${active}' after selecting '${tfjsName}'`;
}

/**
 * First line of an error's message, without Node's "imported from <file>" tail, so the printed
 * reason reads `Cannot find package '@tensorflow/tfjs-node'`.
 */
function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split('\n', 1)[0]!.trim();
  return (
    firstLine.replace(/ imported from .*$/, '') || (error instanceof Error ? error.name : 'unknown error')
  );
}
