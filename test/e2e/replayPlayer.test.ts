/**
 * End to end: the replay player in Debian's Chromium (headless, SwiftShader WebGL), served by the
 * web host on a free port, driven with playwright-core (docs/design.md "Testing the renderer here").
 * The renderer is built fresh with vite into a temporary folder, so a fresh clone needs nothing
 * prebuilt. A missing /usr/bin/chromium fails the suite with the install command; nothing is
 * skipped.
 *
 * With STEER_SCREENSHOTS=<dir> (npm run screenshots) the run also saves the documentation
 * screenshots there (player.png, player-top.png, player-crash.png).
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newWatchedPage,
  type PlayerSession,
  REPOSITORY_ROOT,
  startPlayerSession,
} from '../../src/main/web/browserHarness.js';
import { decodePngGrey, type GreyImage, greyStdDev, meanAbsDiff } from './png.js';

const SAMPLE = 'samples/replays/horm-hard-random-seed0.replay'; // 100 decisions, no crash
const CRASH_SAMPLE = 'samples/replays/horm-hard-random-seed4.replay'; // 72 decisions, agent 3 crashes
const VIEWPORT = { width: 1280, height: 720 };
const SCREENSHOT_DIR = process.env.STEER_SCREENSHOTS;

let session: PlayerSession;
let page: Page;
/** Page errors and console errors collected over the suite: there must be none. */
const pageProblems: string[] = [];

/** What the player publishes on window (src/renderer/main.ts). */
interface ProbeView {
  opens: { path: string; ms: number; decodeMs: number }[];
  framesRendered: number;
  /** Where the scene draws, and the frames the renderer worker drew. */
  renderPath: string;
  workerFramesDrawn: number;
}

async function probe(on: Page = page): Promise<ProbeView> {
  return (await on.evaluate(
    'JSON.parse(JSON.stringify({ opens: window.steerProbe.opens, framesRendered: window.steerProbe.framesRendered, renderPath: window.steerProbe.renderPath, workerFramesDrawn: window.steerProbe.workerFramesDrawn }))',
  )) as ProbeView;
}

async function counter(): Promise<string> {
  return (await page.textContent('#step-counter')) ?? '';
}

/** Waits until the step counter reads `text`. */
async function expectCounter(text: string): Promise<void> {
  await expect.poll(counter, { timeout: 5000, interval: 50 }).toBe(text);
}

/** The step number the counter shows. */
async function shownStep(): Promise<number> {
  return Number(/step (\d+)/.exec(await counter())?.[1] ?? Number.NaN);
}

/** The canvas, as grey levels, via a real screenshot. */
async function canvasShot(): Promise<GreyImage> {
  return decodePngGrey(await page.locator('#scene').screenshot());
}

/** Moves the scrub slider as a user does (input event). */
async function scrubTo(step: number): Promise<void> {
  await page.evaluate(
    `(() => { const s = document.getElementById('scrub'); s.value = '${step}'; s.dispatchEvent(new Event('input')); })()`,
  );
}

async function saveScreenshot(name: string): Promise<void> {
  if (SCREENSHOT_DIR === undefined) return;
  const dir = resolve(REPOSITORY_ROOT, SCREENSHOT_DIR);
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(dir, name) });
}

beforeAll(async () => {
  const started = performance.now();
  // A project folder of its own: the bundled samples, plus a damaged file in runs/.
  const projectRoot = join(
    (await import('node:os')).tmpdir(),
    `steer-e2e-project-${process.pid}-${Date.now().toString(36)}`,
  );
  await mkdir(join(projectRoot, 'runs', 'demo'), { recursive: true });
  await symlink(join(REPOSITORY_ROOT, 'samples'), join(projectRoot, 'samples'), 'dir');
  await writeFile(join(projectRoot, 'runs', 'demo', 'broken.replay'), 'not a replay\n');
  session = await startPlayerSession({ projectRoot });
  page = await newWatchedPage(session.browser, { viewport: VIEWPORT, deviceScaleFactor: 1 }, pageProblems);
  console.log(
    `e2e setup: renderer built in ${(session.buildMs / 1000).toFixed(1)} s, ready in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}, 120_000);

afterAll(async () => {
  await session?.close();
});

describe('replay player in Chromium', () => {
  it('loads with the token and lists the samples (and marks a damaged file unreadable)', async () => {
    await page.goto(session.host.url);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
    const options = await page.$$eval('#replay-list option', (nodes) =>
      nodes.map((node) => {
        const option = node as unknown as { value: string; disabled: boolean; title: string };
        return { value: option.value, disabled: option.disabled, title: option.title };
      }),
    );
    expect(options.map((o) => o.value)).toEqual(
      expect.arrayContaining([SAMPLE, CRASH_SAMPLE, 'runs/demo/broken.replay']),
    );
    const broken = options.find((o) => o.value === 'runs/demo/broken.replay')!;
    expect(broken.disabled).toBe(true);
    expect(broken.title).toMatch(/not a STEER replay/);
  });

  let firstFrame: GreyImage;

  it('draws the scene in the renderer worker (this Chromium has OffscreenCanvas)', async () => {
    expect(await page.getAttribute('#viewport', 'data-render')).toBe('worker');
    expect((await probe()).renderPath).toBe('worker');
  });

  it('opens a sample from the list and draws a non-blank first frame', async () => {
    await page.selectOption('#replay-list', SAMPLE);
    await expectCounter('step 0 / 100');
    // The opening is recorded once the worker reports its first frame drawn.
    await expect.poll(async () => (await probe()).opens.length, { timeout: 5000, interval: 50 }).toBe(1);
    const { opens } = await probe();
    expect(opens[0]!.path).toBe(SAMPLE);
    // The benchmark measures this properly; here only a sanity bound on a loaded CI machine.
    expect(opens[0]!.ms).toBeLessThan(2000);
    await page.waitForTimeout(1200); // let the camera settle on the agents
    firstFrame = await canvasShot();
    expect(firstFrame.width).toBeGreaterThan(600);
    expect(greyStdDev(firstFrame)).toBeGreaterThan(8); // road, markings, vehicles: not one flat colour
    expect(await page.textContent('#episode-fields')).toContain('HORM hard (horm:density-3)');
  });

  it('plays: the counter advances and the picture changes', async () => {
    await page.click('#play');
    await expect.poll(shownStep, { timeout: 10_000, interval: 50 }).toBeGreaterThanOrEqual(6);
    // The worker draws while playing and reports its frames every half second (slower on a busy machine).
    await expect
      .poll(async () => (await probe()).workerFramesDrawn, { timeout: 10_000, interval: 100 })
      .toBeGreaterThan(30);
    await page.click('#play'); // pause
    const paused = await counter();
    await page.waitForTimeout(400);
    expect(await counter()).toBe(paused); // paused means paused
    const later = await canvasShot();
    expect(meanAbsDiff(firstFrame, later)).toBeGreaterThan(0.5);
    const { framesRendered, workerFramesDrawn } = await probe();
    expect(framesRendered).toBeGreaterThan(30);
    expect(workerFramesDrawn).toBeGreaterThan(30);
  });

  it('scrub and step buttons move the step counter, and so do the keys', async () => {
    await scrubTo(50);
    await expectCounter('step 50 / 100');
    await page.click('#step-forward');
    await expectCounter('step 51 / 100');
    await page.click('#step-back');
    await page.click('#step-back');
    await expectCounter('step 49 / 100');
    await page.locator('#scene').focus();
    await page.keyboard.press('ArrowRight');
    await expectCounter('step 50 / 100');
    await page.keyboard.press('End');
    await expectCounter('step 100 / 100');
    await page.keyboard.press('Home');
    await expectCounter('step 0 / 100');
    // Scrubbed frames look different: vehicles 30 steps on are elsewhere.
    const start = await canvasShot();
    await scrubTo(30);
    await expectCounter('step 30 / 100');
    await page.waitForTimeout(1500);
    expect(meanAbsDiff(start, await canvasShot())).toBeGreaterThan(0.5);
  });

  it('selects a vehicle from the list and from the canvas, and shows its decision', async () => {
    // Agent 3 is on the on-ramp at step 30: the documentation screenshot shows ramp and merge.
    await page.click('button[data-vehicle="3"]');
    await expect.poll(() => page.textContent('#vehicle-title')).toContain('agent 3');
    const fields = (await page.textContent('#vehicle-fields')) ?? '';
    for (const label of [
      'speed',
      'lane',
      'rank',
      'proposed',
      'executed',
      'value',
      'reward',
      'return so far',
    ]) {
      expect(fields).toContain(label);
    }
    expect(fields).toContain('j-k-0 (on-ramp)');
    await page.waitForTimeout(1500); // the orbit camera glides to the selected vehicle
    await saveScreenshot('player.png');
    // Click, where it is drawn, the other vehicle nearest the middle of the view.
    const points = (await page.evaluate(
      'Promise.all(Array.from({ length: 9 }, (_, i) => window.steerPlayer.vehicleScreenPoint(i)))',
    )) as ({ x: number; y: number } | null)[];
    const centre = { x: VIEWPORT.width * 0.375, y: VIEWPORT.height / 2 };
    const target = points
      .map((point, vehicle) => ({ point, vehicle }))
      .filter(
        (c): c is { point: { x: number; y: number }; vehicle: number } => c.point !== null && c.vehicle !== 3,
      )
      .sort(
        (a, b) =>
          Math.hypot(a.point.x - centre.x, a.point.y - centre.y) -
          Math.hypot(b.point.x - centre.x, b.point.y - centre.y),
      )[0];
    expect(target).toBeDefined();
    await page.mouse.click(target!.point.x, target!.point.y);
    await expect.poll(() => page.textContent('#vehicle-title')).toContain(`#${target!.vehicle} `);
  });

  it('switches to the top and follow views, each drawing something', async () => {
    await page.click('button[data-view="top"]');
    await page.waitForTimeout(1200);
    const top = await canvasShot();
    expect(greyStdDev(top)).toBeGreaterThan(5);
    await saveScreenshot('player-top.png');
    await page.click('button[data-view="follow"]');
    await page.waitForTimeout(1200);
    const follow = await canvasShot();
    expect(greyStdDev(follow)).toBeGreaterThan(5);
    expect(meanAbsDiff(top, follow)).toBeGreaterThan(1);
    await page.click('button[data-view="orbit"]');
  });

  it('turns the orbit camera on a drag and zooms the top view on the wheel (input reaches the worker)', async () => {
    await page.waitForTimeout(1200); // back in the orbit view: let it settle
    const before = await canvasShot();
    const title = await page.textContent('#vehicle-title');
    const box = (await page.locator('#scene').boundingBox())!;
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    for (let k = 1; k <= 10; k++) await page.mouse.move(x + k * 20, y + k * 4);
    await page.mouse.up();
    await page.waitForTimeout(800);
    const turned = await canvasShot();
    expect(meanAbsDiff(before, turned)).toBeGreaterThan(1);
    expect(await page.textContent('#vehicle-title')).toBe(title); // a drag is not a click: no new selection
    await page.click('button[data-view="top"]');
    await page.waitForTimeout(1200);
    const top = await canvasShot();
    await page.mouse.move(x, y);
    await page.mouse.wheel(0, 600);
    await page.waitForTimeout(800);
    expect(meanAbsDiff(top, await canvasShot())).toBeGreaterThan(0.5);
    await page.click('button[data-view="orbit"]');
  });

  it('opens a local file through the file input, crash included', async () => {
    await page.setInputFiles('#replay-file', join(REPOSITORY_ROOT, CRASH_SAMPLE));
    await expectCounter('step 0 / 72');
    expect(await page.textContent('#episode-fields')).toContain('agent 3 crashed at step 72');
    await page.keyboard.press('End');
    await expectCounter('step 72 / 72');
    await page.click('button[data-vehicle="3"]');
    await expect.poll(() => page.textContent('#vehicle-fields')).toContain('crashed');
    await page.waitForTimeout(1500);
    await saveScreenshot('player-crash.png');
  });

  it('says why a damaged file cannot be opened', async () => {
    await page.setInputFiles('#replay-file', {
      name: 'notes.replay',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('{"name": "not a replay"}'),
    });
    await expect
      .poll(() => page.textContent('#message'))
      .toMatch(/Cannot open notes\.replay: not a STEER replay/);
  });

  it('falls back to drawing on the main thread where canvases cannot be handed to a worker', async () => {
    const other = await newWatchedPage(
      session.browser,
      { viewport: VIEWPORT, deviceScaleFactor: 1 },
      pageProblems,
    );
    const said: string[] = [];
    other.on('console', (message) => said.push(message.text()));
    await other.addInitScript('delete HTMLCanvasElement.prototype.transferControlToOffscreen');
    await other.goto(`${session.host.url}&replay=${SAMPLE}`);
    await other.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
    expect(await other.getAttribute('#viewport', 'data-render')).toBe('main-thread');
    expect(said).toContain(
      'player: the 3-D view draws on the main thread (this browser has no OffscreenCanvas)',
    );
    await expect.poll(async () => (await probe(other)).opens.length, { timeout: 5000, interval: 50 }).toBe(1);
    await other.waitForTimeout(1200);
    const first = decodePngGrey(await other.locator('#scene').screenshot());
    expect(greyStdDev(first)).toBeGreaterThan(8);
    await other.evaluate(
      `(() => { const s = document.getElementById('scrub'); s.value = '30'; s.dispatchEvent(new Event('input')); })()`,
    );
    await expect.poll(() => other.textContent('#step-counter')).toBe('step 30 / 100');
    await other.waitForTimeout(1500);
    expect(meanAbsDiff(first, decodePngGrey(await other.locator('#scene').screenshot()))).toBeGreaterThan(
      0.5,
    );
    await other.close();
  });

  it('refuses a wrong or missing token: no API, a message that says so', async () => {
    for (const url of [`${session.host.origin}/?token=wrong`, `${session.host.origin}/`]) {
      const other = await session.browser.newPage({ viewport: VIEWPORT });
      await other.goto(url);
      await other.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
      expect(await other.textContent('#message')).toMatch(/refused the connection.*token/);
      expect(await other.isDisabled('#replay-list')).toBe(true);
      await other.close();
    }
  });

  it('raised no page errors', () => {
    // The refused pages log the failed WebSocket handshake (HTTP 401): expected, nothing else.
    const unexpected = pageProblems.filter((p) => !/WebSocket connection to .* failed/.test(p));
    expect(unexpected).toEqual([]);
  });
});
