/**
 * `npm run bench:app`: how fast the replay player is in Chromium (docs/results/app.md).
 *
 * The player draws its 3-D view in a renderer worker (an OffscreenCanvas,
 * src/renderer/scene/sceneWorker.ts); `--render main-thread` measures the in-thread path instead
 * (the fallback for browsers without OffscreenCanvas, and the player before the worker).
 *
 * - main-thread time per frame [ms], the whole frame: from the start of the frame's first
 *   requestAnimationFrame callback to the task posted after the frame, so the player's JavaScript
 *   and the style, layout and paint its panel updates cause (FRAME_CLOCK_SCRIPT in frameStats.ts),
 *   over the frames the player renders while a density-3 replay plays, at 1× and at 8× (a new
 *   recorded frame every 1.5 animation frames: recolouring and panel text on most frames); median,
 *   p95 and max, judged on the p95. Beside it, as a cross-check, Chromium's own counters over the
 *   same window (CDP Performance.getMetrics: TaskDuration, ScriptDuration, RecalcStyleDuration,
 *   LayoutDuration), as a mean per frame, and the player's rAF callback alone (frameProbe.ts);
 *   and, on the worker path, the frames the worker drew per second and its time per draw;
 * - pick → first frame [ms]: from the replay list's change event to the end of the first drawn
 *   frame (host round trip, decode, scene set-up, draw), on a fresh page each time; and the same
 *   through the file input.
 *
 * Targets (the desktop-app issue): p95 ≤ 4 ms per frame, < 300 ms to open. Exits 1 when one is
 * missed (after writing the card, which says which).
 * Options: --trials N (openings, default 15), --frames N (per speed, default 600, ≥ 300),
 * --render worker|main-thread (where the player draws, default worker),
 * --static DIR (serve a built renderer instead of building one), --gpu-compositing (Chromium
 * composites through SwiftShader's GPU process, as with a GPU, rather than reading each WebGL
 * frame back to the main thread: GPU_COMPOSITING_ARGS), --json (one JSON line only),
 * --markdown FILE (write the results card atomically, e.g. docs/results/app.md), --trace DIR (a
 * Chromium trace of each playback window, bench-app-<speed>x.trace.json, for chrome://tracing or
 * Perfetto: what the main thread waits for in the slow frames).
 */
import { mkdir, stat } from 'node:fs/promises';
import { cpus, loadavg, release } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { CDPSession, Page } from 'playwright-core';
import { writeFileAtomic } from '../io/atomicWrite.js';
import {
  CHROMIUM_ARGS,
  GPU_COMPOSITING_ARGS,
  REPOSITORY_ROOT,
  startPlayerSession,
} from './browserHarness.js';
import {
  APP_TARGETS,
  FRAME_CLOCK_SCRIPT,
  type FrameSummary,
  missedTargets,
  quantile,
  round,
  summarizeFrames,
  type TaskMetricsPerFrame,
  taskMetricsPerFrame,
} from './frameStats.js';

const SAMPLE = 'samples/replays/horm-hard-random-seed0.replay';
const VIEWPORT = { width: 1280, height: 720 };
/** Longest a playback window may take [ms] (600 frames take 10 s at 60 fps). */
const WINDOW_TIMEOUT_MS = 120_000;

interface Probe {
  opens: { path: string; ms: number; decodeMs: number }[];
  framesRendered: number;
  /** 'worker' or 'main-thread'. */
  renderPath: string;
}

async function readProbe(page: Page): Promise<Probe> {
  return (await page.evaluate(
    'JSON.parse(JSON.stringify({ opens: window.steerProbe.opens, framesRendered: window.steerProbe.framesRendered, renderPath: window.steerProbe.renderPath }))',
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

/** What one playback window measured. */
interface PlaybackWindow {
  /** Whole frames' main-thread time [ms] (frame clock), frames the player rendered. */
  readonly whole: number[];
  /** The player's rAF callback alone [ms] (frameProbe.ts), the same frames. */
  readonly callback: number[];
  /** Chromium's main-thread counters over the window, per rendered frame. */
  readonly tasks: TaskMetricsPerFrame;
  /** Rendered frames per second of wall time. */
  readonly fps: number;
  /** Renderer worker: frames drawn per second of wall time, and its time per draw [ms] (empty on the main-thread path). */
  readonly workerFps: number;
  readonly workerDraws: number[];
}

async function cdpMetrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

/** Plays at `speed` until the player has rendered `frames` frames (restarting at the end). */
async function playbackWindow(
  page: Page,
  cdp: CDPSession,
  speed: number,
  frames: number,
  traceDir?: string,
): Promise<PlaybackWindow> {
  await page.selectOption('#speed', String(speed));
  await page.keyboard.press('Home');
  await page.evaluate('window.steerProbe.reset(); window.steerFrameClock.reset()');
  // The worker's counts arrive every half second: let one report of the idle time before pass.
  await page.waitForTimeout(600);
  await page.evaluate('window.steerProbe.reset()');
  const browser = traceDir === undefined ? null : page.context().browser();
  if (traceDir !== undefined && browser !== null) {
    // Chromium's own trace of the window (open in chrome://tracing or Perfetto); tracing makes the
    // frames a little slower, and a card written from such a run shows --trace in its command
    await browser.startTracing(page, {
      path: join(traceDir, `bench-app-${speed}x.trace.json`),
      categories: [
        'devtools.timeline',
        'disabled-by-default-devtools.timeline',
        'toplevel',
        'cc',
        'gpu',
        'viz',
      ],
    });
  }
  const before = await cdpMetrics(cdp);
  const started = performance.now();
  await page.click('#play');
  // One call that the page answers when the frames are timed: polling from here would put a task
  // of ours into the frames being timed (four polls a second were in ~10 % of them).
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    page.evaluate(`window.steerFrameClock.playUntil(${frames})`),
    new Promise((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(`bench:app: ${frames} frames at ${speed}× not timed in ${WINDOW_TIMEOUT_MS / 1000} s`),
          ),
        WINDOW_TIMEOUT_MS,
      );
    }),
  ]).finally(async () => {
    clearTimeout(timer);
    if (browser !== null) await browser.stopTracing(); // also when the window failed
  });
  if ((await page.getAttribute('#play', 'data-state')) === 'playing') await page.click('#play');
  const after = await cdpMetrics(cdp);
  const seconds = (performance.now() - started) / 1000;
  const rendered = (await page.evaluate('window.steerProbe.framesRendered')) as number;
  const whole = ((await page.evaluate('window.steerFrameClock.times()')) as number[]).slice(-frames);
  const callback = (await page.evaluate(`window.steerProbe.lastFrames(${frames})`)) as number[];
  await page.waitForTimeout(600); // the worker's last report of the window
  const workerFrames = (await page.evaluate('window.steerProbe.workerFramesDrawn')) as number;
  const workerDraws = (await page.evaluate('window.steerProbe.lastWorkerDraws()')) as number[];
  return {
    whole,
    callback,
    tasks: taskMetricsPerFrame(before, after, rendered),
    fps: rendered / seconds,
    workerFps: workerFrames / seconds,
    workerDraws,
  };
}

/** Figures of one playback speed, as the card and the JSON line carry them. */
interface SpeedFigures extends FrameSummary {
  /** The player's rAF callback alone: median and p95 [ms]. */
  readonly callbackMedianMs: number;
  readonly callbackP95Ms: number;
  /** Chromium's counters over the window, mean per rendered frame [ms]. */
  readonly cdp: TaskMetricsPerFrame;
  readonly fps: number;
  /** Renderer worker: frames drawn per second, and its draw time median and p95 [ms] (null on the main-thread path). */
  readonly worker: { fps: number; drawMedianMs: number; drawP95Ms: number } | null;
}

/** Everything measured, as printed in the JSON line. */
interface BenchResult {
  readonly date: string;
  readonly chromium: string;
  readonly chromiumArgs: readonly string[];
  /** Where the player drew: 'worker' or 'main-thread'. */
  readonly renderPath: string;
  readonly cpu: string;
  readonly cores: number;
  readonly replay: string;
  readonly replayBytes: number;
  readonly viewport: { width: number; height: number };
  readonly openMs: {
    listMedian: number;
    listFirst: number;
    listMax: number;
    decodeMedian: number;
    fileMedian: number;
  };
  readonly frameMs: Record<string, SpeedFigures>;
  readonly targets: typeof APP_TARGETS;
  readonly missed: string[];
}

const metIf = (ok: boolean) => (ok ? 'met' : '**missed**');

/** The results card's explanation of its figures (static; the figures come before it). */
const READING_THE_FIGURES = `## Reading the figures

- **Main thread per frame, whole frame** runs from the start of the frame's first
  requestAnimationFrame callback to a task posted from it, which runs once the frame's rendering
  update is done: the player's work (advancing the playback clock, recolouring and rewriting the
  panel text at most 4 times a second while playing, and telling the renderer worker the new
  playback time) plus the style recalculation, layout and paint that work causes, and any time
  the main thread spends waiting in those steps. Tasks queued before the posted one (a WebSocket
  message, the worker's reports) are counted too: the figure errs high. The benchmark itself waits
  for the window with one call the page answers, adding no task to the frames it times.
  Only frames in which the player's loop ran count. The 3-D view is drawn in the renderer worker
  (src/renderer/scene/sceneWorker.ts) on an OffscreenCanvas, on the worker's own animation frames:
  interpolating poses, writing the instance matrices, issuing about eight draw calls, and, since
  headless Chromium here composites in software, the read-back of the WebGL drawing buffer for the
  compositor (GLES2::ReadPixels waiting on SwiftShader: software WebGL on 2 cores shared with other
  work). On software WebGL like this the worker draws at most ~30 frames a second
  (src/renderer/scene/drawPacing.ts): every drawn frame costs SwiftShader's GPU process CPU time on
  the cores the main thread needs (with every animation frame drawn, ~45 a second got through and the
  whole frame's p95 was 4–5.6 ms; a Chromium trace, \`--trace DIR\`, showed the main thread
  descheduled inside its rendering update, not computing). Before the worker, that read-back
  happened in the main thread's commit and made most of each frame's time; \`--render main-thread\` still measures that path (the fallback for browsers
  without OffscreenCanvas). \`--gpu-compositing\` makes Chromium composite through SwiftShader's GPU
  process, as with a GPU, without the read-back.
- **Player's rAF callback alone** is the player's own reading (src/renderer/player/playbackLoop.ts,
  the ms/frame readout): JavaScript only. **Chromium's counters** are every main-thread task of the
  page (TaskDuration) over the window, divided by the player's frames, including idle frames'; script, style and layout are their share, and CPU (ThreadTime) is the
  time the main thread computed rather than waited: task time far above CPU time is waiting. The
  renderer worker's counters are not among them. **Renderer worker** is what the worker reports
  every half second: frames it drew per second of the window (it draws only while something moves,
  on its own animation frames, so this is the frame rate the user sees) and its time per draw
  (SceneView.render: poses, matrices, draw calls issued; the read-back happens after, when the
  worker's frame is committed).
- **Pick → first frame** runs from the list's change event to the end of the first drawn frame of
  the new replay: the \`replays.open\` round trip over the WebSocket (the file's bytes, size above),
  opening them with the core reader (index, first chunk), setting up the panels, handing a copy of
  the bytes to the renderer worker, which opens its own player on them, and the worker's first
  draw (its next animation frame; it reports the time). The rest of the file is decoded afterwards
  in idle time, on both sides.
`;

/** The results card (docs/results/app.md): command, date, machine, figures against the targets. */
function resultsCard(r: BenchResult, command: string, load: number): string {
  const open = r.openMs;
  const rows = Object.entries(r.frameMs).map(
    ([speed, s]) =>
      `| main thread per frame, whole frame, playing at ${speed.replace('x', '×')} | **${s.p95Ms} ms** p95 (median ${s.medianMs}, max ${s.maxMs}) over ${s.frames} frames | p95 ≤ ${r.targets.frameP95Ms} ms | ${metIf(s.p95Ms <= r.targets.frameP95Ms)} |`,
  );
  const detail = Object.entries(r.frameMs).map(
    ([speed, s]) =>
      `| ${speed.replace('x', '×')} | ${s.callbackMedianMs} / ${s.callbackP95Ms} ms | ${s.cdp.taskMs} ms (script ${s.cdp.scriptMs}, style ${s.cdp.recalcStyleMs}, layout ${s.cdp.layoutMs}; CPU ${s.cdp.cpuMs}) | ${Math.round(s.fps)} | ${s.worker === null ? '— (main thread)' : `${Math.round(s.worker.fps)} frames/s, draw ${s.worker.drawMedianMs} / ${s.worker.drawP95Ms} ms`} |`,
  );
  return `# Replay player speed

Written by \`npm run bench:app\` (src/main/web/benchApp.ts); do not edit by hand. The player runs in
Debian's Chromium, headless, WebGL through SwiftShader (software: no GPU here), served by the web
host on 127.0.0.1. Frame times are whole frames' main-thread work, read in the page with
performance.now() (src/main/web/frameStats.ts); openings are the page's own readings
(src/renderer/perf/frameProbe.ts). Targets: the desktop-app issue ("≤ 4 ms of main-thread time per
frame", judged here on the 95th percentile; "< 300 ms" to open). The command exits 1 when a target
is missed.

- Command: \`${command}\`
- Date: ${r.date}
- Machine: ${r.cores} × ${r.cpu}, linux ${release()}, Node ${process.version}; load average ${load.toFixed(2)} at start
- Browser: Chromium ${r.chromium}, viewport ${r.viewport.width} × ${r.viewport.height}, device pixel ratio 1; flags \`${r.chromiumArgs.join(' ')}\`
- The 3-D view drew ${r.renderPath === 'worker' ? 'in the renderer worker (OffscreenCanvas)' : 'on the main thread'}
- Replay: \`${r.replay}\` (horm:density-3, 100 decisions, 9 vehicles; ${r.replayBytes} bytes)

| figure | value | target | |
|---|---|---|---|
| pick → first frame, from the replay list (fresh page each time) | **${open.listMedian} ms** median (first ${open.listFirst}, max ${open.listMax}) | < ${r.targets.openMs} ms (max) | ${metIf(open.listMax < r.targets.openMs)} |
| of which: decode + scene and panels set up | ${open.decodeMedian} ms median | | |
| pick → first frame, through the file input | ${open.fileMedian} ms median | < ${r.targets.openMs} ms | ${metIf(open.fileMedian < r.targets.openMs)} |
${rows.join('\n')}

${r.missed.length === 0 ? 'All targets met.' : `**Targets missed:**\n\n${r.missed.map((m) => `- ${m}`).join('\n')}`}

Cross-checks over the same playback windows:

| speed | player's rAF callback alone, median / p95 | Chromium's main-thread counters (CDP Performance.getMetrics), mean per rendered frame | player frames per second | renderer worker: frames drawn, draw median / p95 |
|---|---|---|---|---|
${detail.join('\n')}

${READING_THE_FIGURES}`;
}

/** A started player session (web host, built renderer, Chromium). */
type PlayerSession = Awaited<ReturnType<typeof startPlayerSession>>;

/** Pick → first frame: from the replay list on fresh pages, and through the file input. */
async function measureOpens(
  session: PlayerSession,
  renderQuery: string,
  trials: number,
): Promise<{ list: number[]; decode: number[]; file: number[] }> {
  const list: number[] = [];
  const decode: number[] = [];
  for (let t = 0; t < trials; t++) {
    const page = await session.browser.newPage({ viewport: VIEWPORT });
    await page.goto(`${session.host.url}${renderQuery}`);
    await page.waitForSelector('html[data-ready="true"]');
    await page.selectOption('#replay-list', SAMPLE);
    const probe = await waitForOpens(page, 1);
    list.push(probe.opens[0]!.ms);
    decode.push(probe.opens[0]!.decodeMs);
    await page.close();
  }
  const file: number[] = [];
  const page = await session.browser.newPage({ viewport: VIEWPORT });
  await page.goto(`${session.host.url}${renderQuery}`);
  await page.waitForSelector('html[data-ready="true"]');
  for (let t = 0; t < trials; t++) {
    await page.setInputFiles('#replay-file', join(REPOSITORY_ROOT, SAMPLE));
    const probe = await waitForOpens(page, t + 1);
    file.push(probe.opens[t]!.ms);
  }
  await page.close();
  return { list, decode, file };
}

/** Main-thread time per frame while playing at 1× and 8×, with the cross-checks. */
async function measurePlayback(
  session: PlayerSession,
  render: string,
  renderQuery: string,
  frames: number,
  trace: string | undefined,
  log: (line: string) => void,
): Promise<{ renderPath: string; perSpeed: Record<string, SpeedFigures> }> {
  const page = await session.browser.newPage({ viewport: VIEWPORT });
  await page.addInitScript(FRAME_CLOCK_SCRIPT);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(`${session.host.url}${renderQuery}&replay=${SAMPLE}`);
  await page.waitForSelector('html[data-ready="true"]');
  const { renderPath } = await waitForOpens(page, 1);
  if (renderPath !== render) {
    throw new Error(
      `bench:app: the player draws ${renderPath === '' ? 'nowhere known' : `on the ${renderPath} path`}, not the ${render} path asked for`,
    );
  }
  log(
    `the 3-D view draws ${renderPath === 'worker' ? 'in the renderer worker (OffscreenCanvas)' : 'on the main thread'}`,
  );
  await page.waitForTimeout(300); // background decode of the remaining chunks
  const perSpeed: Record<string, SpeedFigures> = {};
  for (const speed of [1, 8]) {
    const w = await playbackWindow(page, cdp, speed, frames, trace);
    const s: SpeedFigures = {
      ...summarizeFrames(w.whole),
      callbackMedianMs: round(quantile(w.callback, 0.5), 3),
      callbackP95Ms: round(quantile(w.callback, 0.95), 3),
      cdp: w.tasks,
      fps: round(w.fps, 1),
      worker:
        renderPath === 'worker'
          ? {
              fps: round(w.workerFps, 1),
              drawMedianMs: round(quantile(w.workerDraws, 0.5), 3),
              drawP95Ms: round(quantile(w.workerDraws, 0.95), 3),
            }
          : null,
    };
    perSpeed[`${speed}x`] = s;
    log(
      `main thread per frame at ${speed}× (${s.frames} frames, ~${Math.round(s.fps)} fps): whole frame median ${s.medianMs} ms, p95 ${s.p95Ms} ms, max ${s.maxMs} ms; rAF callback alone median ${s.callbackMedianMs}, p95 ${s.callbackP95Ms} ms; CDP task time ${s.cdp.taskMs} ms per frame (script ${s.cdp.scriptMs}, style ${s.cdp.recalcStyleMs}, layout ${s.cdp.layoutMs}; main-thread CPU ${s.cdp.cpuMs} ms)${s.worker === null ? '' : `; renderer worker ${s.worker.fps} frames/s drawn, draw median ${s.worker.drawMedianMs}, p95 ${s.worker.drawP95Ms} ms`}`,
    );
  }
  await cdp.detach();
  await page.close();
  return { renderPath, perSpeed };
}

/** The command line of `npm run bench:app`, checked. */
function benchArgs() {
  const { values } = parseArgs({
    options: {
      trials: { type: 'string', default: '15' },
      frames: { type: 'string', default: '600' },
      static: { type: 'string' },
      json: { type: 'boolean', default: false },
      markdown: { type: 'string' },
      'gpu-compositing': { type: 'boolean', default: false },
      render: { type: 'string', default: 'worker' },
      trace: { type: 'string' },
    },
  });
  const render = values.render;
  if (render !== 'worker' && render !== 'main-thread') {
    throw new Error(`bench:app: expected --render worker or main-thread, received ${render}`);
  }
  const trials = Number(values.trials);
  const frames = Number(values.frames);
  if (!(trials >= 1 && frames >= 300)) throw new Error('bench:app: expected --trials ≥ 1 and --frames ≥ 300');
  return { values, render, trials, frames };
}

async function main(): Promise<void> {
  const { values, render, trials, frames } = benchArgs();
  // The page's query: the player draws in its worker unless told otherwise (src/renderer/main.ts).
  const renderQuery = render === 'worker' ? '' : `&render=${render}`;
  const extraArgs = values['gpu-compositing'] ? GPU_COMPOSITING_ARGS : [];
  const log = (line: string) => {
    if (!values.json) process.stdout.write(`${line}\n`);
  };
  if (values.trace !== undefined) await mkdir(values.trace, { recursive: true });
  const load = loadavg()[0]!;
  const session = await startPlayerSession({
    chromiumArgs: extraArgs,
    ...(values.static === undefined ? {} : { staticDir: values.static }),
  });
  try {
    log(`renderer built in ${(session.buildMs / 1000).toFixed(1)} s; Chromium ${session.browser.version()}`);
    const opened = await measureOpens(session, renderQuery, trials);
    log(
      `pick → first frame (list, ${trials} fresh pages): median ${round(quantile(opened.list, 0.5), 1)} ms, first ${round(opened.list[0]!, 1)} ms, max ${round(Math.max(...opened.list), 1)} ms (decode + scene set-up median ${round(quantile(opened.decode, 0.5), 1)} ms)`,
    );
    log(
      `pick → first frame (file input, ${trials} times): median ${round(quantile(opened.file, 0.5), 1)} ms`,
    );

    const { renderPath, perSpeed } = await measurePlayback(
      session,
      render,
      renderQuery,
      frames,
      values.trace,
      log,
    );
    const openMs = {
      listMedian: round(quantile(opened.list, 0.5), 1),
      listFirst: round(opened.list[0]!, 1),
      listMax: round(Math.max(...opened.list), 1),
      decodeMedian: round(quantile(opened.decode, 0.5), 1),
      fileMedian: round(quantile(opened.file, 0.5), 1),
    };
    const missed = missedTargets({
      frames: perSpeed,
      openListMaxMs: openMs.listMax,
      openFileMedianMs: openMs.fileMedian,
    });
    const result: BenchResult = {
      date: new Date().toISOString(),
      chromium: session.browser.version(),
      chromiumArgs: [...CHROMIUM_ARGS, ...extraArgs],
      renderPath,
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      replay: SAMPLE,
      replayBytes: (await stat(join(REPOSITORY_ROOT, SAMPLE))).size,
      viewport: VIEWPORT,
      openMs,
      frameMs: perSpeed,
      targets: APP_TARGETS,
      missed,
    };
    log(
      missed.length === 0
        ? `targets met (p95 ≤ ${APP_TARGETS.frameP95Ms} ms per frame, < ${APP_TARGETS.openMs} ms to open)`
        : `TARGETS MISSED:\n${missed.map((m) => `  ${m}`).join('\n')}`,
    );
    if (values.markdown !== undefined) {
      const command = ['npm run bench:app --', ...process.argv.slice(2)].join(' ');
      await writeFileAtomic(values.markdown, resultsCard(result, command, load));
      log(`wrote ${values.markdown}`);
    }
    process.stdout.write(`${JSON.stringify(result)}\n`);
    if (missed.length > 0) process.exitCode = 1;
  } finally {
    await session.close();
  }
}

await main();
