/**
 * The scenario format: the bundled files are valid and resolve to the spec's defaults; each kind
 * of mistake is reported at the field to change, with what was expected and what was found.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REWARD_WEIGHTS,
  DEFAULT_ROAD,
  formatIssues,
  parseScenario,
  type ScenarioIssue,
} from '../../../../src/core/scenario/index.js';
import { BUNDLED, bundled, copyOf } from './bundledScenarios.js';

/** The issues of a document that must be invalid. */
function issuesOf(document: unknown): readonly ScenarioIssue[] {
  const result = parseScenario(JSON.stringify(document, null, 2), 'bad.json');
  if (result.ok) throw new Error('expected the scenario to be refused');
  return result.issues;
}

/** `path: message` lines, for compact expectations. */
function linesOf(document: unknown): string[] {
  return issuesOf(document).map((issue) => `${issue.path}: ${issue.message}`);
}

describe('bundled scenarios', () => {
  it('ships the three HORM densities, density 1 on dynamic physics, and two hand-made scenes', () => {
    expect(BUNDLED.map((s) => s.file)).toEqual([
      'scenarios/dense-platoon.json',
      'scenarios/horm-easy-dynamic.json',
      'scenarios/horm-easy.json',
      'scenarios/horm-hard.json',
      'scenarios/horm-medium.json',
      'scenarios/two-ramp-vehicles.json',
    ]);
  });

  it.each(BUNDLED.map((s) => [s.file, s] as const))('%s is valid', (_file, scenario) => {
    const result = parseScenario(scenario.text, scenario.file);
    expect(result.ok ? [] : formatIssues(scenario.file, result.issues)).toEqual([]);
  });

  it('horm-easy/medium/hard are the reference setup at densities 1, 2 and 3', () => {
    for (const [name, density] of [
      ['horm-easy.json', 1],
      ['horm-medium.json', 2],
      ['horm-hard.json', 3],
    ] as const) {
      const result = parseScenario(bundled(name).text, name);
      if (!result.ok) throw new Error(name);
      expect(result.scenario).toMatchObject({
        version: 1,
        durationS: 20,
        road: DEFAULT_ROAD,
        traffic: { density },
        supervisor: true,
        physics: 'reference',
        priority: 'index',
        rewardWeights: DEFAULT_REWARD_WEIGHTS,
      });
    }
  });

  it('horm-easy-dynamic is horm-easy on dynamic physics', () => {
    const easy = parseScenario(bundled('horm-easy.json').text, 'e');
    const dynamic = parseScenario(bundled('horm-easy-dynamic.json').text, 'd');
    if (!easy.ok || !dynamic.ok) throw new Error('bundled scenarios must be valid');
    const { name: _n, description: _d, physics, ...rest } = dynamic.scenario;
    const { name: _en, description: _ed, physics: easyPhysics, ...easyRest } = easy.scenario;
    expect([physics, easyPhysics]).toEqual(['dynamic', 'reference']);
    expect(rest).toEqual(easyRest);
  });

  it('the hand-made scenes: a dense HDV platoon on the main road; two CAVs on the ramp at once', () => {
    const platoon = parseScenario(bundled('dense-platoon.json').text, 'p');
    const ramp = parseScenario(bundled('two-ramp-vehicles.json').text, 'r');
    if (!platoon.ok || !ramp.ok) throw new Error('bundled scenes must be valid');
    if (!('vehicles' in platoon.scenario.traffic) || !('vehicles' in ramp.scenario.traffic)) {
      throw new Error('both scenes list their vehicles');
    }
    const mainHdvs = platoon.scenario.traffic.vehicles.filter((v) => v.kind === 'hdv' && v.lane === 'a-b-0');
    expect(mainHdvs.length).toBeGreaterThanOrEqual(6);
    const rampCavs = ramp.scenario.traffic.vehicles.filter((v) => v.kind === 'cav' && v.lane === 'j-k-0');
    expect(rampCavs).toHaveLength(2);
  });
});

describe('defaults', () => {
  it('a minimal file resolves to the reference values (docs/spec/horm.md §1.1, §2.3, §3.6, §7.1)', () => {
    const result = parseScenario('{"version": 1, "name": "m", "seed": 3, "traffic": {"density": 2}}', 'm');
    expect(result.ok && result.scenario).toEqual({
      version: 1,
      name: 'm',
      seed: 3,
      durationS: 20,
      road: { beforeMergeM: 220, convergingM: 100, mergeM: 100, afterMergeM: 100 },
      traffic: { density: 2 },
      supervisor: true,
      physics: 'reference',
      referenceQuirks: {
        referenceCollision: false,
        shortLastStep: false,
        segmentLocalNeighbours: false,
        unclampedDesiredGap: false,
        speedIndexFromSpeed: false,
      },
      priority: 'index',
      rewardWeights: { collision: 200, highSpeed: 1, mergingLaneCost: 4, headwayCost: 4 },
    });
  });

  it('referenceQuirks: true sets every quirk, false none, an object the ones it names', () => {
    const quirksOf = (value: unknown) => {
      const result = parseScenario(
        JSON.stringify({ version: 1, name: 'm', seed: 0, traffic: { density: 1 }, referenceQuirks: value }),
        'm',
      );
      if (!result.ok) throw new Error(JSON.stringify(result.issues));
      return Object.entries(result.scenario.referenceQuirks)
        .filter(([, on]) => on)
        .map(([name]) => name);
    };
    expect(quirksOf(true)).toEqual([
      'referenceCollision',
      'shortLastStep',
      'segmentLocalNeighbours',
      'unclampedDesiredGap',
      'speedIndexFromSpeed',
    ]);
    expect(quirksOf(false)).toEqual([]);
    expect(quirksOf({})).toEqual([]);
    expect(quirksOf({ referenceCollision: true, shortLastStep: false })).toEqual(['referenceCollision']);
  });

  it('a partial road or reward block keeps the defaults of the fields it leaves out', () => {
    const result = parseScenario(
      '{"version": 1, "name": "m", "seed": 0, "traffic": {"density": 1}, "road": {"mergeM": 150}, "rewardWeights": {"collision": 50}}',
      'm',
    );
    expect(result.ok && result.scenario.road).toEqual({ ...DEFAULT_ROAD, mergeM: 150 });
    expect(result.ok && result.scenario.rewardWeights).toEqual({ ...DEFAULT_REWARD_WEIGHTS, collision: 50 });
  });
});

describe('each kind of mistake names the field, the expectation and the value found', () => {
  it('referenceQuirks: an unknown name, a non-boolean switch, a wrong type', () => {
    const doc = copyOf('horm-easy.json');
    doc.referenceQuirks = { referenceColision: true, shortLastStep: 'yes' };
    expect(linesOf(doc)).toEqual([
      'referenceQuirks.shortLastStep: expected true or false, received "yes"',
      'referenceQuirks.referenceColision: unknown field "referenceColision"; referenceQuirks takes referenceCollision, shortLastStep, segmentLocalNeighbours, unclampedDesiredGap, speedIndexFromSpeed',
    ]);
    doc.referenceQuirks = 'all';
    expect(linesOf(doc)).toEqual([
      'referenceQuirks: expected true (every quirk), false (none) or an object with some of referenceCollision, shortLastStep, segmentLocalNeighbours, unclampedDesiredGap, speedIndexFromSpeed, received "all"',
    ]);
  });

  it('a wrong type', () => {
    const doc = copyOf('two-ramp-vehicles.json');
    doc.traffic.vehicles[3].speedMps = 'fast';
    expect(linesOf(doc)).toEqual([
      'traffic.vehicles[3].speedMps: expected number in [0, 40] m/s, received "fast"',
    ]);
  });

  it('a missing required field', () => {
    const doc = copyOf('two-ramp-vehicles.json');
    delete doc.traffic.vehicles[1].lane;
    delete doc.seed;
    expect(linesOf(doc)).toEqual([
      'seed: expected integer in [0, 4294967295], received nothing (the field is missing)',
      'traffic.vehicles[1].lane: expected one of "a-b-0", "b-c-0", "c-d-0", "j-k-0", "k-b-0", "b-c-1", received nothing (the field is missing)',
    ]);
  });

  it('numbers out of range, huge or negative', () => {
    const doc = copyOf('dense-platoon.json');
    doc.durationS = 1e308;
    doc.road.mergeM = 10;
    doc.traffic.vehicles[0].speedMps = -3;
    doc.rewardWeights.headwayCost = -1;
    expect(linesOf(doc)).toEqual([
      'durationS: expected number in [0.2, 3600] s, received 1e+308',
      'road.mergeM: expected number in [30, 1000] m, received 10',
      'traffic.vehicles[0].speedMps: expected number in [0, 40] m/s, received -3',
      'rewardWeights.headwayCost: expected number in [0, 10000], received -1',
    ]);
  });

  it('non-integers where integers are required (seed, priority)', () => {
    const doc = copyOf('two-ramp-vehicles.json');
    doc.seed = 1.5;
    doc.traffic.vehicles[0].priority = 0.5;
    expect(linesOf(doc)).toEqual([
      'seed: expected integer in [0, 4294967295], received 1.5',
      'traffic.vehicles[0].priority: expected integer in [0, 1000], received 0.5',
    ]);
  });

  it('Infinity (a number too large for a double, 1e999) is not a number in range', () => {
    const text = bundled('horm-easy.json').text.replace('"seed": 0', '"seed": 1e999');
    const result = parseScenario(text, 'inf.json');
    expect(!result.ok && result.issues).toEqual([
      { path: 'seed', message: 'expected integer in [0, 4294967295], received Infinity' },
    ]);
  });

  it('an unknown enum value', () => {
    const doc = copyOf('horm-easy.json');
    doc.physics = 'fast';
    doc.priority = 'random';
    doc.supervisor = 'yes';
    doc.traffic.density = 4;
    expect(linesOf(doc)).toEqual([
      'traffic.density: expected 1, 2 or 3, received 4',
      'supervisor: expected true or false, received "yes"',
      'physics: expected one of "reference", "dynamic", received "fast"',
      'priority: expected one of "index", "main-road-first", "closest-to-merge-first", received "random"',
    ]);
  });

  it('unknown keys, one issue each, at the key, listing the allowed fields', () => {
    const doc = copyOf('two-ramp-vehicles.json');
    doc.colour = 'red';
    doc.road.lenght = 3;
    doc.traffic.vehicles[2].speed = 25;
    expect(linesOf(doc)).toEqual([
      'road.lenght: unknown field "lenght"; road takes beforeMergeM, convergingM, mergeM, afterMergeM',
      'traffic.vehicles[2].speed: unknown field "speed"; a vehicle takes kind, lane, positionM, speedMps, priority',
      'colour: unknown field "colour"; a scenario takes version, name, description, seed, durationS, road, traffic, supervisor, physics, referenceQuirks, priority, rewardWeights',
    ]);
  });

  it('an object where a list belongs, and the other way round', () => {
    const doc = copyOf('two-ramp-vehicles.json');
    doc.traffic.vehicles = { kind: 'cav' };
    doc.road = [];
    expect(linesOf(doc)).toEqual([
      'road: expected road (an object with beforeMergeM, convergingM, mergeM, afterMergeM), received an empty array',
      'traffic.vehicles: expected a list of 1 to 100 vehicles, received an object',
    ]);
  });

  it('traffic with both a density and vehicles, or with neither', () => {
    const both = copyOf('two-ramp-vehicles.json');
    both.traffic.density = 2;
    expect(linesOf(both)).toEqual(['traffic: expected density or vehicles, received both']);
    const neither = copyOf('horm-easy.json');
    neither.traffic = {};
    expect(linesOf(neither)).toEqual([
      'traffic: expected density (1, 2 or 3) or vehicles (a list), received neither',
    ]);
  });

  it('overlapping vehicles: reported at the later one, naming the other (gap between centres < 5 m)', () => {
    const doc = copyOf('two-ramp-vehicles.json');
    doc.traffic.vehicles[4] = { kind: 'hdv', lane: 'a-b-0', positionM: 188, speedMps: 25 }; // CAV 0 at 185
    expect(linesOf(doc)).toEqual([
      'traffic.vehicles[4].positionM: overlaps traffic.vehicles[0] on the main road: centres 3 m apart, expected at least 5 m (the vehicle length)',
    ]);
  });

  it('overlap across consecutive lanes of one line of traffic (end of the ramp, start of the merge lane)', () => {
    const doc = copyOf('two-ramp-vehicles.json');
    doc.traffic.vehicles[1] = { kind: 'cav', lane: 'k-b-0', positionM: 98, speedMps: 20, priority: 0 };
    doc.traffic.vehicles[2] = { kind: 'cav', lane: 'b-c-1', positionM: 1, speedMps: 20, priority: 2 };
    expect(linesOf(doc)).toEqual([
      'traffic.vehicles[2].positionM: overlaps traffic.vehicles[1] on the ramp: centres 3 m apart, expected at least 5 m (the vehicle length)',
    ]);
  });

  it('vehicles side by side on the main road and the merge lane do not overlap (4 m apart)', () => {
    const doc = copyOf('two-ramp-vehicles.json');
    doc.traffic.vehicles[1] = { kind: 'cav', lane: 'b-c-0', positionM: 50, speedMps: 20, priority: 0 };
    doc.traffic.vehicles[2] = { kind: 'cav', lane: 'b-c-1', positionM: 50, speedMps: 20, priority: 2 };
    expect(parseScenario(JSON.stringify(doc), 'side.json').ok).toBe(true);
  });

  it('a position beyond its lane, and into the obstacle at the end of the merge lane (docs/spec/horm.md §1.6)', () => {
    const doc = copyOf('two-ramp-vehicles.json');
    doc.traffic.vehicles[1].positionM = 230; // j-k-0 is 220 m long
    doc.traffic.vehicles[2] = { kind: 'cav', lane: 'b-c-1', positionM: 97, speedMps: 20, priority: 2 };
    expect(linesOf(doc)).toEqual([
      'traffic.vehicles[1].positionM: expected number in [0, 220] m on lane j-k-0 (the lane length), received 230',
      'traffic.vehicles[2].positionM: expected number in [0, 96.5] m on lane b-c-1 (the lane length less 3.5 m for the obstacle at its end), received 97',
    ]);
  });

  it('lane lengths follow the road: a longer merge zone admits farther positions', () => {
    const doc = copyOf('two-ramp-vehicles.json');
    doc.road.mergeM = 200;
    doc.traffic.vehicles[2] = { kind: 'cav', lane: 'b-c-1', positionM: 190, speedMps: 20, priority: 2 };
    expect(parseScenario(JSON.stringify(doc), 'long.json').ok).toBe(true);
  });

  it('a field out of range is one line: the cross-field checks that read it are skipped', () => {
    const doc = copyOf('horm-easy.json');
    doc.road.beforeMergeM = -1e308; // also shorter than density traffic needs
    const vehicles = copyOf('two-ramp-vehicles.json');
    vehicles.traffic.vehicles[2].positionM = 1e308; // also beyond its lane, and "overlapping" nothing
    vehicles.traffic.vehicles[3].priority = 5000; // also a priority on an HDV
    expect([...linesOf(doc), ...linesOf(vehicles)]).toEqual([
      'road.beforeMergeM: expected number in [20, 2000] m, received -1e+308',
      'traffic.vehicles[2].positionM: expected number in [0, 4000] m, received 1e+308',
      'traffic.vehicles[3].priority: expected integer in [0, 1000], received 5000',
    ]);
  });

  it('density traffic needs a ramp long enough for the reference spawn points (docs/spec/horm.md §5.2)', () => {
    const doc = copyOf('horm-easy.json');
    doc.road.beforeMergeM = 150;
    expect(linesOf(doc)).toEqual([
      'road.beforeMergeM: expected number in [209, 2000] m with density traffic (ramp vehicles spawn up to 206.5 m along j-k-0), received 150',
    ]);
  });

  it('no CAV', () => {
    const doc = copyOf('dense-platoon.json');
    doc.traffic.vehicles = doc.traffic.vehicles.filter((v: { kind: string }) => v.kind === 'hdv');
    expect(linesOf(doc)).toEqual([
      'traffic.vehicles: expected at least one vehicle of kind "cav" (the agents), received 8 of kind "hdv"',
    ]);
  });

  it('priorities: on an HDV, on only some CAVs, repeated', () => {
    const doc = copyOf('two-ramp-vehicles.json');
    doc.traffic.vehicles[3].priority = 5; // an HDV
    delete doc.traffic.vehicles[1].priority;
    doc.traffic.vehicles[2].priority = 1; // CAV 0 has 1
    expect(linesOf(doc)).toEqual([
      'traffic.vehicles[3].priority: expected no priority on an "hdv" (only CAVs are agents), received 5',
      'traffic.vehicles[1].priority: expected an integer in [0, 1000] on every CAV once one has a priority (traffic.vehicles[0] has 1), received nothing (the field is missing)',
      "traffic.vehicles[2].priority: expected a priority distinct from the other CAVs', received 1, already used by traffic.vehicles[0]",
    ]);
  });

  it('no priorities at all is fine: agents are then numbered in list order', () => {
    const doc = copyOf('two-ramp-vehicles.json');
    for (const vehicle of doc.traffic.vehicles) delete vehicle.priority;
    expect(parseScenario(JSON.stringify(doc), 'n.json').ok).toBe(true);
  });

  it('not an object at the top', () => {
    for (const [text, found] of [
      ['[1, 2]', 'an array of 2'],
      ['"scenario"', '"scenario"'],
      ['null', 'null'],
      ['42', '42'],
    ] as const) {
      const result = parseScenario(text, 'top.json');
      expect(!result.ok && result.issues).toEqual([
        { path: '(root)', message: `expected a JSON object (a scenario), received ${found}` },
      ]);
    }
  });

  it('an empty file', () => {
    const result = parseScenario('  \n', 'empty.json');
    expect(!result.ok && result.issues).toEqual([
      { path: '(root)', message: 'expected a JSON object (a scenario), received an empty file' },
    ]);
  });
});

describe('versions and JSON syntax', () => {
  it('an unknown version lists the supported ones', () => {
    for (const [version, found] of [
      [2, '2 (made by a newer STEER Studio; this one reads up to version 1)'],
      [0, '0'],
      ['1', '"1"'],
      [null, 'null'],
    ] as const) {
      const doc = copyOf('horm-easy.json');
      doc.version = version;
      expect(linesOf(doc)).toEqual([
        `version: expected a supported scenario format version (1), received ${found}`,
      ]);
    }
    const doc = copyOf('horm-easy.json');
    delete doc.version;
    expect(linesOf(doc)).toEqual([
      'version: expected a supported scenario format version (1), received nothing (the field is missing)',
    ]);
  });

  it('invalid JSON is one (root) issue with line and column', () => {
    const text = bundled('horm-easy.json').text.replace('"seed": 0', '"seed": NaN');
    const result = parseScenario(text, 'nan.json');
    expect(!result.ok && result.issues).toEqual([
      {
        path: '(root)',
        message: 'invalid JSON at line 5, column 11: JSON has no NaN or Infinity; write a finite number',
      },
    ]);
  });

  it('truncated JSON', () => {
    const text = bundled('horm-easy.json').text;
    const result = parseScenario(text.slice(0, text.indexOf('"traffic"') + 12), 'cut.json');
    expect(!result.ok && result.issues).toEqual([
      {
        path: '(root)',
        message:
          'invalid JSON at line 8, column 15: unexpected end of the file inside an object (truncated?)',
      },
    ]);
  });

  it('a byte-order mark is allowed', () => {
    expect(parseScenario(`\uFEFF${bundled('horm-easy.json').text}`, 'bom.json').ok).toBe(true);
  });

  it('formatIssues prints `file: path: message` per issue', () => {
    expect(
      formatIssues('scenarios/x.json', [
        { path: 'traffic.vehicles[3].speedMps', message: 'expected number in [0, 40] m/s, received "fast"' },
        { path: '(root)', message: 'invalid JSON at line 1, column 1: …' },
      ]),
    ).toEqual([
      'scenarios/x.json: traffic.vehicles[3].speedMps: expected number in [0, 40] m/s, received "fast"',
      'scenarios/x.json: (root): invalid JSON at line 1, column 1: …',
    ]);
  });
});
