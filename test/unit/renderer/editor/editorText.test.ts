/**
 * What the scenario editor says about its draft and its file (src/renderer/editor/editorText.ts),
 * on the bundled scenarios as the editor loads them: the summary counts the file's vehicles by kind
 * and the validator's problems, Save as writes where the contract lets the user write, and an
 * issue's path leads to the vehicle the validator names.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  exportedStatus,
  fileProblemsStatus,
  fileText,
  importedStatus,
  isUserFile,
  openedStatus,
  problemCount,
  saveAsPath,
  saveNameOf,
  summaryText,
  trafficSummary,
  vehicleOfPath,
} from '../../../../src/renderer/editor/editorText.js';
import { draftFromDocument, validateDraft } from '../../../../src/renderer/editor/scenarioDraft.js';
import { scenarioSourceOf } from '../../../../src/shared/api/scenarioMethods.js';

/** A bundled scenario file as the editor loads it, and the file's own vehicle list. */
function bundled(name: string) {
  const document = JSON.parse(
    readFileSync(new URL(`../../../../scenarios/${name}`, import.meta.url), 'utf8'),
  ) as Record<string, unknown> & { traffic: { vehicles?: { kind: string }[]; density?: number } };
  return { draft: draftFromDocument(document), traffic: document.traffic };
}

/** The numbers in a text, in order. */
function numbers(text: string): number[] {
  return Array.from(text.matchAll(/\d+/g), (m) => Number(m[0]));
}

describe('the footer', () => {
  it("counts an explicit list's vehicles by kind, as the file has them, and says it validates", () => {
    const { draft, traffic } = bundled('two-ramp-vehicles.json');
    const vehicles = traffic.vehicles!;
    const cavs = vehicles.filter((v) => v.kind === 'cav').length;
    expect(cavs).toBeGreaterThan(1);
    expect(vehicles.length - cavs).toBeGreaterThan(1);
    expect(validateDraft(draft)).toEqual([]);
    const summary = summaryText(draft, 0);
    expect(numbers(summary)).toEqual([vehicles.length, cavs, vehicles.length - cavs]);
    expect(summary).toMatch(/CAVs \(agents\), \d+ HDV · valid$/);
  });

  it('names the density of density traffic', () => {
    const { draft, traffic } = bundled('horm-easy.json');
    expect(draft.trafficMode).toBe('density');
    expect(trafficSummary(draft)).toBe(`density ${traffic.density} (random spawns)`);
  });

  it("counts the validator's problems, one or more", () => {
    const { draft } = bundled('two-ramp-vehicles.json');
    draft.vehicles[0]!.speedMps = 'fast';
    expect(summaryText(draft, validateDraft(draft).length)).toMatch(/ · 1 problem$/);
    draft.vehicles[1]!.speedMps = 99;
    expect(summaryText(draft, validateDraft(draft).length)).toMatch(/ · 2 problems$/);
    // Singular and plural in the file's vehicle count too.
    draft.vehicles.splice(1);
    expect(trafficSummary(draft)).toBe('1 vehicle: 1 CAV (agents), 0 HDV');
  });

  it('names the open file, or says there is none, and marks it modified', () => {
    expect(fileText(null, false)).toBe('new scenario (not saved)');
    expect(fileText('runs/scenarios/mine.json', true)).toBe('runs/scenarios/mine.json · modified');
  });
});

describe('saving', () => {
  it("Save writes over the user's files only, which the contract calls the user's", () => {
    for (const path of ['runs/scenarios/mine.json', 'scenarios/horm-easy.json']) {
      expect(isUserFile(path), path).toBe(scenarioSourceOf(path) === 'user');
    }
    expect(isUserFile(null)).toBe(false);
  });

  it('Save as writes the typed name (".json" optional) among the user\'s files; nothing without a name', () => {
    for (const typed of ['merge-test', ' merge-test.json ']) {
      const path = saveAsPath(typed)!;
      expect(path).toBe('runs/scenarios/merge-test.json');
      expect(scenarioSourceOf(path)).toBe('user');
    }
    expect(saveAsPath('   ')).toBeNull();
    expect(saveAsPath('.json')).toBeNull();
  });

  it("an opened file of the user's starts Save as with its name; a bundled one with none", () => {
    expect(saveNameOf('runs/scenarios/e2e-merge.json')).toBe('e2e-merge');
    expect(saveNameOf('scenarios/horm-easy.json')).toBe('');
    expect(saveNameOf(null)).toBe('');
    expect(saveAsPath(saveNameOf('runs/scenarios/e2e-merge.json'))).toBe('runs/scenarios/e2e-merge.json');
  });
});

describe('status lines', () => {
  it('opening: a bundled file says it is read-only, one with problems counts them', () => {
    expect(openedStatus('scenarios/horm-easy.json', 'bundled')).toBe(
      'scenarios/horm-easy.json (bundled, read-only: Save as… to keep changes)',
    );
    expect(openedStatus('runs/scenarios/mine.json', 'user')).toBe('runs/scenarios/mine.json');
    expect(fileProblemsStatus('runs/scenarios/bad.json', 1)).toBe(
      'runs/scenarios/bad.json: 1 problem in the file',
    );
  });

  it('importing and exporting count the problems the file has', () => {
    expect(importedStatus('mine.json', 0)).toBe(
      'imported mine.json (not in the project yet: Save as… keeps it)',
    );
    expect(importedStatus('bad-speed.json', 2)).toBe('bad-speed.json: 2 problems in the file (imported)');
    expect(exportedStatus('e2e-blank.json', 0)).toBe('exported e2e-blank.json');
    expect(exportedStatus('e2e-blank.json', 1)).toBe(`exported e2e-blank.json with ${problemCount(1)}`);
  });
});

describe('vehicleOfPath', () => {
  it("leads each of the validator's issues to the vehicle it is about, and the others to none", () => {
    const { draft } = bundled('two-ramp-vehicles.json');
    draft.vehicles[3]!.speedMps = 'fast';
    draft.vehicles[1]!.positionM = -5;
    draft.durationS = 0;
    const issues = validateDraft(draft);
    expect(issues.length).toBe(3);
    const byPath = issues.map((issue) => [issue.path, vehicleOfPath(issue.path)]);
    expect(byPath).toEqual(
      expect.arrayContaining([
        ['traffic.vehicles[3].speedMps', 3],
        ['traffic.vehicles[1].positionM', 1],
        ['durationS', null],
      ]),
    );
  });
});
