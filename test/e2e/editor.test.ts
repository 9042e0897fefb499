/**
 * End to end: the scenario editor in Debian's Chromium, on the web host with a project folder of
 * its own (bundled scenarios, samples and the bundled model linked in, runs/ real and empty but for
 * two bad scenario files), as replayPlayer.test.ts drives the player. It opens a scenario, adds and
 * drags a vehicle on the road, edits a field, saves under a new name, reloads the page and reopens
 * the file; shows a bad file's schema messages; and runs a scenario with the idle baseline, which
 * the player shows live as it is simulated, then plays.
 *
 * With STEER_SCREENSHOTS=<dir> (npm run screenshots) the run also saves editor.png there.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
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
const SCREENSHOT_DIR = process.env.STEER_SCREENSHOTS;

let session: PlayerSession;
let page: Page;
let projectRoot: string;
const pageProblems: string[] = [];

async function saveScreenshot(name: string): Promise<void> {
  if (SCREENSHOT_DIR === undefined) return;
  const dir = resolve(REPOSITORY_ROOT, SCREENSHOT_DIR);
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(dir, name) });
}

const editorDocument = () => editor.editorDocument(page);
const worldPoint = (x: number, y: number) => editor.worldPoint(page, x, y);
const vehicleRows = () => editor.vehicleRows(page);
const openEditor = () => editor.openEditor(page, session.host.url);
const vehiclePoint = (index: number) => editor.vehiclePoint(page, index);

beforeAll(async () => {
  projectRoot = await editor.makeEditorProject('editor', ['horm-easy']);
  const bad = JSON.parse(
    await readFile(join(REPOSITORY_ROOT, 'scenarios', 'two-ramp-vehicles.json'), 'utf8'),
  );
  bad.traffic.vehicles[0].speedMps = 'fast';
  bad.road.lenght = 3;
  await writeFile(join(projectRoot, 'runs', 'scenarios', 'bad.json'), JSON.stringify(bad, null, 2));
  await writeFile(join(projectRoot, 'runs', 'scenarios', 'cut.json'), '{"version": 1, "name": "cut",\n');
  session = await startPlayerSession({ projectRoot });
  page = await newWatchedPage(session.browser, { viewport: VIEWPORT, deviceScaleFactor: 1 }, pageProblems);
}, 120_000);

afterAll(async () => {
  await session?.close();
});

describe('scenario editor in Chromium', () => {
  let saved: Record<string, unknown>;

  it('opens a bundled scenario: its vehicles on the road and in the list, no problems', async () => {
    await openEditor();
    await page.selectOption('#editor-scenario-list', 'scenarios/two-ramp-vehicles.json');
    await expect.poll(vehicleRows).toBe(5);
    expect(await page.inputValue('#editor-field-name')).toBe('Two ramp vehicles');
    expect(await page.textContent('#editor-problems')).toMatch(/None: the scenario validates/);
    // Bundled files are read-only: Save is off, Save as is on.
    expect(await page.isDisabled('#editor-save')).toBe(true);
    expect(await page.isDisabled('#editor-save-as')).toBe(false);
  });

  it('adds a vehicle with a click on a lane, drags it along the ramp, edits fields', async () => {
    await page.click('.editor-palette button[data-kind="hdv"]');
    const ramp = await worldPoint(60, 10.5); // the ramp's straight part, lane j-k-0
    await page.mouse.click(ramp.x, ramp.y);
    await expect.poll(vehicleRows).toBe(6);
    let document = await editorDocument();
    let vehicles = (document.traffic as { vehicles: Record<string, unknown>[] }).vehicles;
    expect(vehicles[5]).toMatchObject({ kind: 'hdv', lane: 'j-k-0', speedMps: 25 });
    expect(Math.abs((vehicles[5]!.positionM as number) - 60)).toBeLessThan(1);

    // Drag it 40 m further along the ramp.
    const from = await vehiclePoint(5);
    const to = await worldPoint(100, 10.5);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move((from.x + to.x) / 2, to.y, { steps: 4 });
    await page.mouse.move(to.x, to.y, { steps: 4 });
    await page.mouse.up();
    document = await editorDocument();
    vehicles = (document.traffic as { vehicles: Record<string, unknown>[] }).vehicles;
    expect(vehicles[5]!.lane).toBe('j-k-0');
    expect(Math.abs((vehicles[5]!.positionM as number) - 100)).toBeLessThan(1);
    expect(await page.inputValue('#editor-field-traffic-vehicles-5-positionM')).toBe(
      String(vehicles[5]!.positionM),
    );

    // A bad value is named beside its field with the schema's words, then fixed.
    await page.fill('#editor-field-traffic-vehicles-5-speedMps', 'fast');
    const issue = page.locator('.form-row[data-path="traffic.vehicles[5].speedMps"] .field-issue');
    await expect.poll(() => issue.textContent()).toBe('expected number in [0, 40] m/s, received "fast"');
    expect(await page.textContent('#editor-problems')).toContain(
      'traffic.vehicles[5].speedMps: expected number in [0, 40] m/s, received "fast"',
    );
    expect(await page.isDisabled('#editor-run')).toBe(true);
    await page.fill('#editor-field-traffic-vehicles-5-speedMps', '22.5');
    await expect.poll(() => issue.isHidden()).toBe(true);
    await page.fill('#editor-field-seed', '42');
    await page.fill('#editor-field-name', 'E2E merge');
    await page.selectOption('#editor-field-physics', 'dynamic');
    document = await editorDocument();
    expect(document).toMatchObject({ name: 'E2E merge', seed: 42, physics: 'dynamic' });
    await page.selectOption('#editor-field-physics', 'reference');
    // Select the new vehicle for the picture.
    const at = await vehiclePoint(5);
    await page.mouse.click(at.x, at.y);
    await page.evaluate("document.querySelector('.editor-side').scrollTop = 0");
    await page.waitForTimeout(200);
    await saveScreenshot('editor.png');
  });

  it('density traffic: no vehicles to place, a note says why; the density field appears', async () => {
    const before = await editorDocument();
    await page.selectOption('#editor-field-traffic', 'density');
    await expect.poll(() => page.isVisible('.editor-density-note')).toBe(true);
    expect(await page.isVisible('#editor-field-traffic-density')).toBe(true);
    expect((await editorDocument()).traffic).toEqual({ density: 1 });
    if (process.env.STEER_EDITOR_DEBUG_SHOTS !== undefined) {
      await page.screenshot({ path: join(process.env.STEER_EDITOR_DEBUG_SHOTS, 'density.png') });
    }
    await page.selectOption('#editor-field-traffic', 'vehicles');
    expect(await editorDocument()).toEqual(before); // the list was kept
  });

  it('nudges the selected vehicle with the arrow keys and deletes it with the Delete key', async () => {
    const extra = await worldPoint(30, 0); // main road, lane a-b-0
    await page.click('.editor-palette button[data-kind="cav"]');
    await page.mouse.click(extra.x, extra.y);
    await expect.poll(vehicleRows).toBe(7);
    const placedAt = () =>
      editorDocument().then(
        (d) => (d.traffic as { vehicles: { positionM: number }[] }).vehicles[6]!.positionM,
      );
    const start = await placedAt();
    await page.keyboard.press('Shift+ArrowRight'); // nudge 10 m along the lane
    expect(await placedAt()).toBeCloseTo(start + 10, 6);
    await page.keyboard.press('Delete');
    await expect.poll(vehicleRows).toBe(6);
  });

  it('saves under a new name; after a reload the file opens to the same scenario', async () => {
    await page.fill('#editor-save-name', 'e2e-merge');
    await page.click('#editor-save-as');
    await expect.poll(() => page.textContent('#editor-status')).toBe('saved runs/scenarios/e2e-merge.json');
    saved = await editorDocument();
    const onDisk = JSON.parse(
      await readFile(join(projectRoot, 'runs', 'scenarios', 'e2e-merge.json'), 'utf8'),
    );
    expect(onDisk).toEqual(saved);
    expect(await page.isDisabled('#editor-save')).toBe(false); // now a user file

    await openEditor();
    await page.selectOption('#editor-scenario-list', 'runs/scenarios/e2e-merge.json');
    await expect.poll(vehicleRows).toBe(6);
    expect(await editorDocument()).toEqual(saved);
  });

  it("shows a bad file's schema messages, as steer scenario validate prints them", async () => {
    await page.selectOption('#editor-scenario-list', 'runs/scenarios/bad.json');
    const banner = page.locator('#editor-file-issues');
    await expect.poll(() => banner.isVisible()).toBe(true);
    const text = (await banner.textContent()) ?? '';
    expect(text).toContain('runs/scenarios/bad.json does not validate (2 problems)');
    expect(text).toContain('traffic.vehicles[0].speedMps: expected number in [0, 40] m/s, received "fast"');
    expect(text).toContain(
      'road.lenght: unknown field "lenght"; road takes beforeMergeM, convergingM, mergeM, afterMergeM',
    );
    expect(await page.textContent('#editor-problems')).toContain('traffic.vehicles[0].speedMps');

    await page.selectOption('#editor-scenario-list', 'runs/scenarios/cut.json');
    await expect.poll(() => banner.textContent()).toMatch(/cut\.json does not validate \(1 problem\)/);
    expect(await banner.textContent()).toMatch(/\(root\): invalid JSON at line \d+, column \d+: /);
    expect(await page.textContent('#editor-status')).toMatch(/cut\.json cannot be loaded/);
  });

  it('runs the scenario with the idle baseline live, and the player shows it growing, then playing', async () => {
    await page.selectOption('#editor-scenario-list', 'runs/scenarios/e2e-merge.json');
    await expect.poll(vehicleRows).toBe(6);
    await page.selectOption('#editor-model', JSON.stringify({ kind: 'baseline', policy: 'idle' }));
    await page.check('#editor-record');
    // Every step total the player's counter shows ("step k / total"), seen in the page itself,
    // until the run is over (the status says how many steps were simulated).
    const totals = page.evaluate(`new Promise((resolve) => {
      const seen = [];
      const counter = document.getElementById('step-counter');
      const status = document.getElementById('status');
      const observer = new MutationObserver(() => {
        const total = Number(/ \\/ (\\d+)$/.exec(counter.textContent ?? '')?.[1] ?? NaN);
        if (total > 0 && total !== seen.at(-1)) seen.push(total);
        if (/steps simulated$/.test(status.textContent ?? '')) {
          observer.disconnect();
          resolve(seen);
        }
      });
      for (const node of [counter, status]) {
        observer.observe(node, { childList: true, characterData: true, subtree: true });
      }
    })`) as Promise<number[]>;
    await page.click('#editor-run');
    await expect.poll(() => page.isVisible('#scene'), { timeout: 20_000 }).toBe(true);
    const seen = await totals;
    const final = seen.at(-1)!;
    // Live: at least two growing totals before the final one, which the finished replay shows.
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(await page.textContent('#step-counter')).toBe(`step ${final} / ${final}`);
    await expect.poll(() => page.textContent('#episode-fields'), { timeout: 20_000 }).toContain('E2E merge');
    expect(await page.textContent('#episode-fields')).toContain('idle');
    // Recorded: it is in the player's list, selected.
    const listed = await page.inputValue('#replay-list');
    expect(listed).toMatch(/^runs\/replays\/editor\/e2e-merge-idle-seed42-.*\.replay$/);
    await page.click('#play');
    await expect
      .poll(async () => Number(/step (\d+)/.exec((await page.textContent('#step-counter')) ?? '')?.[1]), {
        timeout: 10_000,
      })
      .toBeGreaterThanOrEqual(5);
    await page.click('#play');
  });

  it('raised no page errors', () => {
    expect(pageProblems).toEqual([]);
  });
});
