/**
 * The worker's stand-in for the canvas element (src/renderer/scene/inputSurface.ts): forwarded
 * events arrive in viewport coordinates, listeners come and go as OrbitControls adds and removes
 * them, and the real OrbitControls and camera rig, listening to a surface, turn, zoom and dolly on
 * forwarded events as they do on a canvas.
 */
import { PerspectiveCamera } from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { describe, expect, it } from 'vitest';
import { CameraRig } from '../../../../src/renderer/scene/cameraRig.js';
import {
  forwardedInput,
  InputSurface,
  type PointerLike,
} from '../../../../src/renderer/scene/inputSurface.js';

const ORIGIN = { left: 100, top: 50 };

function mouse(
  type: string,
  clientX: number,
  clientY: number,
  extra: Partial<PointerLike> = {},
): PointerLike {
  return {
    type,
    clientX,
    clientY,
    pointerId: 1,
    pointerType: 'mouse',
    button: 0,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    ...extra,
  };
}

/** Feeds DOM-like events through forwardedInput into `surface`, as window and worker do. */
function feed(surface: InputSurface, ...events: PointerLike[]): void {
  for (const event of events) {
    const input = forwardedInput(event, ORIGIN);
    if (input !== null) surface.dispatch(input);
  }
}

describe('forwardedInput', () => {
  it('makes client coordinates relative to the canvas and keeps the fields the controls read', () => {
    expect(forwardedInput(mouse('pointerdown', 150, 80, { button: 2, shiftKey: true }), ORIGIN)).toEqual({
      kind: 'pointerdown',
      x: 50,
      y: 30,
      pointerId: 1,
      pointerType: 'mouse',
      button: 2,
      ctrlKey: false,
      metaKey: false,
      shiftKey: true,
      deltaY: 0,
      deltaMode: 0,
    });
    const wheel = forwardedInput(
      { ...mouse('wheel', 100, 50), pointerId: undefined, deltaY: -3, deltaMode: 1 },
      ORIGIN,
    );
    expect(wheel).toMatchObject({ kind: 'wheel', x: 0, y: 0, pointerId: 0, deltaY: -3, deltaMode: 1 });
  });

  it('leaves out events the camera does not use', () => {
    expect(forwardedInput(mouse('click', 0, 0), ORIGIN)).toBeNull();
    expect(forwardedInput(mouse('keydown', 0, 0), ORIGIN)).toBeNull();
  });
});

describe('InputSurface', () => {
  it('replays an event to the listeners of its kind, itself as document and target', () => {
    const surface = new InputSurface();
    const seen: string[] = [];
    const listener = (event: { type: string; clientX: number; target: unknown }) => {
      seen.push(`${event.type}@${event.clientX}`);
      expect(event.target).toBe(surface);
    };
    surface.ownerDocument.addEventListener('pointermove', listener);
    feed(surface, mouse('pointermove', 130, 60), mouse('pointerdown', 130, 60));
    surface.removeEventListener('pointermove', listener);
    feed(surface, mouse('pointermove', 140, 60));
    expect(seen).toEqual(['pointermove@30']);
    expect(surface.listenerCount('pointermove')).toBe(0);
  });

  it('reports cursor changes once each, and its size as its rectangle', () => {
    const cursors: string[] = [];
    const surface = new InputSurface((cursor) => cursors.push(cursor));
    surface.style.cursor = 'grab';
    surface.style.cursor = 'grab';
    surface.style.cursor = 'grabbing';
    expect(cursors).toEqual(['grab', 'grabbing']);
    surface.resize(800, 600);
    expect(surface.getBoundingClientRect()).toMatchObject({ left: 0, top: 0, width: 800, height: 600 });
  });

  it('drives the real OrbitControls: a drag turns the camera and leaves no drag listener', () => {
    const surface = new InputSurface();
    surface.resize(800, 600);
    const camera = new PerspectiveCamera(40, 800 / 600, 1, 4000);
    camera.position.set(-55, 38, 48);
    const controls = new OrbitControls(camera, surface as unknown as HTMLElement);
    controls.update();
    const before = camera.position.clone();
    feed(
      surface,
      mouse('pointerdown', 500, 350),
      mouse('pointermove', 540, 352),
      mouse('pointermove', 580, 356),
      mouse('pointerup', 580, 356),
    );
    controls.update();
    expect(camera.position.distanceTo(before)).toBeGreaterThan(1);
    expect(camera.position.length()).toBeCloseTo(before.length(), 3); // turned around the target, not moved away
    expect(surface.listenerCount('pointermove')).toBe(0);
    expect(surface.listenerCount('pointerup')).toBe(0);
    const distance = camera.position.length();
    feed(surface, { ...mouse('wheel', 500, 350), deltaY: 200, deltaMode: 0 });
    controls.update();
    expect(camera.position.length()).toBeGreaterThan(distance); // wheel down dollies out
    controls.dispose();
  });

  it('zooms the camera rig’s top view on a forwarded wheel', () => {
    const surface = new InputSurface();
    surface.resize(800, 600);
    const rig = new CameraRig(surface as unknown as HTMLElement);
    rig.resize(800, 600);
    rig.setMode('top');
    const span = rig.top.right - rig.top.left;
    feed(surface, { ...mouse('wheel', 500, 350), deltaY: 300, deltaMode: 0 });
    expect(rig.top.right - rig.top.left).toBeGreaterThan(span);
    rig.dispose();
    expect(surface.listenerCount('wheel')).toBe(0);
  });
});
