/**
 * The player's transport bar: play/pause, step back and forward, the scrub slider, the speed
 * select, and the step counter and clock. It shows what it is told and reports what the user
 * does; the player window decides what that does to playback.
 */
import { byId, setText } from '../ui/dom.js';
import { transportReadout } from './panelText.js';
import { STARTING_COUNTER_TEXT } from './statusText.js';

/** What the transport's controls ask for. */
export interface TransportActions {
  togglePlay(): void;
  /** Pause and move `delta` recorded frames. */
  step(delta: number): void;
  /** Jump to recorded frame `frame` (the slider moved). */
  seek(frame: number): void;
  /** Play at `speed` × real time (the select changed). */
  setSpeed(speed: number): void;
}

/** The transport bar bound to the page's elements. */
export class Transport {
  private readonly back: HTMLButtonElement;
  private readonly play: HTMLButtonElement;
  private readonly forward: HTMLButtonElement;
  private readonly scrub: HTMLInputElement;
  private readonly counter: HTMLElement;
  private readonly clock: HTMLElement;
  private readonly speedSelect: HTMLSelectElement;
  /** What the play button shows. */
  private shownPlaying = false;

  constructor(doc: Document, actions: TransportActions) {
    this.back = byId(doc, 'step-back', HTMLButtonElement);
    this.play = byId(doc, 'play', HTMLButtonElement);
    this.forward = byId(doc, 'step-forward', HTMLButtonElement);
    this.scrub = byId(doc, 'scrub', HTMLInputElement);
    this.counter = byId(doc, 'step-counter', HTMLElement);
    this.clock = byId(doc, 'clock', HTMLElement);
    this.speedSelect = byId(doc, 'speed', HTMLSelectElement);
    this.play.addEventListener('click', () => actions.togglePlay());
    this.back.addEventListener('click', () => actions.step(-1));
    this.forward.addEventListener('click', () => actions.step(1));
    this.scrub.addEventListener('input', () => actions.seek(Number(this.scrub.value)));
    this.speedSelect.addEventListener('change', () => actions.setSpeed(Number(this.speedSelect.value)));
  }

  /** The speed chosen [× real time]. */
  get speed(): number {
    return Number(this.speedSelect.value);
  }

  /** Shows `speed` as chosen (a key changed it). */
  showSpeed(speed: number): void {
    this.speedSelect.value = String(speed);
  }

  /** A replay of `lastFrame` + 1 frames is open: the controls work. */
  enable(lastFrame: number): void {
    this.scrub.max = String(lastFrame);
    for (const control of [this.scrub, this.back, this.play, this.forward, this.speedSelect])
      control.disabled = false;
  }

  /** The play button shows pause while `playing`, play otherwise. */
  showPlaying(playing: boolean): void {
    const { play } = this;
    this.shownPlaying = playing;
    play.querySelector('.icon-play')?.toggleAttribute('hidden', playing);
    play.querySelector('.icon-pause')?.toggleAttribute('hidden', !playing);
    play.setAttribute('aria-label', playing ? 'Pause' : 'Play');
    play.dataset.state = playing ? 'playing' : 'paused';
  }

  /** Playback is not running: the play button shows play (rewritten only if it showed pause). */
  showStopped(): void {
    if (this.shownPlaying) this.showPlaying(false);
  }

  /** A live run is starting: no frame yet, the counter says so (not "step 0 / 0"). */
  showStarting(): void {
    setText(this.counter, STARTING_COUNTER_TEXT);
    setText(this.clock, '');
  }

  /** Slider, step counter and clock at recorded frame `index` of `lastFrame`, steps of `stepS` [s]. */
  showFrame(index: number, lastFrame: number, stepS: number): void {
    const readout = transportReadout(index, lastFrame, stepS);
    this.scrub.value = String(index);
    setText(this.counter, readout.counter);
    setText(this.clock, readout.clock);
  }
}
