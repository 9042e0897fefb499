/**
 * End to end: the Training tab in Debian's Chromium, served by the web host, with the job service
 * training in real worker threads (same harness as replayPlayer.test.ts: vite build into a
 * temporary folder, playwright-core, SwiftShader). The Algorithm selector lists the registry with
 * each algorithm's summary as its hint. A tiny matrix job (STEER, the selector's default) is started
 * from the form, its curves grow while the page keeps polling (the chart's pixels change, not only
 * its point count), it stops with a checkpoint, resumes past that update and stops again; a tiny
 * MAPPO job picked in the selector trains to the end and is listed, headed and saved as MAPPO's; the
 * bundled HORM model (copied in as a run) is evaluated with a recorded replay that opens in the
 * player.
 *
 * With STEER_SCREENSHOTS=<dir> the run also saves docs' dashboard.png there.
 */
import { cp, mkdir, readFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALGORITHM_NAMES, algorithmNamed } from '../../src/core/algos/registry.js';
import {
  newWatchedPage,
  type PlayerSession,
  REPOSITORY_ROOT,
  startPlayerSession,
} from '../../src/main/web/browserHarness.js';
import { changedPixels, decodePngGrey, greyStdDev } from './png.js';

const VIEWPORT = { width: 1440, height: 900 };
const SCREENSHOT_DIR = process.env.STEER_SCREENSHOTS;
const JOB = 'e2e-matrix';
const MAPPO_JOB = 'e2e-mappo';

let session: PlayerSession;
let page: Page;
let projectRoot: string;
const pageProblems: string[] = [];

/** Updates drawn by a chart card (its data-points attribute). */
async function points(chart: string): Promise<number> {
  return Number(await page.getAttribute(`[data-chart="${chart}"]`, 'data-points'));
}

async function runStatus(runId: string): Promise<string | null> {
  return page.getAttribute(`li[data-run="${runId}"]`, 'data-status');
}

beforeAll(async () => {
  projectRoot = join(tmpdir(), `steer-e2e-dashboard-${process.pid}-${Date.now().toString(36)}`);
  await mkdir(join(projectRoot, 'runs'), { recursive: true });
  await symlink(join(REPOSITORY_ROOT, 'scenarios'), join(projectRoot, 'scenarios'), 'dir');
  await symlink(join(REPOSITORY_ROOT, 'samples'), join(projectRoot, 'samples'), 'dir');
  // The bundled HORM-easy model is a complete run folder: evaluate it as one.
  await cp(join(REPOSITORY_ROOT, 'models', 'horm-easy'), join(projectRoot, 'runs', 'horm-easy'), {
    recursive: true,
  });
  session = await startPlayerSession({ projectRoot });
  page = await newWatchedPage(session.browser, { viewport: VIEWPORT, deviceScaleFactor: 1 }, pageProblems);
}, 120_000);

afterAll(async () => {
  await session?.close();
});

describe('training dashboard in Chromium', () => {
  it('opens the Training tab with the bundled scenarios and the runs on disk', async () => {
    await page.goto(`${session.host.url}&tab=Training`);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
    expect(await page.getAttribute('button[data-tab="Training"]', 'aria-selected')).toBe('true');
    expect(await page.isVisible('#training-view')).toBe(true);
    const sources = await page.$$eval('#job-source option', (nodes) =>
      nodes.map((node) => (node as unknown as { value: string }).value),
    );
    expect(sources).toEqual(
      expect.arrayContaining([
        'scenario:scenarios/horm-easy.json',
        'env:matrix:penalty0',
        'env:horm:density-1',
      ]),
    );
    // The bundled model stopped at update 648 of its 1250; it is STEER's (its config predates algo).
    await page.waitForSelector('li[data-run="horm-easy"][data-status="partial"]');
    expect(await page.textContent('li[data-run="horm-easy"] .counter')).toBe('648 / 1250');
    expect(await page.getAttribute('li[data-run="horm-easy"]', 'data-algo')).toBe('steer');
  });

  it("lists every algorithm of the registry, steer first chosen, the chosen one's summary as the hint", async () => {
    const algos = await page.$$eval('#job-algo option', (nodes) =>
      nodes.map((node) => (node as unknown as { value: string }).value),
    );
    expect(algos).toEqual([...ALGORITHM_NAMES]);
    expect(algos).toEqual(expect.arrayContaining(['steer', 'mappo', 'happo', 'mat', 'step']));
    expect(await page.inputValue('#job-algo')).toBe('steer');
    expect(await page.textContent('#job-algo-hint')).toBe(algorithmNamed('steer').summary);
    await page.selectOption('#job-algo', 'mappo');
    expect(await page.textContent('#job-algo-hint')).toBe(algorithmNamed('mappo').summary);
    await page.selectOption('#job-algo', 'steer');
    expect(await page.textContent('#job-algo-hint')).toBe(algorithmNamed('steer').summary);
  });

  it('starts a tiny job whose curves grow while it trains, then stops it with a checkpoint', async () => {
    await page.selectOption('#job-source', 'env:matrix:penalty0');
    await page.fill('#job-updates', '40');
    await page.selectOption('#job-backend', 'cpu');
    await page.fill('#job-run-id', JOB);
    await page.click('#job-start');
    await expect.poll(() => runStatus(JOB), { timeout: 30_000 }).toMatch(/starting|running/);
    expect(await page.getAttribute(`li[data-run="${JOB}"]`, 'aria-selected')).toBe('true');
    expect(await page.getAttribute(`li[data-run="${JOB}"]`, 'data-algo')).toBe('steer');

    await expect.poll(() => points('losses'), { timeout: 90_000, interval: 200 }).toBeGreaterThanOrEqual(2);
    // Screenshot first, then read the count: the second picture is taken with strictly more points.
    const lossCanvas = page.locator('[data-chart="losses"] canvas').first();
    const before = decodePngGrey(await lossCanvas.screenshot());
    const first = await points('losses');
    await expect.poll(() => points('losses'), { timeout: 60_000, interval: 200 }).toBeGreaterThan(first);
    for (const chart of ['return', 'crash', 'entropy']) expect(await points(chart)).toBeGreaterThanOrEqual(2);
    const after = decodePngGrey(await lossCanvas.screenshot());
    expect(greyStdDev(after)).toBeGreaterThan(3); // axes, grid and curves: not a blank panel
    // The drawing itself changed as the curve grew, not only the data-points attribute.
    expect(changedPixels(before, after)).toBeGreaterThan(20);
    expect(await page.textContent(`li[data-run="${JOB}"] .counter`)).toMatch(/^\d+ \/ 40$/);

    await page.click(`li[data-run="${JOB}"] button[data-action="stop"]`);
    await expect.poll(() => runStatus(JOB), { timeout: 60_000 }).toBe('stopped');
    await expect
      .poll(() => page.textContent('#checkpoint-list'), { timeout: 10_000 })
      .toMatch(/latest: update \d+/);
    expect(await page.isVisible(`li[data-run="${JOB}"] button[data-action="resume"]`)).toBe(true);
  });

  it('resumes the stopped job from its checkpoint: it trains past the update it stopped at', async () => {
    const counter = `li[data-run="${JOB}"] .counter`;
    const atStop = Number((await page.textContent(counter))?.match(/^(\d+) \/ 40$/)?.[1]);
    expect(atStop).toBeGreaterThan(0);
    expect(atStop).toBeLessThan(40);
    await page.click(`li[data-run="${JOB}"] button[data-action="resume"]`);
    await expect.poll(() => runStatus(JOB), { timeout: 30_000 }).toMatch(/starting|running|complete/);
    const updates = async () => Number((await page.textContent(counter))?.match(/^(\d+) \/ 40$/)?.[1]);
    await expect.poll(updates, { timeout: 90_000, interval: 200 }).toBeGreaterThan(atStop);
    // Stop it again so the evaluation below has the CPU (unless it just finished its 40 updates).
    const stop = page.locator(`li[data-run="${JOB}"] button[data-action="stop"]`);
    if ((await runStatus(JOB)) === 'running') {
      await stop.click({ timeout: 5_000 }).catch(async (error: unknown) => {
        if ((await runStatus(JOB)) !== 'complete') throw error;
      });
    }
    await expect.poll(() => runStatus(JOB), { timeout: 60_000 }).toMatch(/^(stopped|complete)$/);
    expect(await updates()).toBeGreaterThan(atStop);
  });

  it('starts a MAPPO job picked in the selector: it trains, and is listed, headed and saved as MAPPO', async () => {
    await page.selectOption('#job-source', 'env:matrix:penalty0');
    await page.selectOption('#job-algo', 'mappo');
    await page.fill('#job-updates', '2');
    await page.selectOption('#job-backend', 'cpu');
    await page.fill('#job-run-id', MAPPO_JOB);
    await page.click('#job-start');
    await expect.poll(() => runStatus(MAPPO_JOB), { timeout: 30_000 }).toMatch(/starting|running|complete/);
    await expect.poll(() => runStatus(MAPPO_JOB), { timeout: 90_000 }).toBe('completed');
    const entry = `li[data-run="${MAPPO_JOB}"]`;
    expect(await page.getAttribute(entry, 'data-algo')).toBe('mappo');
    expect(await page.textContent(`${entry} .run-what`)).toMatch(/^mappo · matrix:penalty0 · seed 1\b/);
    expect(await page.textContent(`${entry} .counter`)).toBe('2 / 2');
    // the run header (the new job is selected) names it too
    await expect.poll(() => page.textContent('#run-fields'), { timeout: 10_000 }).toContain('mappo');
    // the host trained what the form sent: the run folder's config says so
    const config = JSON.parse(await readFile(join(projectRoot, 'runs', MAPPO_JOB, 'config.json'), 'utf8'));
    expect(config.train.algo).toBe('mappo');
    // the other runs keep theirs
    expect(await page.getAttribute(`li[data-run="${JOB}"]`, 'data-algo')).toBe('steer');
  });

  it('evaluates the HORM run, records a replay and opens it in the player', async () => {
    await page.click('li[data-run="horm-easy"] .run-pick');
    await expect.poll(() => points('crash'), { timeout: 10_000 }).toBeGreaterThan(600);
    await page.fill('#evaluate-episodes', '1');
    await page.click('#evaluate');
    const replay = page.locator('#evaluate-replays button[data-replay]');
    await replay.waitFor({ timeout: 90_000 });
    expect(await replay.getAttribute('data-replay')).toMatch(
      /^runs\/horm-easy\/replays\/update-\d+\/eval-\d+\/episode-0-seed-10000\.replay$/,
    );
    expect(await page.textContent('#evaluate-fields')).toContain('crash rate (any CAV)');
    if (SCREENSHOT_DIR !== undefined) {
      const dir = resolve(REPOSITORY_ROOT, SCREENSHOT_DIR);
      await mkdir(dir, { recursive: true });
      await page.screenshot({ path: join(dir, 'dashboard.png') });
    }
    await replay.click();
    await expect.poll(() => page.getAttribute('button[data-tab="Player"]', 'aria-selected')).toBe('true');
    // "step 0 / 0" shows before any replay: wait for one with steps, played by the STEER policy.
    await expect
      .poll(() => page.textContent('#step-counter'), { timeout: 20_000 })
      .toMatch(/^step 0 \/ [1-9]\d*$/);
    await expect.poll(() => page.textContent('#episode-fields'), { timeout: 20_000 }).toContain('steer');
  });

  it('raised no page errors (CSP included)', () => {
    expect(pageProblems).toEqual([]);
  });
});
