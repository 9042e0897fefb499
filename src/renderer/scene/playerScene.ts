/**
 * The player's 3-D view as the player window uses it (src/renderer/player/), wherever it draws:
 *
 * - worker (the default): the canvas is handed to a module worker as an OffscreenCanvas and
 *   SceneView draws there (sceneWorker.ts), so WebGL, and the compositor's wait for the drawn
 *   frame, stay off the page's main thread; SceneProxy (sceneProxy.ts) is the window's half;
 * - main thread: the same SceneView on the canvas element (LocalScene below), where
 *   OffscreenCanvas or `transferControlToOffscreen` is missing, or when asked for
 *   (`?render=main-thread`, to compare).
 *
 * createPlayerScene.ts picks one. Coordinates are client coordinates here (the window's), viewport
 * coordinates inside SceneView. Picking and screen points are promises, since the worker answers
 * them.
 */
import type { AnyReplayPlayer } from '../playback/openReplayPlayer.js';
import type { CameraMode } from './cameraModes.js';
import { SceneView } from './sceneView.js';

/** Where the scene draws. */
export type RenderPath = 'worker' | 'main-thread';

/** The 3-D view of the player. */
export interface PlayerScene {
  /** Where it draws. */
  readonly path: RenderPath;
  /** Most frames a second it draws (software WebGL in the worker), or null: every animation frame. */
  readonly maxFps: number | null;
  /** Resolves once the scene is built (WebGL context, shaders), or could not be. */
  readonly ready: Promise<void>;
  /** Vehicle the views centre on and the panel describes (−1: none). */
  selected: number;
  /**
   * Shows `player`'s replay (replacing the previous one); `keepView` keeps camera and selection.
   * Resolves with the time [performance.now() ms] its first frame was drawn.
   */
  load(player: AnyReplayPlayer, keepView: boolean): Promise<number>;
  /** The player's recorded frame changed (recolour by rank and crash). */
  frameChanged(): void;
  setCameraMode(mode: CameraMode): void;
  /**
   * The player's time or the selection may have changed (`dtS`: wall time since the last call
   * [s]). Returns true when the caller should call again next frame (the in-thread camera still
   * moves; the worker settles its camera itself).
   */
  render(dtS: number): boolean;
  /** The canvas's CSS size changed. */
  resize(): void;
  /** The vehicle drawn under client point (x, y), or −1. */
  pick(clientX: number, clientY: number): Promise<number>;
  /** Where vehicle `index` is drawn (client coordinates), or null when it is not in view. */
  screenPoint(index: number): Promise<{ x: number; y: number } | null>;
  /** Forgets the replay. */
  unload(): void;
  /** Frees everything, the WebGL context included. */
  dispose(): void;
}

/** The scene on the page's main thread: SceneView on the canvas element. */
export class LocalScene implements PlayerScene {
  readonly path = 'main-thread';
  readonly maxFps = null; // the page's own loop draws
  readonly ready = Promise.resolve(); // built in the constructor
  private readonly view: SceneView;
  private readonly canvas: HTMLCanvasElement;
  /** Resolvers of `load`s whose first frame is not drawn yet. */
  private waiting: ((drawnAt: number) => void)[] = [];

  constructor(canvas: HTMLCanvasElement) {
    this.canvas = canvas;
    this.view = new SceneView({ canvas, input: canvas, pixelRatio: globalThis.devicePixelRatio || 1 });
  }

  get selected(): number {
    return this.view.selected;
  }

  set selected(index: number) {
    this.view.selected = index;
  }

  load(player: AnyReplayPlayer, keepView: boolean): Promise<number> {
    this.view.load(player, keepView);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  frameChanged(): void {
    this.view.frameChanged();
  }

  setCameraMode(mode: CameraMode): void {
    this.view.setCameraMode(mode);
  }

  render(dtS: number): boolean {
    const moving = this.view.render(dtS);
    if (this.waiting.length > 0) {
      const drawnAt = performance.now();
      for (const resolve of this.waiting.splice(0)) resolve(drawnAt);
    }
    return moving;
  }

  resize(): void {
    this.view.resize(this.canvas.clientWidth, this.canvas.clientHeight, globalThis.devicePixelRatio || 1);
  }

  pick(clientX: number, clientY: number): Promise<number> {
    const rect = this.canvas.getBoundingClientRect();
    return Promise.resolve(this.view.pick(clientX - rect.left, clientY - rect.top));
  }

  screenPoint(index: number): Promise<{ x: number; y: number } | null> {
    const point = this.view.screenPoint(index);
    if (point === null) return Promise.resolve(null);
    const rect = this.canvas.getBoundingClientRect();
    return Promise.resolve({ x: rect.left + point.x, y: rect.top + point.y });
  }

  unload(): void {
    this.view.unload();
  }

  dispose(): void {
    this.view.dispose();
  }
}
