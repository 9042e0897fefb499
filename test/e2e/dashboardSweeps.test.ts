/**
 * End to end: the Training tab's Sweeps panel in Debian's Chromium, served by the web host (same
 * harness as dashboard.test.ts), over a fixture runs folder (test/unit/main/sweep/sweepFolderFixture.ts):
 * a sweep with a done, a failed, a stopped and a not-yet-started run, whose done run is the bundled
 * HORM-easy model; a sweep with a damaged status file; a sweep directly under runs/. The sweeps are
 * listed with their counts and progress, the damaged one as one line; selecting a sweep shows its
 * runs; its done run opens in the run view with its curves and checkpoint. Nothing trains.
 */
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newWatchedPage,
  type PlayerSession,
  REPOSITORY_ROOT,
  startPlayerSession,
} from '../../src/main/web/browserHarness.js';
import { GOOD_RUNS, writeSweepFixture } from '../unit/main/sweep/sweepFolderFixture.js';

const VIEWPORT = { width: 1440, height: 900 };
const GOOD = 'li[data-sweep="sweeps/good"]';

let session: PlayerSession;
let page: Page;
let projectRoot: string;
const pageProblems: string[] = [];

beforeAll(async () => {
  projectRoot = await mkdtemp(join(tmpdir(), 'steer-e2e-sweeps-'));
  await writeSweepFixture(join(projectRoot, 'runs'), async (dir) => {
    await mkdir(dir, { recursive: true });
    await cp(join(REPOSITORY_ROOT, 'models', 'horm-easy'), dir, { recursive: true });
  });
  session = await startPlayerSession({ projectRoot });
  page = await newWatchedPage(session.browser, { viewport: VIEWPORT, deviceScaleFactor: 1 }, pageProblems);
}, 120_000);

afterAll(async () => {
  await session?.close();
  if (projectRoot !== undefined) await rm(projectRoot, { recursive: true, force: true });
});

describe('sweeps in the Training tab', () => {
  it('lists the sweeps under runs/ with their counts and progress; a damaged one as one line', async () => {
    await page.goto(`${session.host.url}&tab=Training`);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
    await page.waitForSelector(GOOD, { timeout: 10_000 });
    const paths = await page.$$eval('#sweep-list li[data-sweep]', (nodes) =>
      nodes.map((node) => (node as unknown as { dataset: { sweep: string } }).dataset.sweep),
    );
    expect(paths).toEqual(['l', 'sweeps/damaged', 'sweeps/good']);
    expect(await page.textContent(`${GOOD} .sweep-counts`)).toBe(
      '4 runs: 1 done, 0 running, 1 failed, 2 queued',
    );
    expect(await page.textContent(`${GOOD} .counter`)).toBe('70 / 160');
    expect(await page.textContent(`${GOOD} .badge`)).toBe('failed');
    const damaged = 'li[data-sweep="sweeps/damaged"]';
    expect(await page.textContent(`${damaged} .run-error`)).toMatch(
      /^runs\/sweeps\/damaged\/sweep-status\.json: formatVersion: /,
    );
    expect(await page.textContent(`${damaged} .badge`)).toBe('unreadable');
    // the sweeps' runs are not run folders of the run list
    expect(await page.$$('li[data-run^="sweeps"]')).toEqual([]);
    expect(await page.isHidden('#sweep-runs')).toBe(true);
  });

  it("shows a selected sweep's runs: state, update / total, a failed run's error line", async () => {
    await page.click(`${GOOD} .run-pick`);
    await page.waitForSelector('#sweep-runs tr[data-sweep-run]');
    const rows = await page.$$eval('#sweep-runs tr[data-sweep-run]', (nodes) =>
      nodes.map((node) => {
        const row = node as unknown as { dataset: { sweepRun: string; state: string }; textContent: string };
        return [row.dataset.sweepRun, row.dataset.state];
      }),
    );
    expect(rows).toEqual([
      [GOOD_RUNS.done, 'done'],
      [GOOD_RUNS.failed, 'failed'],
      [GOOD_RUNS.stale, 'queued'],
      [GOOD_RUNS.missing, 'queued'],
    ]);
    expect(await page.textContent(`tr[data-sweep-run="${GOOD_RUNS.failed}"] .counter`)).toBe('10 / 40');
    expect(await page.textContent('#sweep-runs .sweep-run-error')).toBe(
      'Error: backend "tfjs-node" is not available',
    );
    // a run without a folder cannot be opened
    expect(await page.$$(`tr[data-sweep-run="${GOOD_RUNS.missing}"] button`)).toEqual([]);
  });

  it('opens a run of the sweep in the run view: its header, curves and checkpoint', async () => {
    await page.click(`tr[data-sweep-run="${GOOD_RUNS.done}"] button`);
    const runId = `sweeps/good/${GOOD_RUNS.done}`;
    await expect.poll(() => page.textContent('#run-title'), { timeout: 10_000 }).toBe(`runs/${runId}`);
    expect(await page.getAttribute(`tr[data-sweep-run="${GOOD_RUNS.done}"]`, 'aria-selected')).toBe('true');
    await expect
      .poll(() => page.getAttribute('[data-chart="crash"]', 'data-points').then(Number), { timeout: 20_000 })
      .toBeGreaterThan(600);
    await expect
      .poll(() => page.textContent('#checkpoint-list'), { timeout: 10_000 })
      .toMatch(/latest: update 648/);
    const fields = await page.textContent('#run-fields');
    expect(fields).toContain('good');
    expect(fields).toContain(GOOD_RUNS.done);
  });

  it('raised no page errors (CSP included)', () => {
    expect(pageProblems).toEqual([]);
  });
});
