/**
 * Following an episode that is still being simulated (the editor's Run, docs/app.md): the player
 * shows a new replay of the frames so far each time some arrive, then the finished file. This file
 * keeps which run is shown and decides how each new replay takes over from the one before: camera
 * and selection stay; a view at the newest frame (where a run starts) follows the newest, any other
 * keeps its time and, if it was playing, plays on.
 */
import type { ReplayPlayer } from '../playback/replayPlayer.js';

/** What a replay's handover needs of the one shown before it. */
export interface PlaybackPosition {
  /** Time position [frames]. */
  readonly time: number;
  readonly frameIndex: number;
  readonly lastFrame: number;
  readonly playing: boolean;
}

/** How a live run's new replay takes over. */
export interface LiveHandover {
  /** Camera and selection stay as they are. */
  readonly keepView: boolean;
  /** Where the new replay's time starts [frames]. */
  readonly seekTo: number;
  /** Whether it plays on. */
  readonly play: boolean;
}

/**
 * How a new replay of `lastFrame` + 1 frames takes over from the run's `previous` one (null: the
 * run's first replay, or the one shown is not the run's).
 */
export function liveHandover(previous: PlaybackPosition | null, lastFrame: number): LiveHandover {
  if (previous === null) return { keepView: false, seekTo: lastFrame, play: false };
  const following = previous.frameIndex >= previous.lastFrame;
  return {
    keepView: true,
    seekTo: following ? lastFrame : previous.time,
    play: previous.playing && !following,
  };
}

/** The live run shown, if any. */
export class LiveFollow {
  /** The live run being shown (begin), or null. */
  private run: symbol | null = null;
  /** The replay installed last for that run (null before its first frames). */
  private runPlayer: ReplayPlayer | null = null;

  /** Starts following a new run labelled `label`; returns its token. */
  begin(label: string): symbol {
    const run = Symbol(label);
    this.run = run;
    this.runPlayer = null;
    return run;
  }

  /** Another replay was opened: no run is shown any more. */
  stop(): void {
    this.run = null;
  }

  /** Whether run `run` is the one shown. */
  isShown(run: symbol): boolean {
    return this.run === run;
  }

  /**
   * `next` replaces `shown` as the run's newest replay (`final`: its finished file, after which
   * the run has ended and the file plays like any other). Says how it takes over.
   */
  takeOver(shown: ReplayPlayer | null, next: ReplayPlayer, final: boolean): LiveHandover {
    const previous = shown !== null && shown === this.runPlayer ? shown : null;
    if (final) this.run = null;
    this.runPlayer = final ? null : next;
    return liveHandover(previous, next.lastFrame);
  }
}
