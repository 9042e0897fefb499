/** Vehicle colours: crashed beats everything, HDVs are grey, CAVs take their rank's colour. */
import { describe, expect, it } from 'vitest';
import { NO_RANK } from '../../../../src/core/replay/index.js';
import {
  CRASHED_COLOUR,
  CRASHED_COLOUR_HEX,
  HDV_COLOUR,
  HDV_COLOUR_HEX,
  OBSTACLE_COLOUR_HEX,
  RANK_COLOURS,
  RANK_COLOURS_HEX,
  SELECTION_COLOUR_HEX,
  UNRANKED_COLOUR,
  UNRANKED_COLOUR_HEX,
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

describe('the obstacle at the end of the merge lane', () => {
  /** Euclidean distance of two CSS colours in 0–255 RGB. */
  const distance = (a: string, b: string) => {
    const rgb = (hex: string) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
    const [p, q] = [rgb(a), rgb(b)];
    return Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!, p[2]! - q[2]!);
  };

  it('has a colour of its own, not one close to a rank (the old orange was 25 from rank 2 amber)', () => {
    const vehicles = [
      ...RANK_COLOURS_HEX,
      HDV_COLOUR_HEX,
      CRASHED_COLOUR_HEX,
      UNRANKED_COLOUR_HEX,
      SELECTION_COLOUR_HEX,
    ];
    for (const colour of vehicles) expect(distance(OBSTACLE_COLOUR_HEX, colour)).toBeGreaterThan(100);
  });
});
