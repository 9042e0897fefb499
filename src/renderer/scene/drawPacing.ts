/**
 * How often the renderer worker draws. On a GPU, on every animation frame that has something new
 * to show. When WebGL runs on the CPU (SwiftShader, llvmpipe: machines without a usable GPU),
 * every drawn frame costs the GPU process CPU time to rasterise and to hand over to the software
 * compositor, on the same cores as the page's main thread; there the worker draws at most
 * SOFTWARE_WEBGL_MAX_FPS frames a second, which keeps the main thread's frames short (`npm run
 * bench:app`, docs/results/app.md) and costs a view that reached only ~45 frames/s anyway.
 */

/** Most frames a second the worker draws on a software WebGL renderer. */
export const SOFTWARE_WEBGL_MAX_FPS = 30;

/** Renderer names of CPU-only WebGL implementations (Chromium's SwiftShader, Mesa's, Windows'). */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render driver/i;

/** Whether a WebGL renderer name (WEBGL_debug_renderer_info's, or RENDERER) is a software one. */
export function isSoftwareRenderer(rendererName: string): boolean {
  return SOFTWARE_RENDERER.test(rendererName);
}

/** The drawing cap [frames/s] for a renderer name: SOFTWARE_WEBGL_MAX_FPS on software, none (null) on a GPU. */
export function maxDrawFps(rendererName: string): number | null {
  return isSoftwareRenderer(rendererName) ? SOFTWARE_WEBGL_MAX_FPS : null;
}

/**
 * Says, on each animation frame, whether a draw is due so that draws come at most `maxFps` a
 * second (null: every frame). A tenth of the interval is slack, so a 60 Hz display's frames
 * (16.7 ms apart, with jitter) give exactly every other frame at 30.
 */
export class DrawPacer {
  private lastDraw = Number.NEGATIVE_INFINITY;

  constructor(readonly maxFps: number | null) {
    if (maxFps !== null && !(maxFps > 0))
      throw new RangeError(`DrawPacer: maxFps must be > 0, got ${maxFps}`);
  }

  /** Whether to draw at `now` [ms]. */
  due(now: number): boolean {
    return this.maxFps === null || now - this.lastDraw >= 900 / this.maxFps; // 0.9 of the interval [ms]
  }

  /** Records a draw at `now` [ms]. */
  drew(now: number): void {
    this.lastDraw = now;
  }
}
