/**
 * The editor's Import and Export (src/renderer/editor/scenarioFile.ts): a local file is checked
 * with the core validator and its problems read as `steer scenario validate` prints them (file
 * name, JSON path, message); an exported file reads back to the same scenario.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  exportFileName,
  importScenarioFile,
  MAX_IMPORT_BYTES,
  readScenarioText,
  scenarioJson,
} from '../../../../src/renderer/editor/scenarioFile.js';

const bundled = async (name: string) =>
  readFile(fileURLToPath(new URL(`../../../../scenarios/${name}`, import.meta.url)), 'utf8');

describe('importing a local scenario file', () => {
  it('a valid file: its object, no problems', async () => {
    const text = await bundled('two-ramp-vehicles.json');
    const imported = readScenarioText('two-ramp-vehicles.json', text);
    expect(imported.issues).toEqual([]);
    expect(imported.lines).toEqual([]);
    expect(imported.document).toEqual(JSON.parse(text));
  });

  it("a file that does not validate: the schema's messages, named by file and JSON path; its object kept", async () => {
    const bad = JSON.parse(await bundled('two-ramp-vehicles.json'));
    bad.traffic.vehicles[0].speedMps = 'fast';
    const imported = readScenarioText('mine.json', JSON.stringify(bad));
    expect(imported.lines).toEqual([
      'mine.json: traffic.vehicles[0].speedMps: expected number in [0, 40] m/s, received "fast"',
    ]);
    expect(imported.issues).toEqual([
      { path: 'traffic.vehicles[0].speedMps', message: 'expected number in [0, 40] m/s, received "fast"' },
    ]);
    expect(imported.document).toEqual(bad);
  });

  it('invalid JSON: one (root) problem with line and column, nothing to load', () => {
    const imported = readScenarioText('cut.json', '{"version": 1,\n');
    expect(imported.document).toBeNull();
    expect(imported.lines).toHaveLength(1);
    expect(imported.lines[0]).toMatch(/^cut\.json: \(root\): invalid JSON at line \d+, column \d+: /);
    expect(imported.notLoaded).toBe('the file is not a JSON object');
  });

  it('reads a File, and refuses one larger than the host would', async () => {
    const text = await bundled('horm-easy.json');
    const ok = await importScenarioFile(new File([text], 'horm-easy.json'));
    expect(ok.issues).toEqual([]);
    const big = await importScenarioFile(new File([new Uint8Array(MAX_IMPORT_BYTES + 1)], 'big.json'));
    expect(big.document).toBeNull();
    expect(big.lines).toEqual([
      `big.json: (root): too large: expected a scenario file of at most ${MAX_IMPORT_BYTES} bytes (1 MiB), the file has ${MAX_IMPORT_BYTES + 1}`,
    ]);
    // Not loaded because of its size, and it says so with the limit (not "not a JSON object").
    expect(big.notLoaded).toBe(
      `the file is too large (${MAX_IMPORT_BYTES + 1} bytes; at most ${MAX_IMPORT_BYTES} bytes, 1 MiB)`,
    );
    expect(ok.notLoaded).toBeNull();
  });
});

describe('exporting', () => {
  it('names the download as Save as would, ending in .json', () => {
    expect(exportFileName('e2e-merge')).toBe('e2e-merge.json');
    expect(exportFileName('My merge.json')).toBe('My-merge.json');
    expect(exportFileName('  ')).toBe('scenario.json');
    expect(exportFileName('../etc/x')).toBe('etc-x.json');
  });

  it('writes text that reads back to the same, valid scenario', async () => {
    const document = JSON.parse(await bundled('dense-platoon.json'));
    const text = scenarioJson(document);
    expect(text.endsWith('}\n')).toBe(true);
    const again = readScenarioText('dense-platoon.json', text);
    expect(again.issues).toEqual([]);
    expect(again.document).toEqual(document);
  });
});
