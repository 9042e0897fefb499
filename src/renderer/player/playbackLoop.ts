/**
 * The player's animation loop, which is also its playback clock:
 *
 *   requestAnimationFrame → player.advance(dt) → [recorded frame changed: recolour, panels]
 *                         → scene.render → probe.recordFrame(main-thread ms)
 *
 * The loop runs only while something moves (playing, camera gliding, a change). DOM text is
 * rewritten when the recorded frame or the selection changes, not on every animation frame, and
 * while playing at most 4 times a second (PanelPacer, PANEL_SYNC_WHILE_PLAYING_MS).
 *
 * The scene (playerScene.ts) draws in the renderer worker where the browser has OffscreenCanvas:
 * there `scene.render` only tells the worker the playback time and selection, and the worker
 * draws on its own animation frames. Otherwise it draws here, in `scene.render`. The frame-time
 * readout says which.
 */
import { type FrameProbe, median } from '../perf/frameProbe.js';
import type { AnyReplayPlayer } from '../playback/openReplayPlayer.js';
import type { PlayerScene } from '../scene/playerScene.js';
import { PanelPacer } from './panelPacer.js';
import { frameTimeText } from './statusText.js';

/** Frames the loop keeps drawing after a change, past what the camera reports as moving. */
const SETTLE_FRAMES = 12;
/** How often the frame-time readout refreshes [ms]. */
const READOUT_EVERY_MS = 500;
/**
 * Most wall-clock time one animation frame advances playback by [s], so a long gap between frames
 * (a hidden tab, a stall) does not jump ahead.
 */
const MAX_FRAME_DT_S = 0.25;

/** What the loop asks of the player window. */
export interface PlaybackLoopHooks {
  /** The replay being played, or null. */
  player(): AnyReplayPlayer | null;
  /** The transport and the side panels show recorded frame `index` of `player`. */
  showFrame(player: AnyReplayPlayer, index: number): void;
  /** Playback is not running (paused, or stopped at the end): the play button says so. */
  showStopped(): void;
}

/** The animation loop of the player window. */
export class PlaybackLoop {
  private readonly pacer = new PanelPacer();
  /** The recorded frame the scene was last told about (−1: none yet). */
  private shownFrame = -1;
  private settle = SETTLE_FRAMES;
  private lastTime = 0;
  private lastReadout = 0;
  private rafId = 0;
  private readonly loop = (now: number) => this.frame(now);

  /** `frameTime`: the frame-time readout (bottom right of the view). */
  constructor(
    private readonly scene: PlayerScene,
    private readonly probe: FrameProbe,
    private readonly frameTime: HTMLElement,
    private readonly hooks: PlaybackLoopHooks,
  ) {}

  /** Starts the loop (it idles while nothing moves). */
  start(): void {
    this.rafId = requestAnimationFrame(this.loop);
  }

  /** Stops the loop for good. */
  stop(): void {
    cancelAnimationFrame(this.rafId);
  }

  /** Something changed: keep drawing for a few frames. */
  wake(): void {
    this.settle = SETTLE_FRAMES;
  }

  /** A new replay is shown: its first frame counts as a change of frame. */
  replayChanged(): void {
    this.shownFrame = -1;
  }

  /** Playback stopped: stale panels (throttled while playing) show the frame it stopped at now. */
  catchUp(player: AnyReplayPlayer): void {
    if (this.pacer.catchUp(player.playing)) this.sync(player, performance.now());
  }

  /** One frame of work, timed: advance, sync panels if the recorded frame changed, draw. */
  renderNow(dtS: number): void {
    const start = performance.now();
    const player = this.hooks.player();
    if (player !== null) {
      player.advance(dtS);
      if (player.frameIndex !== this.shownFrame) this.onFrameChanged(player, start);
      else if (this.pacer.catchUp(player.playing)) this.sync(player, start);
      if (!player.playing) this.hooks.showStopped();
    }
    if (this.scene.render(dtS)) this.settle = Math.max(this.settle, 2);
    this.probe.recordFrame(performance.now() - start);
  }

  private frame(now: number): void {
    this.rafId = requestAnimationFrame(this.loop);
    const dtS = this.lastTime === 0 ? 0 : Math.min((now - this.lastTime) / 1000, MAX_FRAME_DT_S);
    this.lastTime = now;
    const playing = this.hooks.player()?.playing === true;
    if (!playing && this.settle <= 0) return;
    this.settle = playing ? SETTLE_FRAMES : this.settle - 1;
    this.renderNow(dtS);
    if (now - this.lastReadout > READOUT_EVERY_MS) {
      this.lastReadout = now;
      const recent = this.probe.lastFrames(120);
      if (recent.length > 0) {
        this.frameTime.textContent = frameTimeText(median(recent), this.scene.path, this.scene.maxFps);
      }
    }
  }

  private onFrameChanged(player: AnyReplayPlayer, now: number): void {
    this.shownFrame = player.frameIndex;
    this.scene.frameChanged();
    if (this.pacer.frameChanged(now, player.playing)) this.sync(player, now);
  }

  /** The transport and panels show the current recorded frame. */
  private sync(player: AnyReplayPlayer, now: number): void {
    this.pacer.synced(now);
    this.hooks.showFrame(player, this.shownFrame);
  }
}
