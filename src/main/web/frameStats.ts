/**
 * The pure part of `npm run bench:app` (src/main/web/benchApp.ts): percentiles of frame times, the
 * judgement against the desktop-app issue's targets, and the script it adds to the page to time
 * whole frames.
 *
 * A whole frame's main-thread work runs from the start of the frame's first requestAnimationFrame
 * callback to the end of the rendering update that follows the callbacks (style, layout, paint,
 * commit). The page cannot observe that end directly, so the frame clock posts a MessageChannel
 * task from its rAF callback: the task runs right after the rendering update, and its start stamps
 * the frame's end. Tasks that were queued before it run first and are counted too, so the figure
 * errs on the high side, never the low side.
 */

/** The targets: main-thread time per frame [ms] (judged on the p95) and pick → first frame [ms]. */
export const APP_TARGETS = Object.freeze({ frameP95Ms: 4, openMs: 300 });

/** Value at quantile q of `values` (nearest rank, 0 < q ≤ 1); NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Rounds to `digits` decimals. */
export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

/** Frame times summarised [ms]. */
export interface FrameSummary {
  readonly frames: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly maxMs: number;
}

/** Median, 95th percentile and maximum of frame times [ms], rounded to µs. */
export function summarizeFrames(times: readonly number[]): FrameSummary {
  return {
    frames: times.length,
    medianMs: round(quantile(times, 0.5), 3),
    p95Ms: round(quantile(times, 0.95), 3),
    maxMs: times.length === 0 ? Number.NaN : round(Math.max(...times), 3),
  };
}

/** One missed target, said as "figure value > target". */
export type Miss = string;

/**
 * The targets missed (empty: all met). Frames are judged on their p95 (≤ 4 ms, every speed), not
 * the median, so a rare slow frame every few frames counts; openings on their slowest pick from
 * the list and the median through the file input (< 300 ms). A figure that could not be measured
 * (NaN, no frames) is a miss.
 */
export function missedTargets(figures: {
  readonly frames: Readonly<Record<string, FrameSummary>>;
  readonly openListMaxMs: number;
  readonly openFileMedianMs: number;
}): Miss[] {
  const misses: Miss[] = [];
  for (const [speed, s] of Object.entries(figures.frames)) {
    if (!(s.frames > 0 && s.p95Ms <= APP_TARGETS.frameP95Ms)) {
      misses.push(
        `main thread per frame at ${speed}: p95 ${s.p95Ms} ms over ${s.frames} frames > ${APP_TARGETS.frameP95Ms} ms`,
      );
    }
  }
  if (!(figures.openListMaxMs < APP_TARGETS.openMs)) {
    misses.push(
      `pick → first frame from the list: max ${figures.openListMaxMs} ms ≥ ${APP_TARGETS.openMs} ms`,
    );
  }
  if (!(figures.openFileMedianMs < APP_TARGETS.openMs)) {
    misses.push(
      `pick → first frame through the file input: median ${figures.openFileMedianMs} ms ≥ ${APP_TARGETS.openMs} ms`,
    );
  }
  return misses;
}

/** Per-frame deltas of Chromium's main-thread counters (CDP Performance.getMetrics), in ms per frame. */
export interface TaskMetricsPerFrame {
  /** All main-thread tasks (script, style, layout, paint, the WebSocket…) [ms / frame]. */
  readonly taskMs: number;
  readonly scriptMs: number;
  readonly recalcStyleMs: number;
  readonly layoutMs: number;
  /** The main thread's CPU time (ThreadTime): task time less the time it waited (on the GPU process…) [ms / frame]. */
  readonly cpuMs: number;
}

/**
 * CDP `Performance.getMetrics` readings (name → seconds) before and after a window of `frames`
 * frames, as mean milliseconds per frame.
 */
export function taskMetricsPerFrame(
  before: Readonly<Record<string, number>>,
  after: Readonly<Record<string, number>>,
  frames: number,
): TaskMetricsPerFrame {
  const perFrame = (name: string) => round((((after[name] ?? 0) - (before[name] ?? 0)) * 1000) / frames, 3);
  return {
    taskMs: perFrame('TaskDuration'),
    scriptMs: perFrame('ScriptDuration'),
    recalcStyleMs: perFrame('RecalcStyleDuration'),
    layoutMs: perFrame('LayoutDuration'),
    cpuMs: perFrame('ThreadTime'),
  };
}

/**
 * The page script (added with page.addInitScript, so its rAF callback is registered before the
 * app's and runs first in every frame) that publishes `window.steerFrameClock`: whole-frame times
 * [ms] of the frames in which the player rendered (window.steerProbe.framesRendered moved), from the
 * first rAF callback's start to the task posted after the frame. `playUntil(n)` resolves once n
 * frames are timed, pressing Play again from inside that posted task whenever the replay has
 * ended, so the benchmark waits without adding tasks of its own to the frames it times. A string,
 * not a function, so no compiler helper leaks into the page.
 */
export const FRAME_CLOCK_SCRIPT = `(() => {
  const times = [];
  let startedAt = 0;
  let renderedAtStart = 0;
  const channel = new MessageChannel();
  let waiting = null;
  channel.port1.onmessage = () => {
    const rendered = window.steerProbe ? window.steerProbe.framesRendered : 0;
    if (rendered !== renderedAtStart) times.push(performance.now() - startedAt);
    if (waiting === null) return;
    if (times.length >= waiting.frames) {
      waiting.resolve(times.length);
      waiting = null;
      return;
    }
    // the replay ended before enough frames: play it again from the start
    const play = document.getElementById('play');
    if (play !== null && play.dataset.state === 'paused') play.click();
  };
  const tick = () => {
    startedAt = performance.now();
    renderedAtStart = window.steerProbe ? window.steerProbe.framesRendered : 0;
    requestAnimationFrame(tick);
    channel.port2.postMessage(0);
  };
  requestAnimationFrame(tick);
  window.steerFrameClock = {
    count: () => times.length,
    reset: () => { times.length = 0; },
    times: () => times.slice(),
    playUntil: (frames) => new Promise((resolve) => { waiting = { frames, resolve }; }),
  };
})();`;
