/**
 * The replay player window (docs/app.md "The replay player"): it ties the player's pieces
 * together, opens replays, selects vehicles and switches cameras, and is what main.ts and the
 * tests use (`window.steerPlayer`). The pieces, each with one job:
 *
 *   replayLibrary.ts  the toolbar: the replay list (`replays.list`, `replays.open`), the file input
 *   liveFollow.ts     an episode still being simulated (the editor's Run), frames as they arrive
 *   playbackLoop.ts   the animation loop, which is the playback clock; panelPacer.ts says when
 *                     the panels follow the recorded frame (4×/s while playing, else at once)
 *   transport.ts      play/pause, step, scrub, speed, the step counter and clock
 *   playerKeys.ts     the keyboard shortcuts
 *   playerPanels.ts   the side panels and the legend, written from panelText.ts (pure)
 *   statusText.ts     what the list and the status line say (pure)
 *
 * The 3-D view is src/renderer/scene/ (playerScene.ts: in the renderer worker or on this thread);
 * the playback model (time, speed, interpolated poses) is src/renderer/playback/replayPlayer.ts.
 */
import type { SteerApi } from '../../shared/api/contract.js';
import type { FrameProbe } from '../perf/frameProbe.js';
import { type AnyReplayPlayer, openReplayPlayer } from '../playback/openReplayPlayer.js';
import { ReplayPlayer } from '../playback/replayPlayer.js';
import type { CameraMode } from '../scene/cameraModes.js';
import { createPlayerScene } from '../scene/createPlayerScene.js';
import type { PlayerScene, RenderPath } from '../scene/playerScene.js';
import { SceneProxy } from '../scene/sceneProxy.js';
import { byId } from '../ui/dom.js';
import { LiveFollow } from './liveFollow.js';
import { PlaybackLoop } from './playbackLoop.js';
import { bindPlayerKeys } from './playerKeys.js';
import { PlayerPanels } from './playerPanels.js';
import { ReplayLibrary, type ReplaySource } from './replayLibrary.js';
import {
  cannotOpenText,
  hostStatus,
  liveStatus,
  NOT_CONNECTED_STATUS,
  openedStatus,
  openingStatus,
  STARTING_TEXT,
  showsFrameTime,
  simulatingStatus,
} from './statusText.js';
import { Transport } from './transport.js';

/** The player UI bound to the page's elements. */
export class PlayerView {
  private readonly scene: PlayerScene;
  private readonly probe: FrameProbe;
  private readonly library: ReplayLibrary;
  private readonly live = new LiveFollow();
  private readonly transport: Transport;
  private readonly panels: PlayerPanels;
  private readonly loop: PlaybackLoop;
  private player: AnyReplayPlayer | null = null;
  /** Counts selections, so a pick answered after another selection does not undo it. */
  private selection = 0;
  private readonly el: {
    status: HTMLElement;
    canvas: HTMLCanvasElement;
    viewport: HTMLElement;
    message: HTMLElement;
    views: HTMLButtonElement[];
  };
  private readonly resizeObserver: ResizeObserver;

  /** `renderPath`: where the scene should draw (the worker unless the browser cannot). */
  constructor(doc: Document, probe: FrameProbe, renderPath: RenderPath = 'worker') {
    this.probe = probe;
    this.el = {
      status: byId(doc, 'status', HTMLElement),
      canvas: byId(doc, 'scene', HTMLCanvasElement),
      viewport: byId(doc, 'viewport', HTMLElement),
      message: byId(doc, 'message', HTMLElement),
      views: Array.from(doc.querySelectorAll<HTMLButtonElement>('button[data-view]')),
    };
    this.library = new ReplayLibrary(doc, {
      openPath: (path, pickedAt) => void this.openPath(path, pickedAt),
      openBytes: (bytes, source, pickedAt) => this.openBytes(bytes, source, pickedAt),
      status: (text) => this.setStatus(text),
    });
    this.transport = new Transport(doc, {
      togglePlay: () => this.togglePlay(),
      step: (delta) => this.step(delta),
      seek: (frame) => {
        this.player?.seek(frame);
        this.loop.wake();
      },
      setSpeed: (speed) => {
        if (this.player !== null) this.player.speed = speed;
      },
    });
    this.panels = new PlayerPanels(doc, (i) => this.select(this.scene.selected === i ? -1 : i));
    const frameTime = byId(doc, 'frame-ms', HTMLElement);
    frameTime.hidden = !showsFrameTime(doc.defaultView?.location.search ?? ''); // a developer's readout
    this.scene = this.createScene(renderPath);
    this.loop = new PlaybackLoop(this.scene, probe, frameTime, {
      player: () => this.player,
      showFrame: (player, index) => {
        this.transport.showFrame(index, player.lastFrame, player.stepSeconds);
        this.updatePanels();
      },
      showStopped: () => this.transport.showStopped(),
    });
    this.resizeObserver = new ResizeObserver(() => {
      this.scene.resize();
      this.loop.wake();
    });
    this.resizeObserver.observe(this.el.viewport);
    this.scene.resize();
    this.bindView();
    bindPlayerKeys(doc, this.el.viewport, {
      player: () => this.player,
      togglePlay: () => this.togglePlay(),
      step: (delta) => this.step(delta),
      setCameraMode: (mode) => this.setCameraMode(mode),
      showSpeed: (speed) => this.transport.showSpeed(speed),
      wake: () => this.loop.wake(),
    });
    this.loop.start();
  }

  /** Uses `api` for the replay list and opening; lists the replays. */
  async connect(api: SteerApi): Promise<void> {
    const info = await this.library.connect(api);
    this.setStatus(hostStatus(info));
    await this.refreshList();
  }

  /** Shows a problem that stops the API (refused token, host gone); local files still open. */
  showFatal(message: string): void {
    this.library.showDisconnected();
    this.showMessage(message, true);
    this.setStatus(NOT_CONNECTED_STATUS, true);
  }

  /** Re-reads the replay list from the host. */
  refreshList(): Promise<void> {
    return this.library.refresh();
  }

  /** Opens a replay from the host's list (the path of a `replays.list` entry). */
  async openPath(path: string, pickedAt = performance.now()): Promise<void> {
    if (!this.library.connected) throw new Error('openPath: not connected to a host');
    const pick = this.library.pick();
    this.live.stop(); // a live run stops showing here
    this.setStatus(openingStatus(path));
    try {
      const file = await this.library.open(path);
      if (!this.library.isLatest(pick)) return; // a later pick won
      this.openBytes(file.bytes, { label: file.path, fileBytes: file.fileBytes }, pickedAt);
    } catch (error) {
      if (this.library.isLatest(pick)) this.showError(path, error);
    }
  }

  /** Opens replay bytes (from the host or a local file) and draws their first frame at once. */
  openBytes(bytes: Uint8Array, source: ReplaySource, pickedAt: number): void {
    const decodeStart = performance.now();
    const player = this.decode(bytes, source);
    if (player === null) return;
    this.live.stop();
    const drawn = this.install(player, false);
    const renderStart = performance.now();
    // The first frame now, not at the next animation frame (in the worker: its next frame); the
    // open time ends when it is drawn.
    this.loop.renderNow(0);
    this.library.showSource(source);
    void drawn.then((end) => {
      if (Number.isNaN(end)) return; // disposed first
      const ms = end - pickedAt;
      this.probe.opens.push({
        path: source.label,
        ms,
        fetchMs: decodeStart - pickedAt,
        decodeMs: renderStart - decodeStart,
        renderMs: end - renderStart,
      });
      if (this.player === player) this.setStatus(openedStatus(source.label, source.fileBytes, ms));
    });
    this.warm(player);
  }

  /**
   * Starts showing an episode that is still being simulated (the editor's Run): says so at once;
   * its frames come through `showLive` with the returned token. Opening any other replay ends it.
   */
  beginLive(label: string): symbol {
    const run = this.live.begin(label);
    this.library.supersede(); // a list pick still loading loses
    this.setStatus(simulatingStatus(label));
    // Until its first frames (install hides the message): say it is starting, not an empty road.
    this.showMessage(STARTING_TEXT, false);
    this.transport.showStarting();
    return run;
  }

  /**
   * Shows live run `run`'s frames so far (`bytes`: a complete replay of them, LiveReplay.snapshot)
   * or, when `final`, its finished file, which then plays like any other. Each call replaces the
   * previous replay of the run and keeps camera, selection and, unless the view was at the newest
   * frame (where a run starts), the time; at the newest frame it follows the newest. Returns false
   * (and shows nothing) when another replay was opened since `beginLive`.
   */
  showLive(run: symbol, bytes: Uint8Array, source: ReplaySource, final: boolean): boolean {
    if (!this.live.isShown(run)) return false;
    // The run's previous replay: the frames it decoded are kept when these bytes continue it.
    const player = this.decode(bytes, source, this.player);
    if (player === null) return true;
    if (!(player instanceof ReplayPlayer)) {
      this.showError(source.label, new Error('a live run shows HORM episodes only'));
      return true;
    }
    const shown = this.player instanceof ReplayPlayer ? this.player : null;
    const handover = this.live.takeOver(shown, player, final);
    void this.install(player, handover.keepView);
    player.seek(handover.seekTo);
    if (handover.play) player.play();
    this.transport.showPlaying(player.playing);
    this.loop.renderNow(0);
    this.select(this.scene.selected);
    this.setStatus(liveStatus(source.label, source.fileBytes, player.lastFrame, final));
    this.library.showSource(source);
    if (final) this.warm(player);
    return true;
  }

  /** Selects vehicle `index` (−1: none). */
  select(index: number): void {
    this.selection++;
    this.scene.selected = index;
    this.panels.markSelected(index);
    this.updatePanels();
    this.loop.wake();
  }

  /** Switches the camera view. */
  setCameraMode(mode: CameraMode): void {
    this.scene.setCameraMode(mode);
    for (const button of this.el.views)
      button.setAttribute('aria-pressed', String(button.dataset.view === mode));
    this.loop.wake();
  }

  /**
   * Where vehicle `index` is drawn (client coordinates), or null: for tests that click it. A
   * promise, since the renderer worker answers it.
   */
  vehicleScreenPoint(index: number): Promise<{ x: number; y: number } | null> {
    return this.scene.screenPoint(index);
  }

  /** Where the scene draws ('worker' or 'main-thread'). */
  get renderPath(): RenderPath {
    return this.scene.path;
  }

  /** Resolves once the scene is built (in the worker: its WebGL context and shaders). */
  get sceneReady(): Promise<void> {
    return this.scene.ready;
  }

  /** Stops the loop and frees the scene. */
  dispose(): void {
    this.loop.stop();
    this.resizeObserver.disconnect();
    this.scene.dispose();
  }

  // --- opening ---

  /** The scene on the canvas, in the renderer worker unless the browser cannot (or `renderPath` says no). */
  private createScene(renderPath: RenderPath): PlayerScene {
    const { scene, mainThreadReason } = createPlayerScene(this.el.canvas, renderPath);
    this.probe.renderPath = scene.path;
    this.el.viewport.dataset.render = scene.path;
    if (scene instanceof SceneProxy) {
      scene.onStats = (frames, drawMs) => this.probe.recordWorkerFrames(frames, drawMs);
      scene.onError = (message) => this.showMessage(`${message} (reload the page to try again)`, true);
      console.info('player: the 3-D view draws in a worker (OffscreenCanvas)');
    } else {
      console.info(`player: the 3-D view draws on the main thread (${mainThreadReason})`);
    }
    return scene;
  }

  /**
   * A player on `bytes` (reusing `previous`'s frames when the bytes continue its replay), or null
   * after saying why they do not open.
   */
  private decode(
    bytes: Uint8Array,
    source: ReplaySource,
    previous: AnyReplayPlayer | null = null,
  ): AnyReplayPlayer | null {
    try {
      return openReplayPlayer(bytes, previous);
    } catch (error) {
      this.showError(source.label, error);
      return null;
    }
  }

  /**
   * Makes `player` the one shown; `keepView`: camera and selection stay. Resolves when the scene
   * has drawn its first frame (performance.now() ms). The caller then shows its source in the list.
   */
  private install(player: AnyReplayPlayer, keepView: boolean): Promise<number> {
    this.player = player;
    player.speed = this.transport.speed;
    const drawn = this.scene.load(player, keepView);
    this.hideMessage();
    this.panels.open(player);
    this.transport.enable(player.lastFrame);
    this.loop.replayChanged();
    return drawn;
  }

  /** Decodes the remaining chunks in idle time so playback never decodes on the hot path. */
  private warm(player: AnyReplayPlayer): void {
    void player
      .warm(() => new Promise((resolve) => setTimeout(resolve, 0)))
      .then(() => {
        if (this.player === player) this.updatePanels();
      });
  }

  // --- playback and selection ---

  private togglePlay(): void {
    const player = this.player;
    if (player === null) return;
    if (player.playing) player.pause();
    else player.play();
    // paused: the step shown is the step the view stopped at, from the click on
    if (!player.playing) this.loop.catchUp(player);
    this.transport.showPlaying(player.playing);
    this.loop.wake();
  }

  private step(delta: number): void {
    const player = this.player;
    if (player === null) return;
    player.step(delta);
    this.transport.showPlaying(false);
    this.loop.wake();
  }

  /** Rewrites the panels for the current recorded frame and selection. */
  private updatePanels(): void {
    if (this.player !== null) this.panels.show(this.player, this.scene.selected);
  }

  /** Camera buttons, and a click on the canvas (not a drag of the orbit camera) selects. */
  private bindView(): void {
    const { canvas } = this.el;
    for (const button of this.el.views) {
      button.addEventListener('click', () => this.setCameraMode(button.dataset.view as CameraMode));
    }
    // A click (not a drag of the orbit camera) selects the vehicle under the pointer.
    let downX = 0;
    let downY = 0;
    canvas.addEventListener('pointerdown', (event) => {
      downX = event.clientX;
      downY = event.clientY;
      this.loop.wake();
    });
    canvas.addEventListener('pointerup', (event) => {
      if (Math.hypot(event.clientX - downX, event.clientY - downY) > 5) return;
      const selection = this.selection;
      void this.scene.pick(event.clientX, event.clientY).then((vehicle) => {
        if (this.selection === selection) this.select(vehicle); // unless selected otherwise meanwhile
      });
    });
    canvas.addEventListener('wheel', () => this.loop.wake(), { passive: true });
  }

  // --- messages ---

  private setStatus(text: string, error = false): void {
    this.el.status.textContent = text;
    this.el.status.classList.toggle('error', error);
  }

  private showMessage(text: string, error: boolean): void {
    const { message } = this.el;
    message.textContent = text;
    message.classList.toggle('error', error);
    message.hidden = false;
  }

  private hideMessage(): void {
    this.el.message.hidden = true;
  }

  private showError(what: string, error: unknown): void {
    const text = cannotOpenText(what, error);
    this.showMessage(text.message, true);
    this.setStatus(text.status, true);
  }
}
