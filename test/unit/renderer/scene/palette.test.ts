/** Vehicle colours: crashed beats everything, HDVs are grey, CAVs take their rank's colour. */
import { describe, expect, it } from 'vitest';
import { NO_RANK } from '../../../../src/core/replay/index.js';
import {
  CRASHED_COLOUR,
  CRASHED_COLOUR_HEX,
  HDV_COLOUR,
  RANK_COLOURS,
  RANK_COLOURS_HEX,
  UNRANKED_COLOUR,
  vehicleColour,
  vehicleColourHex,
} from '../../../../src/renderer/scene/palette.js';

describe('vehicle colours', () => {
  it('red when crashed, grey for HDVs, by rank for CAVs (leader first), cycling past the palette', () => {
    expect(vehicleColour(true, true, 0)).toBe(CRASHED_COLOUR);
    expect(vehicleColour(false, true, -1)).toBe(CRASHED_COLOUR);
    expect(vehicleColour(false, false, -1)).toBe(HDV_COLOUR);
    expect(vehicleColour(true, false, 0)).toBe(RANK_COLOURS[0]);
    expect(vehicleColour(true, false, 3)).toBe(RANK_COLOURS[3]);
    expect(vehicleColour(true, false, RANK_COLOURS.length)).toBe(RANK_COLOURS[0]);
    expect(vehicleColour(true, false, NO_RANK)).toBe(UNRANKED_COLOUR);
  });

  it('gives the panels the same colours as the scene', () => {
    expect(vehicleColourHex(true, true, 2)).toBe(CRASHED_COLOUR_HEX);
    expect(vehicleColourHex(true, false, 2)).toBe(RANK_COLOURS_HEX[2]);
    expect(RANK_COLOURS.map((c) => `#${c.getHexString()}`)).toEqual(RANK_COLOURS_HEX);
  });

  it('keeps ranks, crashes and HDVs apart: no two of those colours are equal', () => {
    const all = [...RANK_COLOURS_HEX, CRASHED_COLOUR_HEX, '#9ca3af'];
    expect(new Set(all).size).toBe(all.length);
  });
});
