/** The player's +/− speed keys (src/renderer/player/playerKeys.ts) step through the offered speeds. */
import { describe, expect, it } from 'vitest';
import { PLAYBACK_SPEEDS } from '../../../../src/renderer/playback/replayPlayer.js';
import { nextSpeed } from '../../../../src/renderer/player/playerKeys.js';

describe('nextSpeed', () => {
  it('goes one offered speed up or down', () => {
    expect(nextSpeed(1, 1)).toBe(2);
    expect(nextSpeed(1, -1)).toBe(0.5);
    for (let k = 1; k < PLAYBACK_SPEEDS.length; k++) {
      expect(nextSpeed(PLAYBACK_SPEEDS[k - 1]!, 1)).toBe(PLAYBACK_SPEEDS[k]);
      expect(nextSpeed(PLAYBACK_SPEEDS[k]!, -1)).toBe(PLAYBACK_SPEEDS[k - 1]);
    }
  });

  it('stops at the slowest and the fastest', () => {
    expect(nextSpeed(0.25, -1)).toBe(0.25);
    expect(nextSpeed(8, 1)).toBe(8);
  });
});
