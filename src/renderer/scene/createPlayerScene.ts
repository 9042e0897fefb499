/**
 * Builds the player's 3-D view (PlayerScene, playerScene.ts) where it can draw: in the renderer
 * worker (SceneProxy) when the browser can hand the canvas over, else on the main thread
 * (LocalScene). A file of its own, so that SceneProxy and the PlayerScene interface it implements
 * do not import each other.
 */
import { LocalScene, type PlayerScene, type RenderPath } from './playerScene.js';
import { SceneProxy } from './sceneProxy.js';

/** A scene and, when it draws on the main thread, why. */
export interface CreatedScene {
  readonly scene: PlayerScene;
  /** Why not in a worker (null when in a worker). */
  readonly mainThreadReason: string | null;
}

/**
 * The player's scene on `canvas`: in a worker when the browser can hand the canvas over and
 * `prefer` allows it, else on the main thread.
 */
export function createPlayerScene(canvas: HTMLCanvasElement, prefer: RenderPath = 'worker'): CreatedScene {
  if (prefer === 'main-thread') return { scene: new LocalScene(canvas), mainThreadReason: 'asked for' };
  if (typeof canvas.transferControlToOffscreen !== 'function' || typeof Worker === 'undefined') {
    return { scene: new LocalScene(canvas), mainThreadReason: 'this browser has no OffscreenCanvas' };
  }
  const offscreen = canvas.transferControlToOffscreen();
  // A literal `new URL(…, import.meta.url)` inside `new Worker(…)`: Vite bundles the worker from it.
  const worker = new Worker(new URL('./sceneWorker.ts', import.meta.url), {
    type: 'module',
    name: 'steer-scene',
  });
  return { scene: new SceneProxy(canvas, offscreen, worker), mainThreadReason: null };
}
