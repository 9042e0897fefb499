/** The version table: v1 is current; unknown or missing versions are refused with the list. */
import { describe, expect, it } from 'vitest';
import {
  CURRENT_SCENARIO_VERSION,
  migrateScenario,
  SCENARIO_VERSIONS,
  SUPPORTED_SCENARIO_VERSIONS,
} from '../../../../src/core/scenario/index.js';

describe('scenario versions', () => {
  it('reads version 1, the current one, unchanged', () => {
    expect(CURRENT_SCENARIO_VERSION).toBe(1);
    expect(SUPPORTED_SCENARIO_VERSIONS).toEqual([1]);
    const document = { version: 1, name: 'x' };
    expect(migrateScenario(document)).toEqual({ ok: true, document, fromVersion: 1 });
  });

  it('every version but the current one has an upgrade to the next, versions count up by one', () => {
    SCENARIO_VERSIONS.forEach((entry, i) => {
      expect(entry.version).toBe(i + 1);
      expect(entry.upgrade === undefined).toBe(i === SCENARIO_VERSIONS.length - 1);
    });
  });

  it('refuses versions it does not know, naming the supported ones', () => {
    expect(migrateScenario({ version: 7 })).toEqual({
      ok: false,
      message:
        'expected a supported scenario format version (1), received 7 (made by a newer STEER Studio; this one reads up to version 1)',
    });
    expect(migrateScenario({ version: 1.5 })).toEqual({
      ok: false,
      message: 'expected a supported scenario format version (1), received 1.5',
    });
    expect(migrateScenario({})).toEqual({
      ok: false,
      message: 'expected a supported scenario format version (1), received nothing (the field is missing)',
    });
  });
});
