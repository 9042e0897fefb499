/**
 * The renderer worker's messages (src/renderer/scene/sceneMessages.ts): every kind the window and
 * the worker send passes its schema after a structured clone (what postMessage does), and a
 * malformed one is refused with the field that is wrong.
 */
import { describe, expect, it } from 'vitest';
import {
  type ForwardedInput,
  type FromSceneWorker,
  MAX_STATS_SAMPLES,
  parseFromSceneWorker,
  parseToSceneWorker,
  type ToSceneWorker,
} from '../../../../src/renderer/scene/sceneMessages.js';

const drag: ForwardedInput = {
  kind: 'pointermove',
  x: 120.5,
  y: 33,
  pointerId: 1,
  pointerType: 'mouse',
  button: -1,
  ctrlKey: false,
  metaKey: false,
  shiftKey: true,
  deltaY: 0,
  deltaMode: 0,
};

/** One of each message to the worker but `init` (its OffscreenCanvas exists only in browsers). */
const toWorker: ToSceneWorker[] = [
  { type: 'load', serial: 3, bytes: new Uint8Array([1, 2, 3]), keepView: true, time: 12.25, selected: 4 },
  { type: 'unload' },
  { type: 'view', time: 0, selected: -1 },
  { type: 'camera', mode: 'follow' },
  { type: 'resize', width: 960, height: 640, pixelRatio: 1.5 },
  { type: 'input', event: drag },
  { type: 'input', event: { ...drag, kind: 'wheel', deltaY: -120, deltaMode: 1 } },
  { type: 'pick', id: 7, x: 10, y: 20 },
  { type: 'screenPoint', id: 8, index: 2 },
  { type: 'dispose' },
];

const fromWorker: FromSceneWorker[] = [
  { type: 'ready', maxFps: null },
  { type: 'ready', maxFps: 30 },
  { type: 'drawn', serial: 3, at: 1_790_000_000_000.25 },
  { type: 'picked', id: 7, vehicle: -1 },
  { type: 'screenPoint', id: 8, point: { x: 400, y: 300 } },
  { type: 'screenPoint', id: 9, point: null },
  { type: 'cursor', cursor: 'grabbing' },
  { type: 'stats', frames: 31, drawMs: [1.5, 2.25] },
  { type: 'error', message: 'scene worker: expected init before view' },
];

describe('scene worker messages', () => {
  it('accept every kind each side sends, after a structured clone', () => {
    for (const message of toWorker) expect(parseToSceneWorker(structuredClone(message))).toEqual(message);
    for (const message of fromWorker) expect(parseFromSceneWorker(structuredClone(message))).toEqual(message);
  });

  it('keep the replay bytes a Uint8Array', () => {
    const parsed = parseToSceneWorker(structuredClone(toWorker[0]));
    expect(parsed.type === 'load' && parsed.bytes instanceof Uint8Array).toBe(true);
  });

  it('refuse a malformed message, naming the field', () => {
    expect(() => parseToSceneWorker({ type: 'view', time: Number.NaN, selected: 0 })).toThrow(
      /scene worker: refused a message: time: /,
    );
    expect(() => parseToSceneWorker({ type: 'view', time: 1, selected: -2 })).toThrow(/selected: /);
    expect(() => parseToSceneWorker({ type: 'camera', mode: 'cockpit' })).toThrow(/mode: /);
    expect(() => parseToSceneWorker({ type: 'view', time: 1, selected: 0, extra: 1 })).toThrow(/extra/);
    expect(() => parseToSceneWorker({ type: 'draw' })).toThrow(/type: /);
    expect(() =>
      parseToSceneWorker({ type: 'load', serial: 1, bytes: [1, 2], keepView: false, time: 0, selected: -1 }),
    ).toThrow(/bytes: /);
    expect(() => parseToSceneWorker({ type: 'input', event: { ...drag, kind: 'keydown' } })).toThrow(
      /event\.kind: /,
    );
    expect(() =>
      parseFromSceneWorker({ type: 'stats', frames: 1, drawMs: new Array(MAX_STATS_SAMPLES + 1).fill(1) }),
    ).toThrow(/scene proxy: refused a worker message: drawMs: /);
    expect(() => parseFromSceneWorker({ type: 'picked', id: 1, vehicle: 0.5 })).toThrow(/vehicle: /);
  });

  it('refuse an init without an OffscreenCanvas', () => {
    expect(() =>
      parseToSceneWorker({ type: 'init', canvas: {}, width: 1, height: 1, pixelRatio: 1 }),
    ).toThrow(/canvas: expected an OffscreenCanvas/);
  });
});
