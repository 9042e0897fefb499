/**
 * The real backend loaders for Node (main process, CLI, worker threads) and `initBackend`, the one
 * call the CLI makes at start. Selection logic and the fallback order live in `../backend.ts`.
 *
 * The native packages are optional dependencies that the project must install and run without, so
 * their names sit in variables: TypeScript then needs no types for them and bundlers do not try to
 * follow the imports. The wasm backend needs nothing set in Node: its Node build finds its .wasm
 * file next to itself (no `setWasmPaths`), and it runs single-threaded there, so `setThreadsCount`
 * is left alone (checked with tfjs-backend-wasm 4.22, Node 20). On wasm, Identity and same-dtype
 * Cast then share their input's data instead of copying it (noCopyKernels.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_ENV_VAR, type BackendChoice, type BackendLoader, selectBackend } from '../backend.js';
import { installNoCopyKernels } from '../noCopyKernels.js';

/** npm package of the CUDA build of libtensorflow (optional dependency). */
const NODE_GPU_PACKAGE = '@tensorflow/tfjs-node-gpu';
/** npm package of the CPU build of libtensorflow (optional dependency). */
const NODE_PACKAGE = '@tensorflow/tfjs-node';

/**
 * Imports a module by a name held in a variable. Importing a package registers its backend with
 * the shared tfjs engine (tfjs keeps the engine on the global object, so every copy of tfjs-core
 * sees the registration).
 */
async function importPackage(specifier: string): Promise<boolean> {
  await import(specifier);
  return true;
}

/** Loaders for every backend Node can offer; `selectBackend` tries them in fallback order. */
export const nodeBackendLoaders: readonly BackendLoader[] = [
  {
    name: 'tfjs-node-gpu',
    load: () => importPackage(NODE_GPU_PACKAGE),
    hint: `install it with 'npm install ${NODE_GPU_PACKAGE}'; it needs Linux with CUDA and cuDNN`,
  },
  {
    name: 'tfjs-node',
    load: () => importPackage(NODE_PACKAGE),
    hint: `install it with 'npm install ${NODE_PACKAGE}'; its install downloads libtensorflow`,
  },
  { name: 'wasm', load: () => importPackage('@tensorflow/tfjs-backend-wasm') },
  { name: 'cpu', load: () => importPackage('@tensorflow/tfjs-backend-cpu') },
];

/**
 * Selects and activates the ML backend for this process and prints the choice (to stderr by
 * default, so it never mixes with a command's output on stdout). `requested` comes from
 * `--backend`; when it is undefined the `STEER_BACKEND` environment variable is used; when both
 * are absent (or 'auto') the first available of tfjs-node-gpu → tfjs-node → wasm → cpu is taken.
 * Throws `BackendError` for an unknown name or an unavailable requested backend.
 */
export async function initBackend(
  requested?: string,
  log: (message: string) => void = (message) => console.error(message),
): Promise<BackendChoice> {
  const choice = await selectBackend({
    requested: requested ?? process.env[BACKEND_ENV_VAR],
    loaders: nodeBackendLoaders,
    tf,
    log,
  });
  if (choice.tfjsName === 'wasm') installNoCopyKernels('wasm');
  return choice;
}
