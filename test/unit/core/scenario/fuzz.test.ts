/**
 * Fuzzing the validator: 1,200 seeded mutations of the bundled files that must be refused (wrong
 * types, deleted required fields, NaN/Infinity, huge and negative numbers, overlapping vehicles,
 * unknown versions, truncated JSON, unknown keys, broken cross-field rules), each with a clear
 * issue (a non-empty path, our own wording, the file named in its line) and never an exception;
 * plus 300 mutations that keep the file valid and must still pass.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/core/rng.js';
import { formatIssues, parseScenario } from '../../../../src/core/scenario/index.js';
import { BUNDLED, type BundledScenario, type MutableDocument } from './bundledScenarios.js';

type Path = (string | number)[];

/** Every path to a value inside `value` (not the root itself), depth first. */
function pathsIn(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, i) => [i, item])
    : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsIn(child, [...prefix, key])]);
}

function getAt(document: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], document);
}

function parentOf(document: MutableDocument, path: Path): [MutableDocument, string | number] {
  return [getAt(document, path.slice(0, -1)) as MutableDocument, path.at(-1)!];
}

function setAt(document: MutableDocument, path: Path, value: unknown): void {
  const [parent, key] = parentOf(document, path);
  parent[key] = value;
}

function deleteAt(document: MutableDocument, path: Path): void {
  const [parent, key] = parentOf(document, path);
  delete parent[key];
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.int(items.length)]!;
}

/** A value of another JSON type than `value`. */
function wrongTypeFor(rng: Rng, value: unknown): unknown {
  if (typeof value === 'number') return pick(rng, ['fast', '12', true, null, [], {}, [1]]);
  if (typeof value === 'string') return pick(rng, [42, 0, true, null, [], {}, ['a-b-0']]);
  if (typeof value === 'boolean') return pick(rng, ['yes', 'true', 1, 0, null, []]);
  if (Array.isArray(value)) return pick(rng, ['x', 3, true, null, {}]);
  return pick(rng, ['x', 3, true, null, [], [{}]]);
}

/** Numbers no field accepts: each is too big, too small, non-integer where needed, or not finite. */
const HUGE_NUMBERS = [1e308, -1e308, 1e20, -5e15, 2 ** 53, -(2 ** 40)];
/** Number tokens JSON cannot hold (syntax errors) or holds only as ±Infinity (1e999). */
const NON_FINITE_TOKENS = ['NaN', 'Infinity', '-Infinity', '1e999', '-1e999', 'nan', '+1'];
/** Keys none of the scenario's objects take (typos of real ones, and inventions). */
const UNKNOWN_KEYS = ['colour', 'speed', 'positionm', 'Seed', 'durationSeconds', 'lanes', 'densty', 'x', ''];

/** The same paths the schema requires (deleting any makes the file invalid). */
function requiredPaths(document: MutableDocument): Path[] {
  const paths: Path[] = [['version'], ['name'], ['seed'], ['traffic']];
  const vehicles = document.traffic.vehicles as MutableDocument[] | undefined;
  if (vehicles === undefined) return [...paths, ['traffic', 'density']];
  paths.push(['traffic', 'vehicles']);
  vehicles.forEach((vehicle, i) => {
    for (const key of ['kind', 'lane', 'positionM', 'speedMps']) paths.push(['traffic', 'vehicles', i, key]);
    // With priorities, deleting one CAV's breaks "all CAVs or none" (when there are several CAVs).
    const cavs = vehicles.filter((v) => v.kind === 'cav').length;
    if (vehicle.priority !== undefined && cavs > 1) paths.push(['traffic', 'vehicles', i, 'priority']);
  });
  return paths;
}

/** The vehicle list of a document, creating a valid one-CAV list for density files. */
function vehiclesOf(document: MutableDocument): MutableDocument[] {
  if (document.traffic.vehicles === undefined) {
    document.traffic = { vehicles: [{ kind: 'cav', lane: 'a-b-0', positionM: 100, speedMps: 25 }] };
  }
  return document.traffic.vehicles as MutableDocument[];
}

/** How a document was broken, and the text to validate. */
interface Mutant {
  readonly kind: string;
  readonly text: string;
}

/** Ways to break a file. Each returns the text of a document that must be refused. */
const BREAKERS: Record<string, (rng: Rng, scenario: BundledScenario, document: MutableDocument) => string> = {
  'wrong-type': (rng, _s, document) => {
    const path = pick(rng, pathsIn(document));
    setAt(document, path, wrongTypeFor(rng, getAt(document, path)));
    return JSON.stringify(document, null, 2);
  },
  'missing-field': (rng, _s, document) => {
    deleteAt(document, pick(rng, requiredPaths(document)));
    return JSON.stringify(document, null, 2);
  },
  'non-finite': (rng, _s, document) => {
    const numeric = pathsIn(document).filter((path) => typeof getAt(document, path) === 'number');
    setAt(document, pick(rng, numeric), '@@NUMBER@@');
    return JSON.stringify(document, null, 2).replace('"@@NUMBER@@"', pick(rng, NON_FINITE_TOKENS));
  },
  'huge-number': (rng, _s, document) => {
    const numeric = pathsIn(document).filter((path) => typeof getAt(document, path) === 'number');
    setAt(document, pick(rng, numeric), pick(rng, HUGE_NUMBERS));
    return JSON.stringify(document, null, 2);
  },
  'negative-speed': (rng, _s, document) => {
    pick(rng, vehiclesOf(document)).speedMps = -(0.001 + 50 * rng.uniform());
    return JSON.stringify(document, null, 2);
  },
  overlap: (rng, _s, document) => {
    const vehicles = vehiclesOf(document);
    if (vehicles.length === 1) vehicles.push({ kind: 'hdv', lane: 'j-k-0', positionM: 50, speedMps: 20 });
    const i = rng.int(vehicles.length);
    const j = (i + 1 + rng.int(vehicles.length - 1)) % vehicles.length;
    const [a, b] = [vehicles[i]!, vehicles[j]!];
    b.lane = a.lane;
    b.positionM = a.positionM + (2 * rng.uniform() - 1) * 4.99; // centres closer than 5 m
    return JSON.stringify(document, null, 2);
  },
  'unknown-version': (rng, _s, document) => {
    document.version = pick(rng, [0, 2, 3, 99, -1, 1.5, '1', 'v1', null, true, [1], { major: 1 }]);
    return JSON.stringify(document, null, 2);
  },
  truncated: (rng, scenario) => {
    const end = scenario.text.lastIndexOf('}'); // every cut before the final brace is incomplete
    return scenario.text.slice(0, rng.int(end));
  },
  'unknown-key': (rng, _s, document) => {
    const objects: Path[] = [[], ['road'], ['rewardWeights'], ['traffic']];
    (document.traffic.vehicles as unknown[] | undefined)?.forEach((_v, i) => {
      objects.push(['traffic', 'vehicles', i]);
    });
    const target = getAt(document, pick(rng, objects)) as MutableDocument;
    target[pick(rng, UNKNOWN_KEYS)] = pick(rng, [1, 'x', null, true, {}]);
    return JSON.stringify(document, null, 2);
  },
  'broken-rule': (rng, _s, document) => {
    const vehicles = vehiclesOf(document);
    const vehicle = pick(rng, vehicles);
    switch (rng.int(8)) {
      case 0: // beyond the end of its lane (the longest lane is 320 m here)
        vehicle.positionM = 321 + 1000 * rng.uniform();
        break;
      case 1: // every vehicle human-driven
        for (const v of vehicles) {
          v.kind = 'hdv';
          delete v.priority;
        }
        break;
      case 2: // a priority on an HDV
        vehicles.push({ kind: 'hdv', lane: 'c-d-0', positionM: 60, speedMps: 20, priority: 3 });
        break;
      case 3: // two CAVs with one priority
        for (const v of vehicles) delete v.priority;
        vehicles.push({ kind: 'cav', lane: 'c-d-0', positionM: 10, speedMps: 20, priority: 4 });
        vehicles.push({ kind: 'cav', lane: 'c-d-0', positionM: 90, speedMps: 20, priority: 4 });
        break;
      case 4: // both a density and vehicles
        document.traffic.density = 1 + rng.int(3);
        break;
      case 5: // an empty vehicle list
        document.traffic.vehicles = [];
        break;
      case 6: // a lane that does not exist
        vehicle.lane = pick(rng, ['a-b-1', 'b-c-2', 'main', 'ramp', 'A-B-0', '']);
        break;
      default: // a zero-length episode
        document.durationS = pick(rng, [0, 0.1, -20]);
    }
    return JSON.stringify(document, null, 2);
  },
};

/** Changes that keep a file valid. */
const KEEPERS: ((rng: Rng, document: MutableDocument) => void)[] = [
  (rng, d) => {
    d.seed = rng.nextU32();
  },
  (rng, d) => {
    d.name = `variant ${rng.int(1000)}`;
  },
  (rng, d) => {
    d.durationS = 0.2 + 3599.8 * rng.uniform();
  },
  (_rng, d) => {
    d.supervisor = !d.supervisor;
  },
  (rng, d) => {
    d.referenceQuirks = pick(rng, [true, false, {}, { referenceCollision: true }, { shortLastStep: false }]);
  },
  (rng, d) => {
    d.physics = pick(rng, ['reference', 'dynamic']);
    d.priority = pick(rng, ['index', 'main-road-first', 'closest-to-merge-first']);
  },
  (rng, d) => {
    for (const key of [
      'description',
      'durationS',
      'road',
      'supervisor',
      'physics',
      'priority',
      'rewardWeights',
    ]) {
      if (rng.int(2) === 0) delete d[key];
    }
  },
  (rng, d) => {
    d.rewardWeights[pick(rng, ['collision', 'highSpeed', 'mergingLaneCost', 'headwayCost'])] =
      100 * rng.uniform();
  },
  (rng, d) => {
    if (d.traffic.vehicles === undefined) d.traffic.density = 1 + rng.int(3);
    else pick(rng, d.traffic.vehicles as MutableDocument[]).speedMps = 40 * rng.uniform();
  },
  (rng, d) => {
    d.road.afterMergeM = 20 + 1980 * rng.uniform(); // the last segment holds no vehicle here
  },
];

/** A mutant of a random bundled file that must be refused. */
function breakOne(rng: Rng): Mutant & { file: string } {
  const scenario = pick(rng, BUNDLED);
  const kind = pick(rng, Object.keys(BREAKERS));
  const text = BREAKERS[kind]!(rng, scenario, structuredClone(scenario.json) as MutableDocument);
  return { kind, text, file: scenario.file };
}

/** Messages zod writes when a field has no wording of ours. */
const ZOD_DEFAULT_WORDING = /^(Invalid|Unrecognized|Too (big|small)|Expected)/;

describe('scenario validator fuzz', () => {
  it('refuses 1,200 broken variants of the bundled files, each with a clear, located issue', () => {
    const rng = Rng.fromSeed(20_241_123);
    const perKind = new Map<string, number>();
    for (let n = 0; n < 1200; n++) {
      const mutant = breakOne(rng);
      perKind.set(mutant.kind, (perKind.get(mutant.kind) ?? 0) + 1);
      const file = `fuzz/${n}-${mutant.kind}.json`;
      const result = parseScenario(mutant.text, file);
      const context = `${mutant.kind} of ${mutant.file}:\n${mutant.text}`;
      expect(result.ok, context).toBe(false);
      if (result.ok) continue;
      expect(result.file).toBe(file);
      expect(result.issues.length, context).toBeGreaterThan(0);
      for (const issue of result.issues) {
        expect(issue.path, context).not.toBe('');
        expect(issue.message, context).not.toBe('');
        expect(issue.message, context).not.toMatch(ZOD_DEFAULT_WORDING);
        expect(issue.message, context).not.toMatch(/\n/);
      }
      for (const line of formatIssues(file, result.issues)) expect(line.startsWith(`${file}: `)).toBe(true);
    }
    // Every kind of damage was tried many times.
    expect([...perKind.keys()].sort()).toEqual(Object.keys(BREAKERS).sort());
    for (const [kind, count] of perKind) expect(count, kind).toBeGreaterThanOrEqual(60);
  });

  it('accepts 300 variants changed in ways the format allows', () => {
    const rng = Rng.fromSeed(7);
    for (let n = 0; n < 300; n++) {
      const scenario = pick(rng, BUNDLED);
      const document = structuredClone(scenario.json) as MutableDocument;
      pick(rng, KEEPERS)(rng, document);
      const result = parseScenario(JSON.stringify(document), scenario.file);
      expect(result.ok ? [] : formatIssues(scenario.file, result.issues), JSON.stringify(document)).toEqual(
        [],
      );
    }
  });
});
