/**
 * The messages between the player's window and its renderer worker (sceneWorker.ts), as zod
 * schemas: two discriminated unions keyed by `type`, one per direction. Both sides parse what they
 * receive, so a message of the wrong shape is refused with the field that is wrong, never half
 * applied.
 *
 * Messages are small on purpose. The worker gets its own copy of the replay's bytes once per
 * opening (`load`) and poses the vehicles itself; per animation frame the window sends only the
 * playback time and the selection (`view`), and only when they changed. Pointer and wheel events
 * on the canvas are forwarded (`input`) for the camera controls, in viewport coordinates. Picking
 * and screen points are requests with an id, answered by the worker.
 *
 * No DOM and no three.js: unit-tested in Node (test/unit/renderer/scene/sceneMessages.test.ts).
 */
import { z } from 'zod';
import { CAMERA_MODES } from './cameraModes.js';

/** Most draw times one `stats` message carries (two seconds at 60 Hz). */
export const MAX_STATS_SAMPLES = 120;

/** zod 4's number refuses NaN and ±Infinity. */
const finite = z.number();
const coordinate = finite;
/** A vehicle index, or −1 for none. */
const vehicleIndex = z.int().min(-1);
const requestId = z.int().nonnegative();

/** Viewport size of the canvas [CSS px] and the device pixel ratio. */
const viewportSize = {
  width: finite.nonnegative(),
  height: finite.nonnegative(),
  pixelRatio: finite.positive(),
};

/** An OffscreenCanvas (a class that exists only in browsers, hence no z.instanceof). */
const offscreenCanvas = z.custom<OffscreenCanvas>(
  (value) => typeof OffscreenCanvas !== 'undefined' && value instanceof OffscreenCanvas,
  'expected an OffscreenCanvas',
);

/** Pointer and wheel event kinds the camera controls listen to. */
export const FORWARDED_EVENTS = Object.freeze([
  'pointerdown',
  'pointermove',
  'pointerup',
  'pointercancel',
  'wheel',
  'contextmenu',
] as const);

/** A pointer or wheel event on the canvas, as the worker's camera controls read it. */
export const ForwardedInputSchema = z.strictObject({
  kind: z.enum(FORWARDED_EVENTS),
  /** Pointer position [CSS px from the canvas's top-left corner]. */
  x: coordinate,
  y: coordinate,
  pointerId: z.int(),
  pointerType: z.string().max(16),
  button: z.int(),
  ctrlKey: z.boolean(),
  metaKey: z.boolean(),
  shiftKey: z.boolean(),
  /** Wheel only (0 otherwise). */
  deltaY: finite,
  deltaMode: z.int().min(0).max(2),
});

/** A forwarded event. */
export type ForwardedInput = z.output<typeof ForwardedInputSchema>;

/** Window → worker. */
export const ToSceneWorkerSchema = z.discriminatedUnion('type', [
  /** First message: the canvas (transferred) and its size. */
  z.strictObject({ type: z.literal('init'), canvas: offscreenCanvas, ...viewportSize }),
  /**
   * Shows a replay: the worker opens its own player on `bytes` at `time` [frames] with `selected`;
   * `keepView` keeps the camera (a live replay growing). It answers `drawn` with `serial` once the
   * first frame is drawn.
   */
  z.strictObject({
    type: z.literal('load'),
    serial: z.int().nonnegative(),
    bytes: z.instanceof(Uint8Array),
    keepView: z.boolean(),
    time: finite.nonnegative(),
    selected: vehicleIndex,
  }),
  z.strictObject({ type: z.literal('unload') }),
  /** Playback time [frames] and selected vehicle: sent when either changed. */
  z.strictObject({ type: z.literal('view'), time: finite.nonnegative(), selected: vehicleIndex }),
  z.strictObject({ type: z.literal('camera'), mode: z.enum(CAMERA_MODES) }),
  z.strictObject({ type: z.literal('resize'), ...viewportSize }),
  z.strictObject({ type: z.literal('input'), event: ForwardedInputSchema }),
  /** Which vehicle is drawn at viewport point (x, y)? Answered by `picked`. */
  z.strictObject({ type: z.literal('pick'), id: requestId, x: coordinate, y: coordinate }),
  /** Where is vehicle `index` drawn? Answered by `screenPoint`. */
  z.strictObject({ type: z.literal('screenPoint'), id: requestId, index: z.int() }),
  /** Frees the scene and the WebGL context; the worker then closes. */
  z.strictObject({ type: z.literal('dispose') }),
]);

/** A message to the worker. */
export type ToSceneWorker = z.output<typeof ToSceneWorkerSchema>;

/** Worker → window. */
export const FromSceneWorkerSchema = z.discriminatedUnion('type', [
  /**
   * The scene is built (WebGL context, shaders of road and vehicles); `maxFps` is the most frames a
   * second it draws (drawPacing.ts: software WebGL), null when it draws on every animation frame.
   */
  z.strictObject({ type: z.literal('ready'), maxFps: z.number().positive().nullable() }),
  /** The first frame of `load` `serial` is drawn, at `at` [ms since the epoch, performance.timeOrigin based]. */
  z.strictObject({ type: z.literal('drawn'), serial: z.int().nonnegative(), at: finite }),
  z.strictObject({ type: z.literal('picked'), id: requestId, vehicle: vehicleIndex }),
  z.strictObject({
    type: z.literal('screenPoint'),
    id: requestId,
    point: z.strictObject({ x: coordinate, y: coordinate }).nullable(),
  }),
  /** The camera controls changed the canvas's cursor (grab, grabbing, auto). */
  z.strictObject({ type: z.literal('cursor'), cursor: z.string().max(32) }),
  /** Frames drawn since the last `stats` and the worker's time per draw [ms] (the last ≤ 120). */
  z.strictObject({
    type: z.literal('stats'),
    frames: z.int().nonnegative(),
    drawMs: z.array(finite.nonnegative()).max(MAX_STATS_SAMPLES),
  }),
  /** Something failed in the worker (a refused message, a replay it cannot open). */
  z.strictObject({ type: z.literal('error'), message: z.string() }),
]);

/** A message from the worker. */
export type FromSceneWorker = z.output<typeof FromSceneWorkerSchema>;

/** "path: message" for each issue of a refused message, joined with "; ". */
function issuesText(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length === 0 ? '(message)' : issue.path.join('.')}: ${issue.message}`)
    .join('; ');
}

/** Parses a message for the worker; throws an Error naming the wrong fields. */
export function parseToSceneWorker(raw: unknown): ToSceneWorker {
  const result = ToSceneWorkerSchema.safeParse(raw);
  if (!result.success) throw new Error(`scene worker: refused a message: ${issuesText(result.error)}`);
  return result.data;
}

/** Parses a message from the worker; throws an Error naming the wrong fields. */
export function parseFromSceneWorker(raw: unknown): FromSceneWorker {
  const result = FromSceneWorkerSchema.safeParse(raw);
  if (!result.success) throw new Error(`scene proxy: refused a worker message: ${issuesText(result.error)}`);
  return result.data;
}
