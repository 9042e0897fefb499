/**
 * The renderer worker: the player's 3-D view drawn in an OffscreenCanvas off the page's main
 * thread (a module worker started by sceneProxy.ts; messages in sceneMessages.ts). It runs the
 * same SceneView as the in-thread path, on its own copy of the replay:
 *
 *   init   → SceneView on the transferred canvas, camera controls on an InputSurface
 *   load   → its own player on the replay's bytes (HORM or MuJoCo: openReplayPlayer), its first
 *            frame drawn at once (`drawn`)
 *   view   → seek to the window's playback time, select; recolour when the recorded frame changed
 *   input  → replayed to the camera controls; camera, resize likewise
 *   pick, screenPoint → answered from the scene as last drawn
 *
 * and draws on the worker's own requestAnimationFrame, only while something changes (a message
 * arrived in the last SETTLE_FRAMES frames, or the camera still glides), and on software WebGL at
 * most SOFTWARE_WEBGL_MAX_FPS frames a second (drawPacing.ts). Every message is parsed
 * with the schemas first; a refused one is reported (`error`) and changes nothing.
 */
import { type AnyReplayPlayer, openReplayPlayer } from '../playback/openReplayPlayer.js';
import { DrawPacer, maxDrawFps } from './drawPacing.js';
import { InputSurface } from './inputSurface.js';
import {
  type FromSceneWorker,
  MAX_STATS_SAMPLES,
  parseToSceneWorker,
  type ToSceneWorker,
} from './sceneMessages.js';
import { SceneView } from './sceneView.js';

/** The members of DedicatedWorkerGlobalScope used here (the renderer compiles with DOM types). */
interface WorkerScope {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: FromSceneWorker): void;
  requestAnimationFrame?: (callback: (now: number) => void) => number;
  close(): void;
}

/**
 * Frames drawn after the last change, past what the camera reports as moving. Fewer than the
 * window's loop keeps (player/playbackLoop.ts): here each frame also pays the compositor's
 * read-back of the drawing buffer, and a message arriving meanwhile (a new replay) waits for it.
 */
const SETTLE_FRAMES = 3;
/** How often draw statistics go to the window [ms]. */
const STATS_EVERY_MS = 500;

const scope = self as unknown as WorkerScope;
const post = (message: FromSceneWorker) => scope.postMessage(message);
// Chromium and Firefox give dedicated workers requestAnimationFrame; a timer stands in elsewhere.
const nextFrame =
  scope.requestAnimationFrame?.bind(scope) ??
  ((callback: (now: number) => void) =>
    setTimeout(() => callback(performance.now()), 16) as unknown as number);

let scene: SceneView | null = null;
let surface: InputSurface | null = null;
let player: AnyReplayPlayer | null = null;
/** Recorded frame the colours show. */
let shownFrame = -1;
/** `load` serial whose first frame is not drawn yet (−1: none). */
let pendingDrawn = -1;
let settle = 0;
/** Draws at most its cap a second (set at init from the WebGL renderer). */
let pacer = new DrawPacer(null);
/** Wall time of the frames skipped since the last draw [s] (the camera glides over it at the next). */
let skippedS = 0;
let lastTime = 0;
let disposed = false;
/** `ready` is due at the next animation frame. */
let announceReady = false;
// Draw statistics since the last `stats` message.
let framesSinceStats = 0;
const drawMs: number[] = [];
let lastStats = 0;

function wake(): void {
  settle = SETTLE_FRAMES;
}

/**
 * Draws one frame (`dtS`: wall time since the last [s]; `at`: this frame's time for the pacer [ms])
 * and answers a waiting `load`.
 */
function draw(dtS: number, at: number): void {
  if (scene === null) return;
  const start = performance.now();
  pacer.drew(at);
  if (scene.render(dtS)) settle = Math.max(settle, 2);
  const end = performance.now();
  framesSinceStats++;
  if (drawMs.length < MAX_STATS_SAMPLES) drawMs.push(end - start);
  if (pendingDrawn >= 0) {
    post({ type: 'drawn', serial: pendingDrawn, at: performance.timeOrigin + end });
    pendingDrawn = -1;
  }
}

function frame(now: number): void {
  if (disposed) return;
  nextFrame(frame);
  const dtS = lastTime === 0 ? 0 : Math.min((now - lastTime) / 1000, 0.25);
  lastTime = now;
  if (announceReady) {
    announceReady = false;
    post({ type: 'ready', maxFps: pacer.maxFps });
  }
  if (settle > 0 && pacer.due(now)) {
    settle--;
    draw(Math.min(skippedS + dtS, 0.25), now);
    skippedS = 0;
  } else {
    skippedS = settle > 0 ? skippedS + dtS : 0;
  }
  if (now - lastStats >= STATS_EVERY_MS) {
    lastStats = now;
    if (framesSinceStats > 0) {
      post({ type: 'stats', frames: framesSinceStats, drawMs: drawMs.splice(0) });
      framesSinceStats = 0;
    }
  }
}

/** Seeks the worker's player to the window's time and recolours when the recorded frame changed. */
function showTime(time: number): void {
  if (player === null || scene === null) return;
  if (time !== player.time) player.seek(time);
  if (player.frameIndex !== shownFrame) {
    shownFrame = player.frameIndex;
    scene.frameChanged();
  }
}

function handle(message: ToSceneWorker): void {
  if (message.type === 'init') {
    surface = new InputSurface((cursor) => post({ type: 'cursor', cursor }));
    scene = new SceneView({
      canvas: message.canvas,
      // The controls need only what InputSurface has (its header lists it).
      input: surface as unknown as HTMLElement,
      pixelRatio: message.pixelRatio,
    });
    surface.resize(message.width, message.height);
    scene.resize(message.width, message.height);
    // The empty road once, its camera placed, and no settle frames; `ready` goes at the next
    // animation frame, once this one is committed (the first commit sets up the compositor's
    // side): the page says it is ready when the worker is idle, so the first replay picked does
    // not wait behind that work.
    pacer = new DrawPacer(maxDrawFps(scene.rendererName()));
    draw(0, performance.now());
    settle = 0;
    announceReady = true;
    nextFrame(frame);
    return;
  }
  if (scene === null || surface === null) throw new Error(`expected init before ${message.type}`);
  switch (message.type) {
    case 'load': {
      // A live run's next snapshot continues the replay shown: its frames decoded so far are kept.
      const opened = openReplayPlayer(message.bytes, player);
      opened.seek(message.time);
      player = opened;
      scene.load(opened, message.keepView);
      scene.selected = message.selected;
      shownFrame = opened.frameIndex;
      pendingDrawn = message.serial;
      // The first frame now, not at the next animation frame: the open time ends when it is drawn
      // (the load carries the window's time and selection of the frame it was sent in).
      draw(0, performance.now());
      // Decode the remaining chunks between frames, so seeking never decodes on the hot path.
      void opened.warm(() => new Promise((resolve) => setTimeout(resolve, 0)));
      break;
    }
    case 'unload':
      player = null;
      shownFrame = -1;
      scene.unload();
      break;
    case 'view':
      scene.selected = message.selected;
      showTime(message.time);
      break;
    case 'camera':
      scene.setCameraMode(message.mode);
      break;
    case 'resize':
      surface.resize(message.width, message.height);
      scene.resize(message.width, message.height, message.pixelRatio);
      break;
    case 'input':
      surface.dispatch(message.event);
      break;
    case 'pick':
      post({ type: 'picked', id: message.id, vehicle: scene.pick(message.x, message.y) });
      return;
    case 'screenPoint':
      post({ type: 'screenPoint', id: message.id, point: scene.screenPoint(message.index) });
      return;
    case 'dispose':
      disposed = true;
      scene.dispose();
      scene = null;
      scope.close();
      return;
  }
  wake();
}

scope.onmessage = (event: MessageEvent) => {
  try {
    handle(parseToSceneWorker(event.data));
  } catch (error) {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
