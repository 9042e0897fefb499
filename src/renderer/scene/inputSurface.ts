/**
 * Both halves of the camera controls' input when the scene draws in a worker (sceneWorker.ts):
 *
 * - window: `forwardedInput` turns a pointer or wheel event on the canvas into a small
 *   ForwardedInput message (viewport coordinates, the fields the controls read);
 * - worker: `InputSurface` stands in for the canvas element that three's OrbitControls and the
 *   camera rig listen to. It has the few members they use (listeners, size, bounding rectangle,
 *   pointer capture, cursor style) and replays forwarded events to its listeners. The controls
 *   register pointermove and pointerup on `ownerDocument` while dragging: that is the surface too.
 *
 * No DOM needed (unit-tested in Node, test/unit/renderer/scene/inputSurface.test.ts).
 */
import type { ForwardedInput } from './sceneMessages.js';

/** What the worker's listeners receive: the event fields OrbitControls reads, and no-op methods. */
export interface SurfaceEvent {
  readonly type: ForwardedInput['kind'];
  readonly target: InputSurface;
  readonly clientX: number;
  readonly clientY: number;
  readonly pageX: number;
  readonly pageY: number;
  readonly offsetX: number;
  readonly offsetY: number;
  readonly pointerId: number;
  readonly pointerType: string;
  readonly button: number;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly deltaX: number;
  readonly deltaY: number;
  readonly deltaMode: number;
  preventDefault(): void;
  stopPropagation(): void;
}

type SurfaceListener = (event: SurfaceEvent) => void;

const noop = () => {};

/** The canvas element, as the worker's camera controls see it. */
export class InputSurface {
  /** Viewport size [CSS px]. */
  clientWidth = 0;
  clientHeight = 0;
  /** `cursor` changes are reported (the window sets them on the real canvas). */
  readonly style: { cursor: string; touchAction: string };
  private readonly listeners = new Map<string, Set<SurfaceListener>>();

  constructor(onCursor: (cursor: string) => void = noop) {
    let cursor = 'auto';
    this.style = {
      get cursor() {
        return cursor;
      },
      set cursor(value: string) {
        if (value === cursor) return;
        cursor = value;
        onCursor(value);
      },
      touchAction: '', // the window's canvas sets its own (styles.css)
    };
  }

  /** The controls listen on the document while a pointer drags: here, the same surface. */
  get ownerDocument(): InputSurface {
    return this;
  }

  addEventListener(type: string, listener: SurfaceListener): void {
    let set = this.listeners.get(type);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(type, set);
    }
    set.add(listener);
  }

  removeEventListener(type: string, listener: SurfaceListener): void {
    this.listeners.get(type)?.delete(listener);
  }

  /** Listeners of `type` now (for tests). */
  listenerCount(type: string): number {
    return this.listeners.get(type)?.size ?? 0;
  }

  /** The window captures the pointer on the real canvas; nothing to do here. */
  setPointerCapture(_pointerId: number): void {}
  releasePointerCapture(_pointerId: number): void {}
  hasPointerCapture(_pointerId: number): boolean {
    return false;
  }
  focus(): void {}

  /** Forwarded coordinates are already viewport coordinates: the rectangle starts at (0, 0). */
  getBoundingClientRect(): {
    left: number;
    top: number;
    width: number;
    height: number;
    x: number;
    y: number;
  } {
    return { left: 0, top: 0, x: 0, y: 0, width: this.clientWidth, height: this.clientHeight };
  }

  /** New viewport size [CSS px]. */
  resize(width: number, height: number): void {
    this.clientWidth = width;
    this.clientHeight = height;
  }

  /** Replays one forwarded event to the listeners of its kind. */
  dispatch(input: ForwardedInput): void {
    const set = this.listeners.get(input.kind);
    if (set === undefined || set.size === 0) return;
    const event: SurfaceEvent = {
      type: input.kind,
      target: this,
      clientX: input.x,
      clientY: input.y,
      pageX: input.x,
      pageY: input.y,
      offsetX: input.x,
      offsetY: input.y,
      pointerId: input.pointerId,
      pointerType: input.pointerType,
      button: input.button,
      ctrlKey: input.ctrlKey,
      metaKey: input.metaKey,
      shiftKey: input.shiftKey,
      deltaX: 0,
      deltaY: input.deltaY,
      deltaMode: input.deltaMode,
      preventDefault: noop,
      stopPropagation: noop,
    };
    for (const listener of [...set]) listener(event); // a listener may remove itself
  }
}

/** The fields of a DOM pointer or wheel event that `forwardedInput` reads. */
export interface PointerLike {
  readonly type: string;
  readonly clientX: number;
  readonly clientY: number;
  readonly pointerId?: number;
  readonly pointerType?: string;
  readonly button: number;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly deltaY?: number;
  readonly deltaMode?: number;
}

/**
 * A pointer or wheel event on the canvas as a message: client coordinates made relative to the
 * canvas's top-left corner (`origin`, its bounding rectangle), null for an event kind the camera
 * does not use.
 */
export function forwardedInput(
  event: PointerLike,
  origin: { readonly left: number; readonly top: number },
): ForwardedInput | null {
  const kind = event.type;
  if (
    kind !== 'pointerdown' &&
    kind !== 'pointermove' &&
    kind !== 'pointerup' &&
    kind !== 'pointercancel' &&
    kind !== 'wheel' &&
    kind !== 'contextmenu'
  ) {
    return null;
  }
  return {
    kind,
    x: event.clientX - origin.left,
    y: event.clientY - origin.top,
    pointerId: event.pointerId ?? 0,
    pointerType: (event.pointerType ?? 'mouse').slice(0, 16),
    button: event.button,
    ctrlKey: event.ctrlKey,
    metaKey: event.metaKey,
    shiftKey: event.shiftKey,
    deltaY: event.deltaY ?? 0,
    deltaMode: Math.min(Math.max(event.deltaMode ?? 0, 0), 2),
  };
}
