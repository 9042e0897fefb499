/**
 * The window's half of the renderer worker (sceneWorker.ts): a PlayerScene whose drawing happens
 * in the worker. It keeps what the window needs synchronously (the selection, the player) and
 * sends the worker only what changed (sceneMessages.ts):
 *
 * - `load` sends nothing at once: the next `render` sends the replay's bytes (a copy, transferred)
 *   with the player's time and selection by then, so the worker never draws a stale first frame;
 * - `render`, once per animation frame of the window, sends `view` (time, selection) when either
 *   changed since the last message, and nothing otherwise;
 * - pointer and wheel events on the canvas go to the worker's camera controls (forwardedInput);
 *   the pointer is captured here, on the real canvas, and moves are sent only while it is down;
 * - `pick` and `screenPoint` are requests answered by the worker;
 * - the worker's `stats` (frames drawn, draw times) go to `onStats` for the frame probe.
 */
import type { AnyReplayPlayer } from '../playback/openReplayPlayer.js';
import type { CameraMode } from './cameraModes.js';
import { forwardedInput } from './inputSurface.js';
import type { PlayerScene } from './playerScene.js';
import { type FromSceneWorker, parseFromSceneWorker, type ToSceneWorker } from './sceneMessages.js';

/** The members of a Worker the proxy uses (a fake one in unit tests). */
export interface WorkerPort {
  postMessage(message: ToSceneWorker, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'error' | 'messageerror', listener: (event: Event) => void): void;
  terminate(): void;
}

/** The members of the canvas element the proxy uses. */
export type CanvasPort = Pick<
  HTMLCanvasElement,
  | 'clientWidth'
  | 'clientHeight'
  | 'getBoundingClientRect'
  | 'style'
  | 'addEventListener'
  | 'setPointerCapture'
  | 'hasPointerCapture'
  | 'releasePointerCapture'
>;

/** A replay opened but not yet sent (it goes with the next `render`). */
interface PendingLoad {
  readonly player: AnyReplayPlayer;
  readonly keepView: boolean;
  readonly serial: number;
}

/** The scene, drawn in the renderer worker. */
export class SceneProxy implements PlayerScene {
  readonly path = 'worker';
  readonly ready: Promise<void>;
  /** The worker's drawing cap, once it is ready (null before, and on a GPU). */
  maxFps: number | null = null;
  selected = -1;
  /** Frames the worker drew and its time per draw [ms], as they arrive (every ~0.5 s). */
  onStats: ((frames: number, drawMs: readonly number[]) => void) | null = null;
  /** The worker failed (could not start, or reported an error): a sentence for the user. */
  onError: ((message: string) => void) | null = null;
  private readonly canvas: CanvasPort;
  private readonly worker: WorkerPort;
  private player: AnyReplayPlayer | null = null;
  private pendingLoad: PendingLoad | null = null;
  private loads = 0;
  /** Resolvers of `load`s by serial, until the worker reports their first frame drawn. */
  private readonly drawnWaiters = new Map<number, (drawnAt: number) => void>();
  private requests = 0;
  private readonly pickWaiters = new Map<number, (vehicle: number) => void>();
  private readonly pointWaiters = new Map<number, (point: { x: number; y: number } | null) => void>();
  /** What the worker was last told. */
  private sentTime = Number.NaN;
  private sentSelected = -1;
  private sentWidth = 0;
  private sentHeight = 0;
  private sentPixelRatio = 1;
  /** Pointers pressed on the canvas (moves are forwarded while any is). */
  private readonly pointersDown = new Set<number>();
  /** The canvas's client rectangle, read on resize and at each press. */
  private origin = { left: 0, top: 0 };
  private disposed = false;
  private markReady: () => void = () => {};

  constructor(canvas: CanvasPort, offscreen: OffscreenCanvas, worker: WorkerPort) {
    this.canvas = canvas;
    this.worker = worker;
    this.ready = new Promise((resolve) => {
      this.markReady = resolve;
    });
    worker.addEventListener('message', (event) => this.receive(event.data));
    worker.addEventListener('error', (event) => {
      const message = (event as ErrorEvent).message;
      const text = `3-D view: the renderer worker ${message === undefined || message === '' ? 'failed to start' : `failed: ${message}`}`;
      console.error(text);
      this.onError?.(text);
      this.markReady(); // nothing more will come: do not keep the page waiting
    });
    worker.addEventListener('messageerror', () => console.error('scene worker: a message could not be read'));
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    const pixelRatio = devicePixelRatio();
    this.sentWidth = width;
    this.sentHeight = height;
    this.sentPixelRatio = pixelRatio;
    this.post({ type: 'init', canvas: offscreen, width, height, pixelRatio }, [offscreen]);
    canvas.style.touchAction = 'none'; // as OrbitControls does on the element it listens to
    this.bindInput();
  }

  load(player: AnyReplayPlayer, keepView: boolean): Promise<number> {
    // The same rule as SceneView.load: a kept view keeps a selection that still exists.
    this.selected = keepView && this.selected < player.capacity ? this.selected : -1;
    this.player = player;
    const serial = ++this.loads;
    this.pendingLoad = { player, keepView, serial };
    return new Promise((resolve) => this.drawnWaiters.set(serial, resolve));
  }

  /** Recoloured in the worker, which sees the frame change itself. */
  frameChanged(): void {}

  setCameraMode(mode: CameraMode): void {
    this.post({ type: 'camera', mode });
  }

  render(_dtS: number): boolean {
    const pending = this.pendingLoad;
    if (pending !== null) {
      this.pendingLoad = null;
      const { player } = pending;
      // A copy of exactly the replay's bytes (the view may sit in a larger buffer), moved over.
      const bytes = player.bytes.slice();
      this.sentTime = player.time;
      this.sentSelected = this.selected;
      this.post(
        {
          type: 'load',
          serial: pending.serial,
          bytes,
          keepView: pending.keepView,
          time: player.time,
          selected: this.selected,
        },
        [bytes.buffer],
      );
      return false;
    }
    const player = this.player;
    if (player === null) return false;
    if (player.time !== this.sentTime || this.selected !== this.sentSelected) {
      this.sentTime = player.time;
      this.sentSelected = this.selected;
      this.post({ type: 'view', time: player.time, selected: this.selected });
    }
    return false;
  }

  resize(): void {
    const width = this.canvas.clientWidth;
    const height = this.canvas.clientHeight;
    const pixelRatio = devicePixelRatio(); // another screen, or the page zoomed
    this.readOrigin();
    if (width === this.sentWidth && height === this.sentHeight && pixelRatio === this.sentPixelRatio) return;
    this.sentWidth = width;
    this.sentHeight = height;
    this.sentPixelRatio = pixelRatio;
    this.post({ type: 'resize', width, height, pixelRatio });
  }

  pick(clientX: number, clientY: number): Promise<number> {
    const rect = this.canvas.getBoundingClientRect();
    const id = ++this.requests;
    this.post({ type: 'pick', id, x: clientX - rect.left, y: clientY - rect.top });
    return new Promise((resolve) => this.pickWaiters.set(id, resolve));
  }

  screenPoint(index: number): Promise<{ x: number; y: number } | null> {
    const id = ++this.requests;
    this.post({ type: 'screenPoint', id, index });
    return new Promise((resolve) => this.pointWaiters.set(id, resolve));
  }

  unload(): void {
    this.player = null;
    this.pendingLoad = null;
    this.post({ type: 'unload' });
  }

  dispose(): void {
    if (this.disposed) return;
    this.post({ type: 'dispose' }); // the worker frees the WebGL context and closes itself
    this.disposed = true;
    this.markReady();
    this.settleAll();
  }

  // --- from the worker ---

  private receive(raw: unknown): void {
    let message: FromSceneWorker;
    try {
      message = parseFromSceneWorker(raw);
    } catch (error) {
      console.error(error instanceof Error ? error.message : String(error));
      return;
    }
    switch (message.type) {
      case 'ready':
        this.maxFps = message.maxFps;
        this.markReady();
        break;
      case 'drawn': {
        const drawnAt = message.at - performance.timeOrigin;
        // Earlier loads were replaced before their first frame: they end with this one.
        for (const [serial, resolve] of this.drawnWaiters) {
          if (serial > message.serial) continue;
          this.drawnWaiters.delete(serial);
          resolve(drawnAt);
        }
        break;
      }
      case 'picked':
        this.pickWaiters.get(message.id)?.(message.vehicle);
        this.pickWaiters.delete(message.id);
        break;
      case 'screenPoint': {
        const resolve = this.pointWaiters.get(message.id);
        this.pointWaiters.delete(message.id);
        if (resolve === undefined) break;
        if (message.point === null) {
          resolve(null);
          break;
        }
        const rect = this.canvas.getBoundingClientRect();
        resolve({ x: rect.left + message.point.x, y: rect.top + message.point.y });
        break;
      }
      case 'cursor':
        this.canvas.style.cursor = message.cursor;
        break;
      case 'stats':
        this.onStats?.(message.frames, message.drawMs);
        break;
      case 'error':
        console.error(message.message);
        this.onError?.(`3-D view: ${message.message}`);
        break;
    }
  }

  // --- to the worker ---

  private post(message: ToSceneWorker, transfer: Transferable[] = []): void {
    if (this.disposed) return;
    this.worker.postMessage(message, transfer);
  }

  /** Answers every open request (nothing will come back after dispose). */
  private settleAll(): void {
    for (const resolve of this.pickWaiters.values()) resolve(-1);
    for (const resolve of this.pointWaiters.values()) resolve(null);
    for (const resolve of this.drawnWaiters.values()) resolve(Number.NaN);
    this.pickWaiters.clear();
    this.pointWaiters.clear();
    this.drawnWaiters.clear();
  }

  private readOrigin(): void {
    const rect = this.canvas.getBoundingClientRect();
    this.origin = { left: rect.left, top: rect.top };
  }

  private bindInput(): void {
    const { canvas } = this;
    const forward = (event: PointerEvent | WheelEvent | MouseEvent) => {
      const input = forwardedInput(event, this.origin);
      if (input !== null) this.post({ type: 'input', event: input });
    };
    canvas.addEventListener('pointerdown', (event) => {
      this.readOrigin();
      this.pointersDown.add(event.pointerId);
      canvas.setPointerCapture(event.pointerId);
      forward(event);
    });
    canvas.addEventListener('pointermove', (event) => {
      if (this.pointersDown.size > 0) forward(event);
    });
    const release = (event: PointerEvent) => {
      if (!this.pointersDown.delete(event.pointerId)) return;
      if (canvas.hasPointerCapture(event.pointerId)) canvas.releasePointerCapture(event.pointerId);
      forward(event);
    };
    canvas.addEventListener('pointerup', release);
    canvas.addEventListener('pointercancel', release);
    canvas.addEventListener(
      'wheel',
      (event) => {
        event.preventDefault(); // the page does not scroll under the 3-D view
        this.readOrigin();
        forward(event);
      },
      { passive: false },
    );
    canvas.addEventListener('contextmenu', (event) => {
      event.preventDefault(); // right-drag pans
      forward(event);
    });
  }
}

/** Device pixels per CSS pixel of the window (1 where unknown). */
function devicePixelRatio(): number {
  return globalThis.devicePixelRatio || 1;
}
