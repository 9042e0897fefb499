/**
 * Scenario format versions and the upgrades between them. A file of an older version is upgraded
 * step by step (v1 → v2 → …) to the current one before the schema checks it, so old files keep
 * loading. To add version n + 1: give version n's entry an `upgrade`, append an entry for n + 1
 * and point `schema.ts` at the new schema.
 */
import { describeValue } from './fields.js';

/** A JSON object as parsed from a file. */
export type ScenarioDocument = Record<string, unknown>;

/** One format version. */
export interface ScenarioFormatVersion {
  /** The value of the file's `version` field. */
  readonly version: number;
  /** What changed in this version. */
  readonly summary: string;
  /** Rewrites a document of this version into the next version; absent on the current version. */
  readonly upgrade?: (document: ScenarioDocument) => ScenarioDocument;
}

/** Every version this build reads, oldest first; the last one is current. */
export const SCENARIO_VERSIONS: readonly ScenarioFormatVersion[] = [
  {
    version: 1,
    summary:
      'first format: road, traffic, seed, duration, supervisor, physics, priority, rewards; later the optional referenceQuirks (older files need no upgrade)',
  },
];

/** The version files are written in. */
export const CURRENT_SCENARIO_VERSION = SCENARIO_VERSIONS.at(-1)!.version;

/** The versions this build reads. */
export const SUPPORTED_SCENARIO_VERSIONS: readonly number[] = SCENARIO_VERSIONS.map((v) => v.version);

/** A document upgraded to the current version, or why it could not be. */
export type MigrationResult =
  | { readonly ok: true; readonly document: ScenarioDocument; readonly fromVersion: number }
  | { readonly ok: false; readonly message: string };

/** The supported versions in words: "1" or "1, 2 or 3". */
function supportedList(): string {
  const list = SUPPORTED_SCENARIO_VERSIONS.map(String);
  return list.length === 1 ? list[0]! : `${list.slice(0, -1).join(', ')} or ${list.at(-1)}`;
}

/**
 * Upgrades a scenario document to the current version. Fails (with a message about the `version`
 * field) when the version is missing, not a supported one, or newer than this build knows.
 */
export function migrateScenario(document: ScenarioDocument): MigrationResult {
  const version = document.version;
  const start = SCENARIO_VERSIONS.findIndex((v) => v.version === version);
  if (start < 0) {
    const newer =
      typeof version === 'number' && Number.isInteger(version) && version > CURRENT_SCENARIO_VERSION
        ? ` (made by a newer STEER Studio; this one reads up to version ${CURRENT_SCENARIO_VERSION})`
        : '';
    return {
      ok: false,
      message: `expected a supported scenario format version (${supportedList()}), received ${describeValue(version)}${newer}`,
    };
  }
  let current = document;
  for (const step of SCENARIO_VERSIONS.slice(start, -1)) current = step.upgrade!(current);
  return { ok: true, document: current, fromVersion: version as number };
}
