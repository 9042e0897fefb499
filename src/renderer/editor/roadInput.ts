/**
 * The editor's road under the pointer and keyboard: a click on a lane places a vehicle, a drag
 * moves it along or between lanes (or pans when it starts off the road), the wheel zooms, Delete
 * removes the selected vehicle, ←/→ nudge it, Escape clears the selection.
 */

import type { ScenarioLane } from '../../core/scenario/index.js';
import type { EditorCanvas } from './editorCanvas.js';
import { type EditorRoad, pickLane } from './laneGeometry.js';
import type { ScenarioDraft } from './scenarioDraft.js';

/** What the road's input does to the editor. */
export interface RoadEditing {
  /** The current draft, its road geometry and selected vehicle (-1: none). */
  draft(): ScenarioDraft;
  road(): EditorRoad;
  selected(): number;
  /** Selects vehicle `index` (-1: none). */
  select(index: number): void;
  /** Places a vehicle of the chosen kind (switching to an explicit list), selects it; returns its index. */
  place(lane: ScenarioLane, positionM: number): number;
  /** While dragging: moves vehicle `index` there and redraws the road only. */
  dragTo(index: number, lane: ScenarioLane, positionM: number): void;
  /** A vehicle was dragged: brings the panels up to date. */
  dragged(): void;
  /** Moves the selected vehicle along its lane by `stepM` [m]. */
  nudge(stepM: number): void;
  /** Deletes the selected vehicle. */
  deleteSelected(): void;
  /** After an edit: revalidate and bring every part up to date. */
  changed(): void;
}

/** Binds pointer, wheel and keys of `element` (the canvas of `canvas`) to `editing`. */
export function bindRoadInput(element: HTMLCanvasElement, canvas: EditorCanvas, editing: RoadEditing): void {
  let drag: { index: number; moved: boolean } | { pan: number } | null = null;
  const local = (event: PointerEvent | WheelEvent) => {
    const rect = element.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };
  element.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    element.focus();
    const p = local(event);
    const hit = editing.draft().trafficMode === 'vehicles' ? canvas.vehicleAt(p.x, p.y) : -1;
    if (hit >= 0) {
      editing.select(hit);
      drag = { index: hit, moved: false };
      element.setPointerCapture(event.pointerId);
      return;
    }
    const world = canvas.toWorld(p.x, p.y);
    const spot = pickLane(editing.road(), world.x, world.y);
    if (spot === null) {
      drag = { pan: p.x };
      element.setPointerCapture(event.pointerId);
      return;
    }
    const index = editing.place(spot.lane, spot.positionM);
    drag = { index, moved: false };
    element.setPointerCapture(event.pointerId);
    editing.changed();
  });
  element.addEventListener('pointermove', (event) => {
    if (drag === null) return;
    const p = local(event);
    if ('pan' in drag) {
      canvas.pan(p.x - drag.pan);
      drag.pan = p.x;
      return;
    }
    const world = canvas.toWorld(p.x, p.y);
    const spot = pickLane(editing.road(), world.x, world.y, Number.POSITIVE_INFINITY)!;
    drag.moved = true;
    editing.dragTo(drag.index, spot.lane, spot.positionM);
  });
  const end = () => {
    if (drag !== null && !('pan' in drag) && drag.moved) editing.dragged();
    drag = null;
  };
  element.addEventListener('pointerup', end);
  element.addEventListener('pointercancel', end);
  element.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      canvas.zoom(Math.exp(-event.deltaY * 0.002), local(event).x);
    },
    { passive: false },
  );
  element.addEventListener('keydown', (event) => {
    if ((event.key === 'Delete' || event.key === 'Backspace') && editing.selected() >= 0) {
      event.preventDefault();
      editing.deleteSelected();
    } else if (event.key === 'Escape') {
      editing.select(-1);
    } else if ((event.key === 'ArrowLeft' || event.key === 'ArrowRight') && editing.selected() >= 0) {
      // Nudge along the lane: 1 m, 10 m with Shift.
      event.preventDefault();
      editing.nudge((event.shiftKey ? 10 : 1) * (event.key === 'ArrowLeft' ? -1 : 1));
    }
  });
}
