/**
 * The window's half of the renderer worker (src/renderer/scene/sceneProxy.ts) against a fake
 * worker and canvas: it sends the replay once, with the time and selection at the next frame,
 * then only what changed; every message it sends passes the worker's schema; requests resolve
 * with the worker's answers in client coordinates; pointer input is forwarded only while pressed;
 * a malformed answer is refused; after dispose nothing is sent and nothing waits.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReplayPlayer } from '../../../../src/renderer/playback/replayPlayer.js';
import {
  type FromSceneWorker,
  parseToSceneWorker,
  type ToSceneWorker,
} from '../../../../src/renderer/scene/sceneMessages.js';
import { type CanvasPort, SceneProxy, type WorkerPort } from '../../../../src/renderer/scene/sceneProxy.js';

const SAMPLE = new URL('../../../../samples/replays/horm-hard-random-seed0.replay', import.meta.url);
const bytes = new Uint8Array(readFileSync(SAMPLE));
const RECT = { left: 10, top: 20, width: 800, height: 600 };

type Listener = (event: unknown) => void;

class FakeWorker implements WorkerPort {
  readonly sent: { message: ToSceneWorker; transfer: Transferable[] }[] = [];
  private readonly listeners = new Map<string, ((event: MessageEvent) => void)[]>();
  postMessage(message: ToSceneWorker, transfer: Transferable[] = []): void {
    this.sent.push({
      message: structuredClone(
        message.type === 'init' ? { ...message, canvas: null } : message,
      ) as ToSceneWorker,
      transfer,
    });
  }
  addEventListener(type: string, listener: (event: MessageEvent) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  terminate(): void {}
  /** The worker answers. */
  answer(data: FromSceneWorker | Record<string, unknown>): void {
    for (const listener of this.listeners.get('message') ?? []) listener({ data } as MessageEvent);
  }
  /** The worker script fails (load error, uncaught exception). */
  fail(message: string): void {
    for (const listener of this.listeners.get('error') ?? [])
      listener({ message } as unknown as MessageEvent);
  }
  /** Messages sent since the last call (but init), checked against the worker's schema. */
  take(): ToSceneWorker[] {
    const out = this.sent.splice(0).map((s) => s.message);
    return out.filter((m) => m.type !== 'init').map((m) => parseToSceneWorker(m));
  }
}

class FakeCanvas {
  clientWidth = RECT.width;
  clientHeight = RECT.height;
  readonly style = { cursor: '', touchAction: '' } as CSSStyleDeclaration;
  readonly captured = new Set<number>();
  private readonly listeners = new Map<string, Listener[]>();
  getBoundingClientRect() {
    return {
      ...RECT,
      x: RECT.left,
      y: RECT.top,
      right: RECT.left + RECT.width,
      bottom: RECT.top + RECT.height,
    };
  }
  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  setPointerCapture(id: number): void {
    this.captured.add(id);
  }
  hasPointerCapture(id: number): boolean {
    return this.captured.has(id);
  }
  releasePointerCapture(id: number): void {
    this.captured.delete(id);
  }
  /** A DOM-like event on the canvas; returns whether its default was prevented. */
  fire(type: string, fields: Record<string, unknown> = {}): boolean {
    let prevented = false;
    const event = {
      type,
      clientX: 0,
      clientY: 0,
      pointerId: 1,
      pointerType: 'mouse',
      button: 0,
      ctrlKey: false,
      metaKey: false,
      shiftKey: false,
      preventDefault: () => {
        prevented = true;
      },
      ...fields,
    };
    for (const listener of this.listeners.get(type) ?? []) listener(event);
    return prevented;
  }
}

function setup() {
  const worker = new FakeWorker();
  const canvas = new FakeCanvas();
  const offscreen = { offscreen: true } as unknown as OffscreenCanvas;
  const proxy = new SceneProxy(canvas as unknown as CanvasPort, offscreen, worker);
  return { worker, canvas, offscreen, proxy };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('SceneProxy', () => {
  it('is ready when the worker says so', async () => {
    const { worker, proxy } = setup();
    let ready = false;
    void proxy.ready.then(() => {
      ready = true;
    });
    await Promise.resolve();
    expect(ready).toBe(false);
    worker.answer({ type: 'ready', maxFps: null });
    await proxy.ready;
    expect(ready).toBe(true);
  });

  it("keeps the worker's drawing cap from its ready message", async () => {
    const { worker, proxy } = setup();
    expect(proxy.maxFps).toBeNull();
    worker.answer({ type: 'ready', maxFps: 30 });
    await proxy.ready;
    expect(proxy.maxFps).toBe(30);
  });

  it('starts the worker with the canvas transferred and its size', () => {
    const { worker, canvas, offscreen } = setup();
    expect(worker.sent).toHaveLength(1);
    expect(worker.sent[0]!.message).toMatchObject({ type: 'init', width: 800, height: 600 });
    expect(worker.sent[0]!.transfer).toEqual([offscreen]);
    expect(canvas.style.touchAction).toBe('none');
  });

  it('sends the replay once at the next frame, then only a changed time or selection', () => {
    const { worker, proxy } = setup();
    worker.take();
    const player = new ReplayPlayer(bytes);
    void proxy.load(player, false);
    expect(worker.take()).toEqual([]); // nothing until the frame
    player.seek(5);
    proxy.selected = 2;
    expect(proxy.render(0)).toBe(false);
    const [load, ...rest] = worker.sent.splice(0);
    expect(rest).toEqual([]);
    expect(load!.message).toMatchObject({ type: 'load', serial: 1, keepView: false, time: 5, selected: 2 });
    const sentBytes = (load!.message as { bytes: Uint8Array }).bytes;
    expect(Array.from(sentBytes)).toEqual(Array.from(bytes));
    expect(load!.transfer).toHaveLength(1); // a copy, moved: the player keeps its own bytes
    expect(player.bytes.byteLength).toBe(bytes.byteLength);
    proxy.render(0.016);
    expect(worker.take()).toEqual([]); // nothing changed
    player.play();
    player.advance(0.05);
    proxy.render(0.05);
    expect(worker.take()).toEqual([{ type: 'view', time: player.time, selected: 2 }]);
    proxy.selected = -1;
    proxy.render(0.016);
    expect(worker.take()).toEqual([{ type: 'view', time: player.time, selected: -1 }]);
  });

  it('keeps the selection on a kept view only while the vehicle exists', () => {
    const { proxy } = setup();
    const player = new ReplayPlayer(bytes);
    proxy.selected = 3;
    void proxy.load(player, true);
    expect(proxy.selected).toBe(3);
    void proxy.load(player, false);
    expect(proxy.selected).toBe(-1);
    proxy.selected = player.capacity;
    void proxy.load(player, true);
    expect(proxy.selected).toBe(-1);
  });

  it('resolves a load when the worker has drawn it (or a later one), in the window’s clock', async () => {
    const { worker, proxy } = setup();
    const player = new ReplayPlayer(bytes);
    const first = proxy.load(player, false);
    const second = proxy.load(player, false);
    proxy.render(0);
    expect(worker.take().map((m) => m.type === 'load' && m.serial)).toEqual([2]); // the replaced one is never sent
    const at = performance.timeOrigin + 1234.5;
    worker.answer({ type: 'drawn', serial: 2, at });
    await expect(first).resolves.toBeCloseTo(1234.5, 3);
    await expect(second).resolves.toBeCloseTo(1234.5, 3);
  });

  it('asks the worker to pick and to place vehicles, in viewport coordinates, and answers in client ones', async () => {
    const { worker, proxy } = setup();
    worker.take();
    const picked = proxy.pick(110, 70);
    const [pick] = worker.take();
    expect(pick).toEqual({ type: 'pick', id: 1, x: 100, y: 50 });
    worker.answer({ type: 'picked', id: 1, vehicle: 4 });
    await expect(picked).resolves.toBe(4);
    const shown = proxy.screenPoint(4);
    const hidden = proxy.screenPoint(5);
    expect(worker.take()).toEqual([
      { type: 'screenPoint', id: 2, index: 4 },
      { type: 'screenPoint', id: 3, index: 5 },
    ]);
    worker.answer({ type: 'screenPoint', id: 3, point: null });
    worker.answer({ type: 'screenPoint', id: 2, point: { x: 400, y: 300 } });
    await expect(shown).resolves.toEqual({ x: 410, y: 320 });
    await expect(hidden).resolves.toBeNull();
  });

  it('forwards a press, the moves while pressed and the release; wheel and context menu stay in the view', () => {
    const { worker, canvas } = setup();
    worker.take();
    canvas.fire('pointermove', { clientX: 50, clientY: 50 }); // hovering: not sent
    canvas.fire('pointerdown', { clientX: 60, clientY: 70 });
    expect(canvas.captured.has(1)).toBe(true);
    canvas.fire('pointermove', { clientX: 80, clientY: 70, button: -1 });
    canvas.fire('pointerup', { clientX: 80, clientY: 70 });
    canvas.fire('pointermove', { clientX: 90, clientY: 70 }); // released: not sent
    expect(canvas.captured.size).toBe(0);
    expect(canvas.fire('wheel', { clientX: 60, clientY: 70, deltaY: 100, deltaMode: 0 })).toBe(true);
    expect(canvas.fire('contextmenu', { clientX: 60, clientY: 70, button: 2 })).toBe(true);
    const sent = worker
      .take()
      .map((m) => (m.type === 'input' ? `${m.event.kind}@${m.event.x},${m.event.y}` : m.type));
    expect(sent).toEqual([
      'pointerdown@50,50',
      'pointermove@70,50',
      'pointerup@70,50',
      'wheel@50,50',
      'contextmenu@50,50',
    ]);
  });

  it('sends a resize only when the size or the pixel ratio changed', () => {
    const { worker, canvas, proxy } = setup();
    worker.take();
    proxy.resize();
    expect(worker.take()).toEqual([]);
    canvas.clientWidth = 640;
    proxy.resize();
    expect(worker.take()).toMatchObject([{ type: 'resize', width: 640, height: 600, pixelRatio: 1 }]);
    vi.stubGlobal('devicePixelRatio', 2);
    try {
      proxy.resize();
      expect(worker.take()).toMatchObject([{ type: 'resize', width: 640, height: 600, pixelRatio: 2 }]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('passes on the worker’s stats and cursor, and refuses a malformed message', () => {
    const { worker, canvas, proxy } = setup();
    const stats: [number, readonly number[]][] = [];
    proxy.onStats = (frames, drawMs) => stats.push([frames, drawMs]);
    worker.answer({ type: 'stats', frames: 30, drawMs: [2, 3] });
    worker.answer({ type: 'cursor', cursor: 'grabbing' });
    expect(stats).toEqual([[30, [2, 3]]]);
    expect(canvas.style.cursor).toBe('grabbing');
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    worker.answer({ type: 'stats', frames: -1, drawMs: [] });
    worker.answer({ type: 'error', message: 'scene worker: expected init before view' });
    expect(stats).toHaveLength(1);
    expect(errors.mock.calls.map((c) => String(c[0]))).toEqual([
      expect.stringMatching(/^scene proxy: refused a worker message: frames: /),
      'scene worker: expected init before view',
    ]);
  });

  it('tells the user when the worker fails to start or reports an error, and stops waiting for it', async () => {
    const { worker, proxy } = setup();
    const shown: string[] = [];
    proxy.onError = (message) => shown.push(message);
    vi.spyOn(console, 'error').mockImplementation(() => {});
    worker.fail('');
    await expect(proxy.ready).resolves.toBeUndefined();
    worker.answer({ type: 'error', message: 'scene worker: expected init before view' });
    worker.fail('SyntaxError: unexpected token');
    expect(shown).toEqual([
      '3-D view: the renderer worker failed to start',
      '3-D view: scene worker: expected init before view',
      '3-D view: the renderer worker failed: SyntaxError: unexpected token',
    ]);
  });

  it('after dispose sends nothing more and leaves nothing waiting', async () => {
    const { worker, proxy } = setup();
    worker.take();
    const picked = proxy.pick(0, 0);
    const point = proxy.screenPoint(0);
    proxy.dispose();
    await expect(picked).resolves.toBe(-1);
    await expect(point).resolves.toBeNull();
    expect(worker.take().map((m) => m.type)).toEqual(['pick', 'screenPoint', 'dispose']);
    proxy.setCameraMode('top');
    proxy.dispose();
    expect(worker.take()).toEqual([]);
  });
});
