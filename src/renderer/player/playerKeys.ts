/**
 * The player's keyboard shortcuts (docs/app.md "The replay player"): space play/pause, ←/→ step,
 * Home/End, 1/2/3 cameras, +/− speed. They act only while the player's tab is shown and no text
 * field, list or select has the focus.
 */
import type { AnyReplayPlayer } from '../playback/openReplayPlayer.js';
import { PLAYBACK_SPEEDS } from '../playback/playbackClock.js';
import { CAMERA_MODES, type CameraMode } from '../scene/cameraModes.js';

/** What the shortcuts act on. */
export interface PlayerKeyActions {
  /** The replay being played, or null. */
  player(): AnyReplayPlayer | null;
  togglePlay(): void;
  /** Pause and move `delta` recorded frames. */
  step(delta: number): void;
  setCameraMode(mode: CameraMode): void;
  /** The speed select shows `speed` (the keys changed the player's). */
  showSpeed(speed: number): void;
  /** A key acted: keep the loop drawing. */
  wake(): void;
}

/** The playback speed one notch faster (`direction` 1) or slower (−1) than `speed`, within PLAYBACK_SPEEDS. */
export function nextSpeed(speed: number, direction: 1 | -1): number {
  const i = PLAYBACK_SPEEDS.indexOf(speed as (typeof PLAYBACK_SPEEDS)[number]);
  return PLAYBACK_SPEEDS[Math.min(Math.max(i + direction, 0), PLAYBACK_SPEEDS.length - 1)]!;
}

/** Whether a key pressed on `target` is for the page, not typed into a field. */
function typedIntoField(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return element !== null && ['INPUT', 'SELECT', 'TEXTAREA'].includes(element.tagName);
}

/** Listens for the shortcuts on `doc` while `viewport` (the player's view) is shown. */
export function bindPlayerKeys(doc: Document, viewport: HTMLElement, actions: PlayerKeyActions): void {
  doc.addEventListener('keydown', (event) => {
    if (typedIntoField(event.target)) return;
    if (viewport.offsetParent === null) return; // another view's tab is shown
    if (onPlayerKey(event.key, actions)) {
      event.preventDefault();
      actions.wake();
    }
  });
}

/** Does what `key` means; false when it means nothing here (the page keeps the key). */
function onPlayerKey(key: string, actions: PlayerKeyActions): boolean {
  const player = actions.player();
  switch (key) {
    case ' ':
      actions.togglePlay();
      return true;
    case 'ArrowLeft':
      actions.step(-1);
      return true;
    case 'ArrowRight':
      actions.step(1);
      return true;
    case 'Home':
      player?.seek(0);
      return true;
    case 'End':
      player?.seek(player.lastFrame);
      return true;
    case '1':
    case '2':
    case '3':
      actions.setCameraMode(CAMERA_MODES[Number(key) - 1]!);
      return true;
    case '+':
    case '-': {
      if (player === null) return false;
      const next = nextSpeed(player.speed, key === '+' ? 1 : -1);
      player.speed = next;
      actions.showSpeed(next);
      return true;
    }
    default:
      return false;
  }
}
