/**
 * End to end: the app's layout at small and common window sizes in Debian's Chromium, on the web
 * host with a project folder of its own: the player's bottom bar at 800×600 (no control over
 * another; no developer readout), the editor's toolbar at 1280 px (one row), and the editor while
 * a huge segment length is typed (the tab stays responsive: the last valid road is drawn).
 */
import { rm } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newWatchedPage, type PlayerSession, startPlayerSession } from '../../src/main/web/browserHarness.js';
import * as editor from './editorPage.js';

const SAMPLE = 'samples/replays/horm-hard-random-seed0.replay';

let session: PlayerSession;
let page: Page;
let projectRoot: string;
const pageProblems: string[] = [];

/** Boxes of the visible children of `selector`, with their ids or text for messages. */
async function childBoxes(selector: string) {
  return page.$$eval(`${selector} > *`, (nodes) =>
    nodes
      .map((node) => {
        const box = node.getBoundingClientRect();
        const name = node.id || node.className || node.textContent?.trim().slice(0, 20) || node.tagName;
        return { name: String(name), left: box.left, right: box.right, top: box.top, bottom: box.bottom };
      })
      .filter((box) => box.right > box.left && box.bottom > box.top),
  );
}

/** Fails when two visible children of `selector` overlap or one reaches past `width`. */
async function expectNoOverlap(selector: string, width: number): Promise<void> {
  const boxes = await childBoxes(selector);
  expect(boxes.length).toBeGreaterThanOrEqual(8);
  for (const [i, a] of boxes.entries()) {
    expect(a.right, a.name).toBeLessThanOrEqual(width);
    for (const b of boxes.slice(i + 1)) {
      const apart =
        a.right <= b.left + 0.5 ||
        b.right <= a.left + 0.5 ||
        a.bottom <= b.top + 0.5 ||
        b.bottom <= a.top + 0.5;
      expect(apart, `${a.name} overlaps ${b.name}`).toBe(true);
    }
  }
}

beforeAll(async () => {
  projectRoot = await editor.makeEditorProject('layout', ['horm-easy']);
  session = await startPlayerSession({ projectRoot });
  page = await newWatchedPage(
    session.browser,
    { viewport: { width: 800, height: 600 }, deviceScaleFactor: 1 },
    pageProblems,
  );
}, 180_000);

afterAll(async () => {
  await session?.close();
  if (projectRoot !== undefined) await rm(projectRoot, { recursive: true, force: true });
});

describe('layout in Chromium', () => {
  it('at 800×600 the player’s bottom bar fits: no control overlaps another, no developer readout', async () => {
    await page.goto(session.host.url);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
    await expect.poll(() => page.isEnabled('#replay-list'), { timeout: 20_000 }).toBe(true);
    await page.selectOption('#replay-list', SAMPLE);
    await expect.poll(() => page.textContent('#step-counter'), { timeout: 20_000 }).toMatch(/ \/ 100$/);
    expect(await page.isVisible('#frame-ms')).toBe(false);
    await expectNoOverlap('footer.transport', 800);
    // With ?debug the readout is there for developers, and the bar still fits (it wraps).
    await page.goto(`${session.host.url}&debug=1`);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
    expect(await page.getAttribute('#frame-ms', 'hidden')).toBeNull();
    await expect.poll(() => page.isEnabled('#replay-list'), { timeout: 20_000 }).toBe(true);
    await page.selectOption('#replay-list', SAMPLE);
    await page.click('#play');
    await expect.poll(() => page.textContent('#frame-ms'), { timeout: 20_000 }).toMatch(/ms\/frame/);
    await expectNoOverlap('footer.transport', 800);
  });

  it('at 1280 px the editor’s toolbar is one row', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await editor.openEditor(page, session.host.url);
    await page.selectOption('#editor-scenario-list', 'scenarios/horm-easy.json');
    await expect.poll(() => page.textContent('#editor-status')).toContain('scenarios/horm-easy.json');
    await expect
      .poll(() => page.locator('#editor-model option').count(), { timeout: 20_000 })
      .toBeGreaterThan(3);
    const boxes = await childBoxes('.editor-toolbar');
    // One row: some horizontal line crosses every control.
    const highestBottom = Math.min(...boxes.map((box) => box.bottom));
    const lowestTop = Math.max(...boxes.map((box) => box.top));
    expect(lowestTop, JSON.stringify(boxes)).toBeLessThan(highestBottom);
  });

  it('a huge road length keeps the tab responsive and the last valid road drawn', async () => {
    const field = '#editor-field-road-beforeMergeM';
    const started = Date.now();
    await page.fill(field, '1e9'); // built as a road, this froze the tab, then crashed it
    await expect
      .poll(() => page.textContent('.form-row[data-path="road.beforeMergeM"] .field-issue'), {
        timeout: 20_000,
      })
      .toContain('expected number in [20, 2000] m');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await page.evaluate('1 + 1')).toBe(2); // the page still answers
  });

  it('raised no page errors (CSP included)', () => {
    expect(pageProblems).toEqual([]);
  });
});
