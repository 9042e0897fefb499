/**
 * When the transport's step and clock and the side panels follow the recorded frame: at once when
 * paused, stepped or scrubbed, and while playing at most every PANEL_SYNC_WHILE_PLAYING_MS. Pure
 * bookkeeping (times in, decisions out); playbackLoop.ts asks it on every change of frame.
 */

/**
 * While playing, the transport's step and clock and the side panels follow the recorded frame at
 * most this often [ms] (4 Hz, the pace of a media element's `timeupdate`): at 8× the recorded frame
 * changes on nearly every animation frame, faster than anyone reads numbers. Each rewrite costs
 * style, layout and paint, and with software WebGL the raster and compositing of the changed text
 * compete with the 3-D view for the cores: at 10 Hz the whole frame's p95 at 8× was 2.6–4.0 ms over
 * three `npm run bench:app` runs, at 4 Hz 2.0–2.1 ms in three (docs/app.md). Paused, stepped or
 * scrubbed, they follow at once.
 */
export const PANEL_SYNC_WHILE_PLAYING_MS = 250;

/** Decides, per change of recorded frame, whether the panels follow now or later. */
export class PanelPacer {
  /** The transport and panels show an older recorded frame than the scene (throttled while playing). */
  private behind = false;
  /** When the transport and panels were last synced [performance.now() ms]. */
  private lastSync = Number.NEGATIVE_INFINITY;

  /** Whether the panels show an older recorded frame than the scene. */
  get stale(): boolean {
    return this.behind;
  }

  /**
   * The recorded frame changed at `now` [ms]: whether the panels should follow now. When not
   * (playing, synced less than PANEL_SYNC_WHILE_PLAYING_MS ago) they are stale until synced.
   */
  frameChanged(now: number, playing: boolean): boolean {
    if (playing && now - this.lastSync < PANEL_SYNC_WHILE_PLAYING_MS) {
      this.behind = true;
      return false;
    }
    return true;
  }

  /** Whether stale panels should catch up now: they do as soon as playback stops. */
  catchUp(playing: boolean): boolean {
    return this.behind && !playing;
  }

  /** The panels were synced at `now` [ms]. */
  synced(now: number): void {
    this.behind = false;
    this.lastSync = now;
  }
}
