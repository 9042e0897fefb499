/**
 * When the player's panels follow the recorded frame (src/renderer/player/panelPacer.ts): while
 * playing at most 4 times a second however fast the frame changes, at once when paused, stepped or
 * scrubbed, and the frame playback stopped at as soon as it stops.
 */
import { describe, expect, it } from 'vitest';
import { PANEL_SYNC_WHILE_PLAYING_MS, PanelPacer } from '../../../../src/renderer/player/panelPacer.js';

/** Panel syncs over `seconds` of a 60 Hz display when the recorded frame changes on every frame. */
function syncsPerSecond(pacer: PanelPacer, playing: boolean, seconds: number): number {
  let syncs = 0;
  for (let i = 0; i < 60 * seconds; i++) {
    const now = (i * 1000) / 60;
    if (pacer.frameChanged(now, playing)) {
      pacer.synced(now);
      syncs++;
    }
  }
  return syncs / seconds;
}

describe('PanelPacer', () => {
  it('follows at most 4 times a second while playing (8×: a new frame every animation frame)', () => {
    expect(PANEL_SYNC_WHILE_PLAYING_MS).toBe(250);
    const rate = syncsPerSecond(new PanelPacer(), true, 10);
    expect(rate).toBeLessThanOrEqual(4);
    expect(rate).toBeGreaterThan(3.5);
  });

  it('follows every change while paused (stepping, scrubbing)', () => {
    expect(syncsPerSecond(new PanelPacer(), false, 2)).toBe(60);
  });

  it('follows the first change of a playback at once', () => {
    expect(new PanelPacer().frameChanged(0, true)).toBe(true);
  });

  it('is stale after a skipped change, and catches up once playback stops, not before', () => {
    const pacer = new PanelPacer();
    expect(pacer.frameChanged(1000, true)).toBe(true);
    pacer.synced(1000);
    expect(pacer.stale).toBe(false);
    expect(pacer.frameChanged(1100, true)).toBe(false);
    expect(pacer.stale).toBe(true);
    expect(pacer.catchUp(true)).toBe(false); // still playing: wait for the next 250 ms
    expect(pacer.catchUp(false)).toBe(true);
    pacer.synced(1120);
    expect(pacer.stale).toBe(false);
    expect(pacer.catchUp(false)).toBe(false);
    expect(pacer.frameChanged(1120 + PANEL_SYNC_WHILE_PLAYING_MS, true)).toBe(true);
  });
});
