/**
 * `npm run bench:app`: how fast the replay player is in Chromium (docs/results/app.md).
 *
 * - main-thread time per frame [ms]: the player's own measurement (src/renderer/perf/frameProbe.ts:
 *   performance.now() around advance + scene sync + draw calls) while a density-3 replay plays,
 *   median and 95th percentile over ≥ 300 frames, at 1× and at 8× (a new recorded frame every
 *   1.5 animation frames: recolouring and panel text on most frames);
 * - pick → first frame [ms]: from the replay list's change event to the end of the first drawn
 *   frame (host round trip, decode, scene set-up, draw), on a fresh page each time; and the same
 *   through the file input.
 *
 * Targets (the desktop-app issue): ≤ 4 ms per frame, < 300 ms to open.
 * Options: --trials N (openings, default 15), --frames N (per speed, default 600),
 * --static DIR (serve a built renderer instead of building one), --json (one JSON line only),
 * --markdown FILE (write the results card, e.g. docs/results/app.md).
 */
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, release } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { REPOSITORY_ROOT, startPlayerSession } from './browserHarness.js';

const SAMPLE = 'samples/replays/horm-hard-random-seed0.replay';
const VIEWPORT = { width: 1280, height: 720 };

/** Sorted copy's value at quantile q (nearest rank). */
function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

interface Probe {
  opens: { path: string; ms: number; decodeMs: number }[];
  framesRendered: number;
}

async function readProbe(page: Page): Promise<Probe> {
  return (await page.evaluate(
    'JSON.parse(JSON.stringify({ opens: window.steerProbe.opens, framesRendered: window.steerProbe.framesRendered }))',
  )) as Probe;
}

async function waitForOpens(page: Page, count: number): Promise<Probe> {
  for (let k = 0; k < 400; k++) {
    const probe = await readProbe(page);
    if (probe.opens.length >= count) return probe;
    await page.waitForTimeout(25);
  }
  throw new Error(`bench:app: the replay did not open within 10 s (${count} opening(s) expected)`);
}

/** Plays at `speed` until `frames` frames are drawn (restarting at the end); their times [ms]. */
async function frameTimes(page: Page, speed: number, frames: number): Promise<number[]> {
  await page.selectOption('#speed', String(speed));
  await page.evaluate('window.steerProbe.reset()');
  await page.keyboard.press('Home');
  await page.click('#play');
  for (let k = 0; k < 2400; k++) {
    await page.waitForTimeout(50);
    const probe = await readProbe(page);
    if (probe.framesRendered >= frames) break;
    const playing = (await page.getAttribute('#play', 'data-state')) === 'playing';
    if (!playing) await page.click('#play'); // reached the end: play again from the start
  }
  const times = (await page.evaluate(`window.steerProbe.lastFrames(${frames})`)) as number[];
  if ((await page.getAttribute('#play', 'data-state')) === 'playing') await page.click('#play');
  return times;
}

/** The results card (docs/results/app.md): command, date, machine, figures against the targets. */
function resultsCard(
  r: {
    date: string;
    chromium: string;
    cpu: string;
    cores: number;
    replay: string;
    viewport: { width: number; height: number };
    openMs: Record<string, number>;
    frameMs: Record<string, { frames: number; medianMs: number; p95Ms: number; maxMs: number }>;
  },
  command: string,
  load: number,
  pass: boolean,
): string {
  const open = r.openMs;
  const rows = Object.entries(r.frameMs).map(
    ([speed, s]) =>
      `| main thread per frame, playing at ${speed.replace('x', '×')} | **${s.medianMs} ms** median (p95 ${s.p95Ms}, max ${s.maxMs}) over ${s.frames} frames | ≤ 4 ms | ${s.medianMs <= 4 ? 'met' : 'missed'} |`,
  );
  return `# Replay player speed

Written by \`npm run bench:app\` (src/main/web/benchApp.ts); do not edit by hand. The player runs in
Debian's Chromium, headless, WebGL through SwiftShader (software: no GPU here), served by the web
host on 127.0.0.1; timings are the page's own performance.now() readings
(src/renderer/perf/frameProbe.ts). Targets: the desktop-app issue.

- Command: \`${command}\`
- Date: ${r.date}
- Machine: ${r.cores} × ${r.cpu}, linux ${release()}, Node ${process.version}; load average ${load.toFixed(2)} at start
- Browser: Chromium ${r.chromium}, viewport ${r.viewport.width} × ${r.viewport.height}, device pixel ratio 1
- Replay: \`${r.replay}\` (horm:density-3, 100 decisions, 9 vehicles)

| figure | value | target | |
|---|---|---|---|
| pick → first frame, from the replay list (fresh page each time) | **${open.listMedian} ms** median (first ${open.listFirst}, max ${open.listMax}) | < 300 ms | ${open.listMax! < 300 ? 'met' : 'missed'} |
| of which: decode + scene and panels set up | ${open.decodeMedian} ms median | | |
| pick → first frame, through the file input | ${open.fileMedian} ms median | < 300 ms | ${open.fileMedian! < 300 ? 'met' : 'missed'} |
${rows.join('\n')}

${pass ? 'All targets met.' : '**Some targets missed.**'}

## Reading the figures

- **Main thread per frame** is the work of one animation frame in the page: advancing the
  playback clock, interpolating poses, writing the instance matrices, recolouring and rewriting
  the panel text when the recorded step changes (most frames at 8×), and issuing the draw calls
  (about eight). The GPU's own work (here SwiftShader, in Chromium's GPU process) is not in it:
  that is what caps the headless frame rate on this machine, not the player.
- **Pick → first frame** runs from the list's change event to the end of the first drawn frame of
  the new replay: the \`replays.open\` round trip over the WebSocket (the file's bytes, about
  14 KB), opening them with the core reader (index, first chunk), setting up the scene and panels,
  and the draw. The rest of the file is decoded afterwards in idle time.
`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      trials: { type: 'string', default: '15' },
      frames: { type: 'string', default: '600' },
      static: { type: 'string' },
      json: { type: 'boolean', default: false },
      markdown: { type: 'string' },
    },
  });
  const trials = Number(values.trials);
  const frames = Number(values.frames);
  if (!(trials >= 1 && frames >= 300)) throw new Error('bench:app: expected --trials ≥ 1 and --frames ≥ 300');
  const log = (line: string) => {
    if (!values.json) process.stdout.write(`${line}\n`);
  };
  const load = loadavg()[0]!;
  const session = await startPlayerSession(values.static === undefined ? {} : { staticDir: values.static });
  try {
    log(`renderer built in ${(session.buildMs / 1000).toFixed(1)} s; Chromium ${session.browser.version()}`);
    // --- pick → first frame, from the list (fresh page per trial) ---
    const listOpens: number[] = [];
    const decodeMs: number[] = [];
    for (let t = 0; t < trials; t++) {
      const page = await session.browser.newPage({ viewport: VIEWPORT });
      await page.goto(session.host.url);
      await page.waitForSelector('html[data-ready="true"]');
      await page.selectOption('#replay-list', SAMPLE);
      const probe = await waitForOpens(page, 1);
      listOpens.push(probe.opens[0]!.ms);
      decodeMs.push(probe.opens[0]!.decodeMs);
      await page.close();
    }
    // --- the same through the file input ---
    const fileOpens: number[] = [];
    {
      const page = await session.browser.newPage({ viewport: VIEWPORT });
      await page.goto(session.host.url);
      await page.waitForSelector('html[data-ready="true"]');
      for (let t = 0; t < trials; t++) {
        await page.setInputFiles('#replay-file', join(REPOSITORY_ROOT, SAMPLE));
        const probe = await waitForOpens(page, t + 1);
        fileOpens.push(probe.opens[t]!.ms);
      }
      await page.close();
    }
    log(
      `pick → first frame (list, ${trials} fresh pages): median ${round(quantile(listOpens, 0.5), 1)} ms, first ${round(listOpens[0]!, 1)} ms, max ${round(Math.max(...listOpens), 1)} ms (decode + scene set-up median ${round(quantile(decodeMs, 0.5), 1)} ms)`,
    );
    log(`pick → first frame (file input, ${trials} times): median ${round(quantile(fileOpens, 0.5), 1)} ms`);

    // --- main-thread time per frame while playing ---
    const page = await session.browser.newPage({ viewport: VIEWPORT });
    await page.goto(`${session.host.url}&replay=${SAMPLE}`);
    await page.waitForSelector('html[data-ready="true"]');
    await waitForOpens(page, 1);
    await page.waitForTimeout(300); // background decode of the remaining chunks
    const perSpeed: Record<string, { frames: number; medianMs: number; p95Ms: number; maxMs: number }> = {};
    for (const speed of [1, 8]) {
      const started = performance.now();
      const times = await frameTimes(page, speed, frames);
      const seconds = (performance.now() - started) / 1000;
      perSpeed[`${speed}x`] = {
        frames: times.length,
        medianMs: round(quantile(times, 0.5), 3),
        p95Ms: round(quantile(times, 0.95), 3),
        maxMs: round(Math.max(...times), 3),
      };
      const s = perSpeed[`${speed}x`]!;
      log(
        `main thread per frame at ${speed}× (${s.frames} frames, ~${Math.round(times.length / seconds)} fps): median ${s.medianMs} ms, p95 ${s.p95Ms} ms, max ${s.maxMs} ms`,
      );
    }
    await page.close();
    const result = {
      date: new Date().toISOString(),
      chromium: session.browser.version(),
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      replay: SAMPLE,
      viewport: VIEWPORT,
      openMs: {
        listMedian: round(quantile(listOpens, 0.5), 1),
        listFirst: round(listOpens[0]!, 1),
        listMax: round(Math.max(...listOpens), 1),
        decodeMedian: round(quantile(decodeMs, 0.5), 1),
        fileMedian: round(quantile(fileOpens, 0.5), 1),
      },
      frameMs: perSpeed,
      targets: { frameMs: 4, openMs: 300 },
    };
    const pass = result.openMs.listMax < 300 && Object.values(perSpeed).every((s) => s.medianMs <= 4);
    log(pass ? 'targets met (≤ 4 ms per frame, < 300 ms to open)' : 'TARGETS MISSED');
    if (values.markdown !== undefined) {
      const command = ['npm run bench:app --', ...process.argv.slice(2)].join(' ');
      await writeFile(values.markdown, resultsCard(result, command, load, pass));
      log(`wrote ${values.markdown}`);
    }
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await session.close();
  }
}

await main();
