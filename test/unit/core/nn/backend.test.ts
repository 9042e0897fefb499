import { describe, expect, it } from 'vitest';
import {
  BACKEND_NAMES,
  BackendError,
  type BackendLoader,
  type BackendName,
  selectBackend,
} from '../../../../src/core/nn/backend.js';

/** A fake tfjs engine: `setBackend` succeeds only for names some loader registered. */
class FakeEngine {
  readonly registered = new Set<string>();
  readonly initFails = new Set<string>();
  current = 'none';
  readonly setCalls: string[] = [];

  async setBackend(name: string): Promise<boolean> {
    this.setCalls.push(name);
    if (!this.registered.has(name)) throw new Error(`Backend name '${name}' not found in registry`);
    if (this.initFails.has(name)) return false;
    this.current = name;
    return true;
  }

  async ready(): Promise<void> {}

  getBackend(): string {
    return this.current;
  }
}

type Behaviour = 'ok' | 'false' | Error;

/** Loaders that record the order they were called in and behave as told. */
function fakeLoaders(engine: FakeEngine, behaviours: Partial<Record<BackendName, Behaviour>>) {
  const calls: BackendName[] = [];
  const loaders: BackendLoader[] = BACKEND_NAMES.filter((name) => behaviours[name] !== undefined).map(
    (name) => ({
      name,
      hint: `install ${name}`,
      async load() {
        calls.push(name);
        const behaviour = behaviours[name]!;
        if (behaviour instanceof Error) throw behaviour;
        if (behaviour === 'false') return false;
        engine.registered.add(name === 'tfjs-node-gpu' || name === 'tfjs-node' ? 'tensorflow' : name);
        return true;
      },
    }),
  );
  return { loaders, calls };
}

const notFound = (pkg: string) =>
  new Error(`Cannot find package '${pkg}' imported from /work/main/src/core/nn/node/backends.ts`);

describe('selectBackend', () => {
  it('falls back gpu → node → wasm and prints why the native ones were skipped', async () => {
    const tf = new FakeEngine();
    const { loaders, calls } = fakeLoaders(tf, {
      'tfjs-node-gpu': notFound('@tensorflow/tfjs-node-gpu'),
      'tfjs-node': notFound('@tensorflow/tfjs-node'),
      wasm: 'ok',
      cpu: 'ok',
    });
    const lines: string[] = [];
    const choice = await selectBackend({ loaders, tf, log: (m) => lines.push(m) });

    expect(calls).toEqual(['tfjs-node-gpu', 'tfjs-node', 'wasm']);
    expect(choice).toEqual({
      name: 'wasm',
      tfjsName: 'wasm',
      tried: [
        { name: 'tfjs-node-gpu', reason: "Cannot find package '@tensorflow/tfjs-node-gpu'" },
        { name: 'tfjs-node', reason: "Cannot find package '@tensorflow/tfjs-node'" },
      ],
    });
    expect(tf.getBackend()).toBe('wasm');
    expect(lines).toEqual([
      "backend: wasm (tfjs-node-gpu unavailable: Cannot find package '@tensorflow/tfjs-node-gpu'; " +
        "tfjs-node unavailable: Cannot find package '@tensorflow/tfjs-node')",
    ]);
  });

  it('uses the fallback order whatever order the loaders are given in', async () => {
    const tf = new FakeEngine();
    const { loaders, calls } = fakeLoaders(tf, {
      'tfjs-node-gpu': 'false',
      'tfjs-node': 'false',
      wasm: 'false',
      cpu: 'ok',
    });
    const choice = await selectBackend({ loaders: [...loaders].reverse(), tf });
    expect(calls).toEqual(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']);
    expect(choice.name).toBe('cpu');
    expect(choice.tried.map((t) => t.name)).toEqual(['tfjs-node-gpu', 'tfjs-node', 'wasm']);
  });

  it('chooses the GPU backend when it is available and tries nothing else', async () => {
    const tf = new FakeEngine();
    const { loaders, calls } = fakeLoaders(tf, {
      'tfjs-node-gpu': 'ok',
      'tfjs-node': 'ok',
      wasm: 'ok',
      cpu: 'ok',
    });
    const lines: string[] = [];
    const choice = await selectBackend({ loaders, tf, log: (m) => lines.push(m) });
    expect(choice).toEqual({ name: 'tfjs-node-gpu', tfjsName: 'tensorflow', tried: [] });
    expect(calls).toEqual(['tfjs-node-gpu']);
    expect(tf.getBackend()).toBe('tensorflow');
    expect(lines).toEqual(['backend: tfjs-node-gpu']);
  });

  it('skips a backend whose tfjs initialisation fails', async () => {
    const tf = new FakeEngine();
    tf.initFails.add('wasm');
    const { loaders } = fakeLoaders(tf, { wasm: 'ok', cpu: 'ok' });
    const choice = await selectBackend({ loaders, tf });
    expect(choice.name).toBe('cpu');
    expect(choice.tried).toEqual([{ name: 'wasm', reason: "tfjs could not initialise backend 'wasm'" }]);
  });

  it('uses a requested backend without trying the preferred ones', async () => {
    const tf = new FakeEngine();
    const { loaders, calls } = fakeLoaders(tf, { 'tfjs-node-gpu': 'ok', wasm: 'ok', cpu: 'ok' });
    const lines: string[] = [];
    const choice = await selectBackend({ requested: 'cpu', loaders, tf, log: (m) => lines.push(m) });
    expect(choice).toEqual({ name: 'cpu', tfjsName: 'cpu', tried: [] });
    expect(calls).toEqual(['cpu']);
    expect(lines).toEqual(['backend: cpu (requested)']);
  });

  it("treats 'auto' and an empty request as no request", async () => {
    for (const requested of ['auto', '', '  ']) {
      const tf = new FakeEngine();
      const { loaders } = fakeLoaders(tf, { 'tfjs-node': 'false', wasm: 'ok' });
      expect((await selectBackend({ requested, loaders, tf })).name).toBe('wasm');
    }
  });

  it('refuses a requested backend that is unavailable, naming it, the reason and the valid names', async () => {
    const tf = new FakeEngine();
    const { loaders, calls } = fakeLoaders(tf, {
      'tfjs-node-gpu': 'ok',
      'tfjs-node': notFound('@tensorflow/tfjs-node'),
      wasm: 'ok',
      cpu: 'ok',
    });
    const attempt = selectBackend({ requested: 'tfjs-node', loaders, tf });
    await expect(attempt).rejects.toBeInstanceOf(BackendError);
    await expect(attempt).rejects.toThrow(
      "backend 'tfjs-node' was requested but is unavailable: Cannot find package '@tensorflow/tfjs-node' " +
        '(install tfjs-node). Valid backends: tfjs-node-gpu, tfjs-node, wasm, cpu',
    );
    expect(calls).toEqual(['tfjs-node']); // no silent fallback
    expect(tf.setCalls).toEqual([]);
  });

  it('refuses an unknown backend name, listing the valid ones', async () => {
    const tf = new FakeEngine();
    const { loaders, calls } = fakeLoaders(tf, { cpu: 'ok' });
    await expect(selectBackend({ requested: 'cuda', loaders, tf })).rejects.toThrow(
      "unknown backend 'cuda': expected one of tfjs-node-gpu, tfjs-node, wasm, cpu, auto",
    );
    expect(calls).toEqual([]);
  });

  it('refuses a known backend this platform has no loader for', async () => {
    const tf = new FakeEngine();
    const { loaders } = fakeLoaders(tf, { wasm: 'ok', cpu: 'ok' });
    await expect(selectBackend({ requested: 'tfjs-node', loaders, tf })).rejects.toThrow(
      "backend 'tfjs-node' is not offered on this platform: available here are wasm, cpu",
    );
  });

  it('fails with every reason when no backend works', async () => {
    const tf = new FakeEngine();
    const { loaders } = fakeLoaders(tf, { wasm: new Error('no WebAssembly'), cpu: 'false' });
    await expect(selectBackend({ loaders, tf })).rejects.toThrow(
      'no ML backend could be started: wasm unavailable: no WebAssembly; cpu unavailable: not available on this platform',
    );
  });
});
