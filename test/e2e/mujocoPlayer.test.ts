/**
 * End to end: a MuJoCo replay (format version 2) in the player, in Debian's Chromium as the other
 * player tests (replayPlayer.test.ts). A real HalfCheetah 6x1 episode is recorded here (1000 steps
 * of a scripted sine gait, no trained model needed) into a project folder of its own; the test
 * opens it from the list and checks that the robot is drawn with each agent's body in its colour
 * (read from the picture at the point the renderer worker says the body is drawn), that the panels
 * list the agents leader first with their actions and that scrubbing moves the legs. Then the
 * Training tab: a tiny HalfCheetah run trained here shows its evaluation return curve, is evaluated
 * from the tab, and its recorded replay opens in the player. Last, a HORM replay opened next is
 * drawn as before.
 *
 * With STEER_SCREENSHOTS=<dir> (npm run screenshots) it saves player-mujoco.png there.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMujoco, makeMujocoEnv } from '../../src/core/envs/mujoco/index.js';
import { MujocoReplayRecorder } from '../../src/core/replay/index.js';
import {
  newWatchedPage,
  type PlayerSession,
  REPOSITORY_ROOT,
  startPlayerSession,
} from '../../src/main/web/browserHarness.js';
import { RANK_COLOURS_HEX, ROBOT_FRAME_COLOUR_HEX } from '../../src/renderer/scene/palette.js';
import { steer } from '../unit/main/cli/runCliInProcess.js';
import { decodePngGrey, decodePngRgb, greyStdDev, meanAbsDiff, type RgbImage } from './png.js';

const REPLAY = 'runs/cheetah/replays/episode-0-seed-3.replay';
const HORM_SAMPLE = 'samples/replays/horm-hard-random-seed0.replay';
const VIEWPORT = { width: 1280, height: 720 };
const SCREENSHOT_DIR = process.env.STEER_SCREENSHOTS;
/**
 * HalfCheetah 6x1's leg bodies by agent: agent j's action drives actuator j (bthigh, bshin, bfoot,
 * fthigh, fshin, ffoot: docs/spec/bridges.md §1.9), whose joint moves body AGENT_BODIES[j].
 */
const AGENT_BODIES = [2, 3, 4, 5, 6, 7];
const TORSO = 1;

let session: PlayerSession;
let page: Page;
const pageProblems: string[] = [];

/**
 * Records a 1000-step HalfCheetah 6x1 episode driven by a sine gait (each joint half a radian behind
 * the one before): it runs forward upright, about 39 m.
 */
async function recordCheetah(): Promise<Uint8Array> {
  await loadMujoco();
  const env = makeMujocoEnv('HalfCheetah-6x1');
  try {
    const recorder = new MujocoReplayRecorder(env, {
      seed: 3,
      model: { name: 'sine gait' },
      createdAt: '2026-12-08T00:00:00.000Z',
    });
    recorder.start(env.reset(3));
    const actions = new Float64Array(6);
    for (let t = 0; ; t++) {
      for (let j = 0; j < 6; j++) actions[j] = 0.6 * Math.sin((2 * Math.PI * t) / 10 + 0.5 * j);
      const transition = env.step(actions);
      recorder.record(actions, transition);
      if (transition.episodeDone) break;
    }
    return recorder.finish();
  } finally {
    env.close();
  }
}

async function counter(): Promise<string> {
  return (await page.textContent('#step-counter')) ?? '';
}

async function expectCounter(text: string): Promise<void> {
  await expect.poll(counter, { timeout: 5000, interval: 50 }).toBe(text);
}

async function scrubTo(step: number): Promise<void> {
  await page.evaluate(
    `(() => { const s = document.getElementById('scrub'); s.value = '${step}'; s.dispatchEvent(new Event('input')); })()`,
  );
}

/** Where the worker draws body `index`'s first geom (client coordinates), or null. */
async function bodyPoint(index: number): Promise<{ x: number; y: number } | null> {
  return (await page.evaluate(`window.steerPlayer.vehicleScreenPoint(${index})`)) as {
    x: number;
    y: number;
  } | null;
}

/** Chromaticity (r, g) / (r + g + b): the same for a colour lit brighter or darker. */
function chroma(r: number, g: number, b: number): [number, number] {
  const sum = Math.max(r + g + b, 1);
  return [r / sum, g / sum];
}

function hexChroma(hex: string): [number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return chroma(value >> 16, (value >> 8) & 0xff, value & 0xff);
}

/** Which of `palette` the mean colour of the 3×3 pixels around (x, y) of `image` is nearest to. */
function nearestColour(image: RgbImage, x: number, y: number, palette: readonly string[]): string {
  let r = 0;
  let g = 0;
  let b = 0;
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const at = 3 * ((Math.round(y) + dy) * image.width + Math.round(x) + dx);
      r += image.rgb[at]!;
      g += image.rgb[at + 1]!;
      b += image.rgb[at + 2]!;
    }
  }
  const [cr, cg] = chroma(r, g, b);
  const distance = (hex: string) => {
    const [pr, pg] = hexChroma(hex);
    return Math.hypot(cr - pr, cg - pg);
  };
  return palette.reduce((best, hex) => (distance(hex) < distance(best) ? hex : best));
}

beforeAll(async () => {
  const projectRoot = join(tmpdir(), `steer-e2e-mujoco-${process.pid}-${Date.now().toString(36)}`);
  await mkdir(join(projectRoot, 'runs', 'cheetah', 'replays'), { recursive: true });
  await symlink(join(REPOSITORY_ROOT, 'samples'), join(projectRoot, 'samples'), 'dir');
  await writeFile(join(projectRoot, REPLAY), await recordCheetah());
  const trained = await steer(
    [
      'train',
      ...['--env', 'mujoco:HalfCheetah-6x1', '--updates', '1', '--eval-episodes', '1', '--out', 'runs/tiny'],
      ...[
        '--set',
        'numEnvs=2',
        '--set',
        'episodeLength=10',
        '--set',
        'numMinibatches=1',
        '--set',
        'ppoEpochs=1',
      ],
      ...['--backend', 'wasm'],
    ],
    projectRoot,
  );
  if (trained.code !== 0) throw new Error(`steer train failed: ${trained.stderr}`);
  session = await startPlayerSession({ projectRoot });
  page = await newWatchedPage(session.browser, { viewport: VIEWPORT, deviceScaleFactor: 1 }, pageProblems);
}, 120_000);

afterAll(async () => {
  await session?.close();
});

describe('a MuJoCo replay in the player', () => {
  let first: RgbImage;
  let canvasBox: { x: number; y: number };
  let legOffsets: { x: number; y: number }[];

  it('opens from the list, draws the robot and colours each agent’s body in its colour', async () => {
    await page.goto(session.host.url);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
    await page.selectOption('#replay-list', REPLAY);
    await expectCounter('step 0 / 1000');
    await page.waitForTimeout(1500); // the camera settles on the torso
    const box = (await page.locator('#scene').boundingBox())!;
    canvasBox = { x: box.x, y: box.y };
    first = decodePngRgb(await page.locator('#scene').screenshot());
    expect(greyStdDev(decodePngGrey(await page.locator('#scene').screenshot()))).toBeGreaterThan(8);
    const palette = [...RANK_COLOURS_HEX.slice(0, 6), ROBOT_FRAME_COLOUR_HEX];
    const torso = (await bodyPoint(TORSO))!;
    expect(torso).not.toBeNull();
    expect(nearestColour(first, torso.x - canvasBox.x, torso.y - canvasBox.y, palette)).toBe(
      ROBOT_FRAME_COLOUR_HEX,
    );
    legOffsets = [];
    for (const [agent, body] of AGENT_BODIES.entries()) {
      const point = (await bodyPoint(body))!;
      expect(point, `body ${body} is on screen`).not.toBeNull();
      legOffsets.push({ x: point.x - torso.x, y: point.y - torso.y });
      expect(
        nearestColour(first, point.x - canvasBox.x, point.y - canvasBox.y, palette),
        `agent ${agent}`,
      ).toBe(RANK_COLOURS_HEX[agent]);
    }
  });

  it('lists the agents leader first with their actions, and the legend their colours', async () => {
    expect(await page.textContent('#vehicle-title')).toBe('Agents, leader first');
    const fields = (await page.textContent('#vehicle-fields')) ?? '';
    expect(fields).toContain('1. agent 0 (bfoot, drives bthigh)');
    expect(fields).toContain('2. agent 1 (bshin)');
    expect(fields.indexOf('1. agent 0 (bfoot')).toBeLessThan(
      fields.indexOf('6. agent 5 (fthigh, drives ffoot)'),
    );
    const legend = (await page.textContent('#legend')) ?? '';
    expect(legend).toContain('leader: agent 0 (bfoot, drives bthigh)');
    expect(legend).toContain('follower 5: agent 5 (fthigh, drives ffoot)');
    expect(await page.isHidden('#agents-panel')).toBe(true);
    expect(await page.textContent('#episode-fields')).toContain('HalfCheetah-v2');
  });

  it('scrubbing moves the robot: another picture, the legs elsewhere around the torso', async () => {
    await scrubTo(305); // half a gait period off frame 0's phase
    await expectCounter('step 305 / 1000');
    await page.waitForTimeout(1500);
    const later = decodePngRgb(await page.locator('#scene').screenshot());
    const grey = (image: RgbImage) => ({
      width: image.width,
      height: image.height,
      grey: image.rgb.filter((_, i) => i % 3 === 1),
    });
    expect(meanAbsDiff(grey(first), grey(later))).toBeGreaterThan(0.5);
    const torso = (await bodyPoint(TORSO))!;
    const moved = await Promise.all(
      AGENT_BODIES.map(async (body, j) => {
        const point = (await bodyPoint(body))!;
        return Math.hypot(point.x - torso.x - legOffsets[j]!.x, point.y - torso.y - legOffsets[j]!.y);
      }),
    );
    expect(Math.max(...moved)).toBeGreaterThan(2);
    expect(((await page.textContent('#vehicle-fields')) ?? '').length).toBeGreaterThan(0);
    if (SCREENSHOT_DIR !== undefined) {
      const dir = resolve(REPOSITORY_ROOT, SCREENSHOT_DIR);
      await mkdir(dir, { recursive: true });
      await page.screenshot({ path: join(dir, 'player-mujoco.png') });
    }
  });

  it('the Training tab shows the run’s return curve, evaluates it and opens its replay in the player', async () => {
    await page.click('button[data-tab="Training"]');
    await page.click('li[data-run="tiny"] .run-pick');
    const points = (chart: string) => page.getAttribute(`[data-chart="${chart}"]`, 'data-points');
    await expect.poll(() => points('return'), { timeout: 10_000 }).toBe('1');
    expect(await page.textContent('[data-chart="crash"] .chart-empty')).toBe(
      'not logged by this kind of run',
    );
    await page.fill('#evaluate-episodes', '1');
    await page.click('#evaluate');
    const replay = page.locator('#evaluate-replays button[data-replay]');
    await replay.waitFor({ timeout: 90_000 });
    expect(await replay.getAttribute('data-replay')).toBe(
      'runs/tiny/replays/update-1/eval-1/episode-0-seed-10000.replay',
    );
    expect(await page.textContent('#evaluate-fields')).toContain('max return');
    await replay.click();
    await expect.poll(() => page.getAttribute('button[data-tab="Player"]', 'aria-selected')).toBe('true');
    await expectCounter('step 0 / 1000');
    await expect
      .poll(() => page.textContent('#episode-fields'))
      .toContain('steer, greedy, update 1 (runs/tiny)');
    expect(await page.textContent('#vehicle-title')).toBe('Agents, leader first');
  });

  it('a HORM replay opened next is drawn as before, with its vehicle list', async () => {
    await page.selectOption('#replay-list', HORM_SAMPLE);
    await expectCounter('step 0 / 100');
    await page.waitForTimeout(1200);
    expect(await page.isHidden('#agents-panel')).toBe(false);
    expect(await page.textContent('#vehicle-title')).toBe('Selected vehicle');
    expect(greyStdDev(decodePngGrey(await page.locator('#scene').screenshot()))).toBeGreaterThan(8);
    expect(pageProblems).toEqual([]);
  });
});
