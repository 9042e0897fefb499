/**
 * The playback clock every replay player shares (ReplayPlayer for HORM, MujocoReplayPlayer): a time
 * position in frames, play/pause, speed and scrubbing, whatever the frames hold. A subclass fills
 * its poses for the current time in `interpolate`, which the clock calls whenever the time moves.
 * No DOM and no three.js; nothing allocated per `advance`.
 */

/** Playback speeds the player offers (× real time). */
export const PLAYBACK_SPEEDS = Object.freeze([0.25, 0.5, 1, 2, 4, 8] as const);
/** Slowest and fastest playback (× real time). */
export const MIN_SPEED = PLAYBACK_SPEEDS[0];
export const MAX_SPEED = PLAYBACK_SPEEDS[PLAYBACK_SPEEDS.length - 1]!;

/** Time, speed and transport of one replay being played. */
export abstract class PlaybackClock {
  /** Frames in the replay (decisions + 1). */
  readonly frameCount: number;
  /** Index of the last frame. */
  readonly lastFrame: number;
  /** Duration of one recorded step [s]. */
  readonly stepSeconds: number;
  private position = 0;
  private rate = 1;
  private running = false;

  protected constructor(frameCount: number, stepSeconds: number) {
    if (frameCount === 0) throw new RangeError('ReplayPlayer: the replay holds no frame');
    this.frameCount = frameCount;
    this.lastFrame = frameCount - 1;
    this.stepSeconds = stepSeconds;
  }

  /** Time position [frames], fractional while playing. */
  get time(): number {
    return this.position;
  }

  /** The recorded frame shown in counters and panels: the one at or before `time`. */
  get frameIndex(): number {
    return Math.floor(this.position);
  }

  /** Time since reset [s]. */
  get seconds(): number {
    return this.position * this.stepSeconds;
  }

  get playing(): boolean {
    return this.running;
  }

  /** Playback speed (× real time). */
  get speed(): number {
    return this.rate;
  }

  set speed(value: number) {
    if (!(value >= MIN_SPEED && value <= MAX_SPEED)) {
      throw new RangeError(`ReplayPlayer.speed: expected ${MIN_SPEED}–${MAX_SPEED}×, received ${value}`);
    }
    this.rate = value;
  }

  /** Starts playing; from the start again when at the end. */
  play(): void {
    if (this.position >= this.lastFrame) this.seek(0);
    this.running = this.lastFrame > 0;
  }

  pause(): void {
    this.running = false;
  }

  /** Jumps to a time [frames], clamped to the replay; keeps playing if it was. */
  seek(time: number): void {
    this.position = Math.min(Math.max(Number.isFinite(time) ? time : 0, 0), this.lastFrame);
    this.interpolate();
  }

  /** Pauses and moves `delta` whole frames from the current frame (−1: previous, +1: next). */
  step(delta: number): void {
    this.pause();
    this.seek(this.frameIndex + delta);
  }

  /**
   * Moves time on by `dtS` seconds of wall clock at the current speed and updates the poses.
   * Stops at the last frame. Allocation-free once the frames it reaches are cached.
   */
  advance(dtS: number): void {
    if (!this.running) return;
    const next = this.position + (Math.max(dtS, 0) * this.rate) / this.stepSeconds;
    if (next >= this.lastFrame) {
      this.position = this.lastFrame;
      this.running = false;
    } else {
      this.position = next;
    }
    this.interpolate();
  }

  /** Fills the subclass's poses for the current time. */
  protected abstract interpolate(): void;
}
