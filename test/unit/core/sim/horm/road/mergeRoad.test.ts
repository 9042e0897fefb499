import { describe, expect, it } from 'vitest';
import {
  buildMergeRoad,
  isAfterEnd,
  isOnLane,
  isReachableFrom,
  LANE,
  laneDistance,
  wrapToPi,
} from '../../../../../../src/core/sim/horm/road/index.js';

describe('merge road (docs/spec/horm.md §1, Appendix A.1)', () => {
  const { network, obstacle } = buildMergeRoad();

  it('builds the six lanes of §1.2 in dict iteration order with their ends and flags', () => {
    const rows = network.lanes.map((l) => [
      network.label(network.laneId(l.address)),
      l.pointX(0, 0),
      l.pointY(0, 0),
      l.pointX(l.lengthM, 0),
      l.pointY(l.lengthM, 0),
      l.lengthM,
      l.forbidden,
    ]);
    expect(rows).toEqual([
      ['ab0', 0, 0, 320, 0, 320, false],
      ['bc0', 320, 0, 420, 0, 100, false],
      ['bc1', 320, 4, 420, 4, 100, true],
      ['cd0', 420, 0, 520, 0, 100, false],
      ['jk0', 0, 10.5, 220, 10.5, 220, true],
      ['kb0', 220, 10.5, 320, 4, 100, true],
    ]);
    expect(obstacle).toEqual({ x: 420, y: 4, heading: 0, lengthM: 2, widthM: 2 });
  });

  it('sine lane: y(x) and heading at the A.1 sample points', () => {
    const sine = network.lanes[LANE.kb0]!;
    const samples: [number, number, number, number][] = [
      [0, 220, 10.5, 0],
      [25, 245, 9.548097, -0.072072],
      [50, 270, 7.25, -0.101749],
      [75, 295, 4.951903, -0.072072],
      [100, 320, 4, 0],
    ];
    for (const [s, x, y, h] of samples) {
      expect(sine.pointX(s, 0)).toBeCloseTo(x, 6);
      expect(sine.pointY(s, 0)).toBeCloseTo(y, 6);
      expect(sine.headingAt(s)).toBeCloseTo(h, 6);
      expect(sine.s(x, y)).toBeCloseTo(s, 9);
      expect(sine.r(x, sine.pointY(s, 0) + 1)).toBeCloseTo(1, 9); // vertical offset, §1.3
    }
  });

  it('lane predicates of §1.4', () => {
    const bc1 = network.lanes[LANE.bc1]!;
    const bc0 = network.lanes[LANE.bc0]!;
    expect(isOnLane(bc1, 330, 4 + 3, 1)).toBe(true);
    expect(isOnLane(bc1, 330, 4 + 3.1, 1)).toBe(false);
    expect(isOnLane(bc1, 424.9, 4, 0)).toBe(true);
    expect(isOnLane(bc1, 425, 4, 0)).toBe(false);
    expect(isOnLane(bc1, 425, 4, 0, true)).toBe(true);
    expect(isReachableFrom(bc1, 330, 4)).toBe(false); // forbidden
    expect(isReachableFrom(bc0, 330, 4)).toBe(true);
    expect(isReachableFrom(bc0, 319, 4)).toBe(false); // s < 0
    expect(isAfterEnd(bc1, 417.6, 4)).toBe(true);
    expect(isAfterEnd(bc1, 417.4, 4)).toBe(false);
    expect(laneDistance(bc0, 430, 1)).toBeCloseTo(11, 12);
    expect(wrapToPi(Math.PI)).toBeCloseTo(-Math.PI, 12);
    expect(wrapToPi(-Math.PI - 0.1)).toBeCloseTo(Math.PI - 0.1, 12);
  });

  it('current lane = closest with heading; next lanes as in the §1.5 table', () => {
    expect(network.closestLaneId(100, 0, 0)).toBe(LANE.ab0);
    expect(network.closestLaneId(350, 2, 0)).toBe(LANE.bc0); // tie at y = 2 goes to (b,c,0)
    expect(network.closestLaneId(350, 2.01, 0)).toBe(LANE.bc1);
    expect(network.closestLaneId(270, 7.25, -0.1)).toBe(LANE.kb0);
    expect(network.closestLaneId(700, 0, 0)).toBe(LANE.cd0); // no road end
    expect(network.nextLaneId(LANE.ab0, 318, 0)).toBe(LANE.bc0);
    expect(network.nextLaneId(LANE.bc0, 418, 0)).toBe(LANE.cd0);
    expect(network.nextLaneId(LANE.bc1, 418, 4)).toBe(LANE.cd0);
    expect(network.nextLaneId(LANE.cd0, 518, 0)).toBe(LANE.cd0);
    expect(network.nextLaneId(LANE.jk0, 218, 10.5)).toBe(LANE.kb0);
    expect(network.nextLaneId(LANE.kb0, 318, 4.1)).toBe(LANE.bc1);
    expect(network.lowerSideLane(LANE.bc1)).toBe(LANE.bc0);
    expect(network.upperSideLane(LANE.bc0)).toBe(LANE.bc1);
    expect(network.lowerSideLane(LANE.ab0)).toBe(-1);
    expect(() => network.laneAt({ from: 'x', to: 'y', index: 0 })).toThrow(/no lane x-y-0; lanes are a-b-0/);
  });
});

describe('merge road with other segment lengths (docs/spec/horm.md §1.1, §1.3, §1.6)', () => {
  // x-stations by hand: b = 250 + 80 = 330, c = 330 + 60 = 390, d = 390 + 40 = 430.
  const road = buildMergeRoad({ beforeMergeM: 250, convergingM: 80, mergeM: 60, afterMergeM: 40 });

  it('moves every lane end, the merge lane and the obstacle at its end', () => {
    const { network } = road;
    const rows = network.lanes.map((l) => [
      network.label(network.laneId(l.address)),
      l.pointX(0, 0),
      l.pointY(0, 0),
      l.pointX(l.lengthM, 0),
      l.pointY(l.lengthM, 0),
      l.lengthM,
    ]);
    expect(rows).toEqual([
      ['ab0', 0, 0, 330, 0, 330],
      ['bc0', 330, 0, 390, 0, 60],
      ['bc1', 330, 4, 390, 4, 60],
      ['cd0', 390, 0, 430, 0, 40],
      ['jk0', 0, 10.5, 250, 10.5, 250],
      ['kb0', 250, 10.5, 330, expect.closeTo(4, 12), 80],
    ]);
    expect(road.obstacle).toEqual({ x: 390, y: 4, heading: 0, lengthM: 2, widthM: 2 });
    expect([road.mergeStartXM, road.mergeEndXM]).toEqual([330, 390]);
  });

  it('sine lane: half a period over the converging length, same 3.25 m amplitude', () => {
    const sine = road.network.lanes[LANE.kb0]!;
    // y = 7.25 + 3.25·cos(π s / 80); heading = −atan(3.25·π/80 · sin(π s / 80)).
    expect(sine.pointY(20, 0)).toBeCloseTo(7.25 + 3.25 * Math.SQRT1_2, 9);
    expect(sine.pointY(40, 0)).toBeCloseTo(7.25, 9);
    expect(sine.headingAt(40)).toBeCloseTo(-Math.atan((3.25 * Math.PI) / 80), 9);
    expect(sine.headingAt(0)).toBeCloseTo(0, 12);
  });

  it('refuses a length the geometry cannot use, naming the field', () => {
    expect(() => buildMergeRoad({ beforeMergeM: 220, convergingM: 0, mergeM: 100, afterMergeM: -5 })).toThrow(
      'buildMergeRoad: convergingM: expected a finite length > 0 m, received 0; afterMergeM: expected a finite length > 0 m, received -5',
    );
  });
});
