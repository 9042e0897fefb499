/**
 * The editor's scenario model (src/renderer/editor/scenarioDraft.ts, laneGeometry.ts): clicks place
 * vehicles on lanes, drags stay on their lane's extent, deletes remove, and what the editor holds
 * serialises to a scenario the core validator accepts (or names, field by field, what is wrong).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ROAD, parseScenario } from '../../../../src/core/scenario/index.js';
import { editorRoad, lanePoint, pickLane } from '../../../../src/renderer/editor/laneGeometry.js';
import {
  agentNumbers,
  blankDraft,
  clampToLane,
  deleteVehicle,
  draftFromDocument,
  draftToDocument,
  issuesUnder,
  maxPositionM,
  moveVehicle,
  parseFieldNumber,
  placeVehicle,
  setVehicleKind,
  usableRoad,
  validateDraft,
} from '../../../../src/renderer/editor/scenarioDraft.js';

const road = editorRoad(DEFAULT_ROAD);

describe('placing, dragging and deleting vehicles', () => {
  it('a click on a lane places a vehicle there: lane and position along it', () => {
    const draft = blankDraft();
    // The ramp's straight part runs along y = 10.5 m; 1 m off its centre line still picks it.
    const onRamp = pickLane(road, 150.04, 11.5)!;
    expect(onRamp).toEqual({ lane: 'j-k-0', positionM: 150 });
    const i = placeVehicle(draft, onRamp.lane, onRamp.positionM, 'cav');
    const onMain = pickLane(road, 360, 0.5)!;
    expect(onMain).toEqual({ lane: 'b-c-0', positionM: 40 }); // b-c-0 starts at x = 320 m
    const j = placeVehicle(draft, onMain.lane, onMain.positionM, 'hdv', 27);
    expect(draft.vehicles).toEqual([
      { kind: 'cav', lane: 'j-k-0', positionM: 150, speedMps: 25, priority: null },
      { kind: 'hdv', lane: 'b-c-0', positionM: 40, speedMps: 27, priority: null },
    ]);
    expect([i, j]).toEqual([0, 1]);
    // Far from every lane: nothing picked.
    expect(pickLane(road, 100, 40)).toBeNull();
  });

  it('the converging lane and the merge lane are picked where the simulator draws them', () => {
    const mid = lanePoint(road, 'k-b-0', 50);
    expect(pickLane(road, mid.x, mid.y)).toEqual({ lane: 'k-b-0', positionM: 50 });
    const merge = lanePoint(road, 'b-c-1', 30);
    expect(merge).toMatchObject({ x: 350, y: 4 });
    expect(pickLane(road, merge.x, merge.y)).toEqual({ lane: 'b-c-1', positionM: 30 });
  });

  it('a drag moves along and between lanes and is clamped to the lane it ends on', () => {
    const draft = blankDraft();
    placeVehicle(draft, 'a-b-0', 100, 'cav');
    moveVehicle(draft, 0, 'b-c-1', 500); // past the obstacle at the merge lane's end
    expect(draft.vehicles[0]).toMatchObject({ lane: 'b-c-1', positionM: 96.5 }); // 100 − 2.5 − 1
    moveVehicle(draft, 0, 'j-k-0', -20);
    expect(draft.vehicles[0]).toMatchObject({ lane: 'j-k-0', positionM: 0 });
    // A drag (no distance limit) past the end of the road snaps to the last lane's end; a click
    // there places nothing.
    expect(pickLane(road, 560, 0)).toBeNull();
    const beyond = pickLane(road, 560, 0, Number.POSITIVE_INFINITY)!;
    expect(beyond).toEqual({ lane: 'c-d-0', positionM: 100 });
    expect(maxPositionM(DEFAULT_ROAD, 'a-b-0')).toBe(320);
    expect(clampToLane(DEFAULT_ROAD, 'c-d-0', 12.345)).toBe(12.3);
  });

  it('delete removes the vehicle; kinds keep priorities consistent', () => {
    const draft = blankDraft();
    placeVehicle(draft, 'a-b-0', 100, 'cav');
    placeVehicle(draft, 'a-b-0', 150, 'cav');
    draft.vehicles[0]!.priority = 0;
    draft.vehicles[1]!.priority = 1;
    const k = placeVehicle(draft, 'j-k-0', 120, 'cav'); // the others have priorities: so does it
    expect(draft.vehicles[k]!.priority).toBe(2);
    setVehicleKind(draft, k, 'hdv');
    expect(draft.vehicles[k]).toMatchObject({ kind: 'hdv', priority: null });
    deleteVehicle(draft, 0);
    expect(draft.vehicles.map((v) => v.positionM)).toEqual([150, 120]);
    expect(() => deleteVehicle(draft, 5)).toThrow(/no vehicle 5 of 2/);
  });
});

describe('serialising and validating', () => {
  it('an edited draft is a scenario the validator accepts', () => {
    const draft = blankDraft();
    draft.name = 'My merge';
    placeVehicle(draft, 'a-b-0', 180, 'cav');
    placeVehicle(draft, 'j-k-0', 190, 'cav');
    placeVehicle(draft, 'a-b-0', 150, 'hdv', 26);
    expect(validateDraft(draft)).toEqual([]);
    const parsed = parseScenario(JSON.stringify(draftToDocument(draft)), 'x');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.scenario.traffic).toEqual({
      vehicles: [
        { kind: 'cav', lane: 'a-b-0', positionM: 180, speedMps: 25 },
        { kind: 'cav', lane: 'j-k-0', positionM: 190, speedMps: 25 },
        { kind: 'hdv', lane: 'a-b-0', positionM: 150, speedMps: 26 },
      ],
    });
  });

  it("gives the schema's messages with JSON paths for what the user typed", () => {
    const draft = blankDraft();
    placeVehicle(draft, 'a-b-0', 100, 'cav');
    placeVehicle(draft, 'a-b-0', 102, 'hdv');
    draft.vehicles[0]!.speedMps = parseFieldNumber('fast');
    draft.road.mergeM = parseFieldNumber('10');
    const issues = validateDraft(draft);
    expect(issues).toEqual([
      { path: 'road.mergeM', message: 'expected number in [30, 1000] m, received 10' },
      { path: 'traffic.vehicles[0].speedMps', message: 'expected number in [0, 40] m/s, received "fast"' },
    ]);
    draft.road.mergeM = 100;
    draft.vehicles[0]!.speedMps = 25; // a type error stops the cross-field checks
    expect(issuesUnder(validateDraft(draft), 'traffic.vehicles[1]')).toEqual([
      {
        path: 'traffic.vehicles[1].positionM',
        message:
          'overlaps traffic.vehicles[0] on the main road: centres 2 m apart, expected at least 5 m (the vehicle length)',
      },
    ]);
    // An empty list says what it wants.
    expect(validateDraft(blankDraft())[0]).toEqual({
      path: 'traffic.vehicles',
      message: 'expected a list of 1 to 100 vehicles, received an empty array',
    });
  });

  it('round-trips a bundled-style document, density or list, keeping fields it has no control for', () => {
    const document = {
      version: 1,
      name: 'Dense',
      seed: 4,
      durationS: 30,
      road: { beforeMergeM: 230, convergingM: 100, mergeM: 120, afterMergeM: 100 },
      traffic: { density: 2 },
      supervisor: false,
      physics: 'reference',
      priority: 'main-road-first',
      rewardWeights: { collision: 200, highSpeed: 1, mergingLaneCost: 4, headwayCost: 4 },
      referenceQuirks: { someQuirk: true },
    };
    const draft = draftFromDocument(document);
    expect(draft.trafficMode).toBe('density');
    expect(draft.extra).toEqual({ referenceQuirks: { someQuirk: true } });
    expect(draftToDocument(draft)).toEqual(document);
    // Switching to a list keeps the density for switching back.
    draft.trafficMode = 'vehicles';
    placeVehicle(draft, 'a-b-0', 10, 'cav');
    expect(draftToDocument(draft).traffic).toEqual({
      vehicles: [{ kind: 'cav', lane: 'a-b-0', positionM: 10, speedMps: 25 }],
    });
    draft.trafficMode = 'density';
    expect(draftToDocument(draft).traffic).toEqual({ density: 2 });
  });

  it('numbers agents as the env does: by priority when every CAV has one, else in list order', () => {
    const draft = blankDraft();
    placeVehicle(draft, 'a-b-0', 100, 'cav');
    placeVehicle(draft, 'a-b-0', 150, 'hdv');
    placeVehicle(draft, 'j-k-0', 120, 'cav');
    expect(agentNumbers(draft.vehicles)).toEqual([0, -1, 1]);
    draft.vehicles[0]!.priority = 5;
    draft.vehicles[2]!.priority = 1;
    expect(agentNumbers(draft.vehicles)).toEqual([1, -1, 0]);
  });

  it('number fields keep non-numbers as typed', () => {
    expect(parseFieldNumber(' 12.5 ')).toBe(12.5);
    expect(parseFieldNumber('fast')).toBe('fast');
    expect(parseFieldNumber('')).toBe('');
  });
});

describe('the road the editor draws', () => {
  it('keeps the last valid geometry while a segment length is out of range (1e6, 1e9 do not build a road)', () => {
    const draft = blankDraft();
    draft.road.beforeMergeM = 300;
    const drawn = usableRoad(draft.road);
    expect(drawn.beforeMergeM).toBe(300);
    for (const typed of [1e6, 1e9, 2001, Number.POSITIVE_INFINITY, 5, 'fast']) {
      draft.road.beforeMergeM = typed;
      expect(validateDraft(draft).some((issue) => issue.path === 'road.beforeMergeM')).toBe(true);
      expect(usableRoad(draft.road, drawn)).toEqual(drawn);
    }
    // The largest valid length is drawn as typed.
    draft.road.beforeMergeM = 2000;
    expect(usableRoad(draft.road, drawn).beforeMergeM).toBe(2000);
  });

  it('opens a file with a huge length on the reference road, not a 5,000 km one', () => {
    const draft = draftFromDocument({
      version: 1,
      name: 'Huge',
      road: { beforeMergeM: 230, convergingM: 100, mergeM: 120, afterMergeM: 5e6 },
      traffic: { density: 1 },
    });
    const drawn = usableRoad(draft.road);
    expect(drawn).toEqual({ ...DEFAULT_ROAD, beforeMergeM: 230, convergingM: 100, mergeM: 120 });
    expect(editorRoad(drawn).endXM).toBeLessThan(2000);
  });
});
