/**
 * End to end: the scenario editor's files in Debian's Chromium, on the web host with a project
 * folder of its own (as editor.test.ts, kept apart so the two can change independently). It builds
 * a scenario from "New blank scenario" by placing CAVs on the road, saves it and reopens it after a
 * reload; exports it as a download; and imports local .json files, a bad one's problems named by
 * file and JSON path with the schema's messages.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newWatchedPage,
  type PlayerSession,
  REPOSITORY_ROOT,
  startPlayerSession,
} from '../../src/main/web/browserHarness.js';
import * as editor from './editorPage.js';

const VIEWPORT = { width: 1440, height: 860 };

let session: PlayerSession;
let page: Page;
let projectRoot: string;
const pageProblems: string[] = [];

/** A local file for the import input. */
const localFile = (name: string, text: string) => ({
  name,
  mimeType: 'application/json',
  buffer: Buffer.from(text),
});

const editorDocument = () => editor.editorDocument(page);
const worldPoint = (x: number, y: number) => editor.worldPoint(page, x, y);
const vehicleRows = () => editor.vehicleRows(page);
const openEditor = () => editor.openEditor(page, session.host.url);

beforeAll(async () => {
  projectRoot = await editor.makeEditorProject('editor-files');
  session = await startPlayerSession({ projectRoot });
  page = await newWatchedPage(
    session.browser,
    { viewport: VIEWPORT, deviceScaleFactor: 1, acceptDownloads: true },
    pageProblems,
  );
}, 120_000);

afterAll(async () => {
  await session?.close();
});

describe('scenario editor files in Chromium', () => {
  let saved: Record<string, unknown>;

  it('builds a scenario from "New blank scenario": CAVs placed on the road, saved, reopened', async () => {
    await openEditor();
    await page.selectOption('#editor-scenario-list', ''); // New blank scenario
    await expect.poll(vehicleRows).toBe(0);
    await page.click('.editor-palette button[data-kind="cav"]');
    for (const [x, y] of [
      [60, 10.5], // the ramp's straight part, lane j-k-0
      [30, 0], // main road, lane a-b-0
    ] as const) {
      const at = await worldPoint(x, y);
      await page.mouse.click(at.x, at.y);
    }
    await expect.poll(vehicleRows).toBe(2);
    const vehicles = ((await editorDocument()).traffic as { vehicles: Record<string, unknown>[] }).vehicles;
    expect(vehicles.map((v) => [v.kind, v.lane])).toEqual([
      ['cav', 'j-k-0'],
      ['cav', 'a-b-0'],
    ]);
    expect(await page.textContent('#editor-problems')).toMatch(/None: the scenario validates/);

    await page.fill('#editor-save-name', 'e2e-blank');
    await page.click('#editor-save-as');
    await expect.poll(() => page.textContent('#editor-status')).toBe('saved runs/scenarios/e2e-blank.json');
    saved = await editorDocument();
    const onDisk = JSON.parse(
      await readFile(join(projectRoot, 'runs', 'scenarios', 'e2e-blank.json'), 'utf8'),
    );
    expect(onDisk).toEqual(saved);

    await openEditor();
    await page.selectOption('#editor-scenario-list', 'runs/scenarios/e2e-blank.json');
    await expect.poll(vehicleRows).toBe(2);
    expect(await editorDocument()).toEqual(saved);
  });

  it('exports the scenario as a .json download that reads back to the same scenario', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#editor-export')]);
    expect(download.suggestedFilename()).toBe('e2e-blank.json');
    const text = await readFile((await download.path())!, 'utf8');
    expect(JSON.parse(text)).toEqual(saved);
    expect(await page.textContent('#editor-status')).toContain('e2e-blank.json');
  });

  it('imports a local scenario file into the editor', async () => {
    const mine = JSON.parse(
      await readFile(join(REPOSITORY_ROOT, 'scenarios', 'two-ramp-vehicles.json'), 'utf8'),
    );
    mine.name = 'Imported merge';
    expect(await page.isVisible('#editor-import-file')).toBe(false); // the button stands for it
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('#editor-import')]);
    await chooser.setFiles(localFile('mine.json', JSON.stringify(mine)));
    await expect.poll(vehicleRows).toBe(5);
    expect(await page.inputValue('#editor-field-name')).toBe('Imported merge');
    expect(await editorDocument()).toMatchObject({ name: 'Imported merge', traffic: mine.traffic });
    expect(await page.textContent('#editor-status')).toContain('mine.json');
    expect(await page.isVisible('#editor-file-issues')).toBe(false);
  });

  it("names a bad file's problems by file and JSON path, with the schema's messages", async () => {
    const bad = JSON.parse(
      await readFile(join(REPOSITORY_ROOT, 'scenarios', 'two-ramp-vehicles.json'), 'utf8'),
    );
    bad.traffic.vehicles[0].speedMps = 'fast';
    await page.setInputFiles('#editor-import-file', localFile('bad-speed.json', JSON.stringify(bad)));
    const banner = page.locator('#editor-file-issues');
    await expect.poll(() => banner.isVisible()).toBe(true);
    await expect.poll(() => banner.textContent()).toContain('bad-speed.json does not validate (1 problem)');
    expect(await banner.textContent()).toContain(
      'traffic.vehicles[0].speedMps: expected number in [0, 40] m/s, received "fast"',
    );
    // Loaded as far as it goes, so it can be fixed here.
    await expect.poll(vehicleRows).toBe(5);
    expect(await page.textContent('#editor-problems')).toContain('traffic.vehicles[0].speedMps');

    await page.setInputFiles('#editor-import-file', localFile('cut.json', '{"version": 1, "name": "cut",\n'));
    await expect.poll(() => banner.textContent()).toContain('cut.json does not validate (1 problem)');
    expect(await banner.textContent()).toMatch(/\(root\): invalid JSON at line \d+, column \d+: /);
    expect(await page.textContent('#editor-status')).toMatch(/cut\.json cannot be loaded/);
    expect(await vehicleRows()).toBe(5); // the editor kept what it had
  });

  it('raised no page errors (CSP included)', () => {
    expect(pageProblems).toEqual([]);
  });
});
