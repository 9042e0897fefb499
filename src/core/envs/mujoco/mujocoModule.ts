/**
 * The MuJoCo engine: the official WebAssembly build (`mujoco-js`, MuJoCo 3.3.8), loaded once per
 * thread on first use and shared by every MuJoCo env of that thread (docs/envs/mujoco.md). The module
 * is 11 MB of JavaScript with the wasm embedded, so it is imported lazily: nothing that never builds
 * a MuJoCo env pays for it.
 *
 * Loading is asynchronous and building an env is not, so the env registry calls `loadMujoco()` in
 * `prepareEnv` first; `loadedMujoco()` then hands the module to the env synchronously.
 *
 * Pitfalls of the build (docs/envs/mujoco.md "Engine notes"): array getters return fresh views over
 * the wasm heap that go stale when it grows, so views are fetched again after every allocation;
 * models and datas are handles outside the JavaScript GC and must be deleted; an XML syntax error
 * returns null with the message on the module's print stream, a schema error throws an exception
 * with no message. `compileModel` turns all three into one `MujocoModelError` naming the model.
 */

import type { MainModule, MjModel } from 'mujoco-js';

/** The loaded engine. */
export type MujocoModule = MainModule;

/** A model that MuJoCo could not compile; the message names the model and says why when it can. */
export class MujocoModelError extends Error {
  override readonly name = 'MujocoModelError';
}

let loading: Promise<MujocoModule> | null = null;
let loaded: MujocoModule | null = null;
/** The engine's recent text output (parse errors are reported there, not thrown). */
const printed: string[] = [];

function remember(line: string): void {
  printed.push(line);
  if (printed.length > 20) printed.shift();
}

/** Loads the engine once per thread (about 150 ms); later calls return the same module. */
export function loadMujoco(): Promise<MujocoModule> {
  loading ??= import('mujoco-js').then(async ({ default: factory }) => {
    const module = await factory({ print: remember, printErr: remember });
    module.FS.mkdir('/models');
    loaded = module;
    return module;
  });
  return loading;
}

/** The engine if `loadMujoco()` has finished; throws otherwise (a programming error, not bad input). */
export function loadedMujoco(): MujocoModule {
  if (loaded === null) {
    throw new Error('MuJoCo is not loaded: await loadMujoco() (or prepareEnv) before building a MuJoCo env');
  }
  return loaded;
}

let compiled = 0;

/**
 * Compiles MJCF text into a model. `label` names the model in errors ("HalfCheetah-v2"). The XML is
 * written to the engine's in-memory file system only for the compile and removed after it.
 */
export function compileModel(module: MujocoModule, xml: string, label: string): MjModel {
  compiled += 1;
  const path = `/models/model-${compiled}.xml`;
  printed.length = 0;
  module.FS.writeFile(path, xml);
  let model: MjModel | null;
  try {
    model = module.MjModel.loadFromXML(path) as MjModel | null;
  } catch (error) {
    if (error instanceof Error && error.name === 'RuntimeError') {
      // WebAssembly.RuntimeError: a trap
      // a trap leaves the module's memory in an unknown state: the next loadMujoco() starts afresh
      loading = null;
      loaded = null;
      throw new MujocoModelError(
        `${label}: the MuJoCo engine failed while compiling the model (${error.message}); it is reloaded before the next env`,
      );
    }
    throw new MujocoModelError(`${label}: MJCF rejected by MuJoCo (${exceptionName(error)})`);
  } finally {
    module.FS.unlink(path);
  }
  if (model === null || model === undefined) {
    const said = printed.join(' ').trim();
    throw new MujocoModelError(`${label}: MJCF did not load${said === '' ? '' : `: ${said}`}`);
  }
  return model;
}

function exceptionName(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'object' && error !== null && 'name' in error) return String(error.name);
  return String(error);
}
