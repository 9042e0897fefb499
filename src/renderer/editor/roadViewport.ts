/**
 * The editor's road area: the canvas (editorCanvas.ts draws it, roadInput.ts binds it), the palette
 * over it (Add: CAV or HDV, the kind a click places; Fit), the note shown for density traffic, and
 * the hint line.
 */
import { HDV_COLOUR_HEX, rankColourHex } from '../scene/palette.js';
import { el, swatch } from '../ui/dom.js';
import { button } from './editorDom.js';
import type { VehicleKind } from './scenarioDraft.js';

/** What the palette asks of the editor. */
export interface RoadViewportActions {
  /** Clicks on a lane now add vehicles of `kind`. */
  pickKind(kind: VehicleKind): void;
  /** Fit was clicked: the whole road in view. */
  fit(): void;
}

/** The road area and its overlays. */
export class RoadViewport {
  /** The area (canvas and overlays). */
  readonly element: HTMLElement;
  /** The road's canvas. */
  readonly canvas: HTMLCanvasElement;
  private readonly kindButtons: HTMLButtonElement[];
  private readonly densityNote: HTMLElement;

  constructor(doc: Document, actions: RoadViewportActions) {
    this.canvas = el(doc, 'canvas', 'editor-canvas');
    this.canvas.id = 'editor-canvas';
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute(
      'aria-label',
      'Top-down view of the road: click a lane to add a vehicle, drag to move it, Delete to remove it',
    );
    const palette = el(doc, 'div', 'overlay editor-palette');
    this.kindButtons = (['cav', 'hdv'] as const).map((kind) => {
      const b = button(
        doc,
        kind === 'cav' ? 'CAV' : 'HDV',
        `Clicks on a lane add ${kind === 'cav' ? 'a CAV (an agent)' : 'an HDV (human driver)'}`,
      );
      b.dataset.kind = kind;
      b.prepend(swatch(doc, kind === 'cav' ? rankColourHex(0) : HDV_COLOUR_HEX));
      b.addEventListener('click', () => actions.pickKind(kind));
      return b;
    });
    const fit = button(doc, 'Fit', 'Whole road in view');
    fit.addEventListener('click', () => actions.fit());
    palette.append(el(doc, 'span', 'dim', 'Add'), ...this.kindButtons, fit);
    const hint = el(
      doc,
      'div',
      'overlay editor-hint',
      'Click a lane to add · drag to move along or between lanes · ←/→ nudge 1 m (Shift: 10 m) · Delete removes the selected vehicle · wheel zooms along the road, drag the ground to pan · lateral scale exaggerated',
    );
    this.densityNote = el(
      doc,
      'div',
      'overlay editor-density-note',
      'Density traffic: the reference spawns CAVs and HDVs at random each episode (from the seed), so there are no vehicles to place. Click a lane to switch to an explicit list.',
    );
    this.densityNote.hidden = true;
    this.element = el(doc, 'div', 'editor-viewport');
    this.element.append(this.canvas, palette, this.densityNote, hint);
  }

  /** Marks the kind a click on a lane adds. */
  showKind(kind: VehicleKind): void {
    for (const b of this.kindButtons) b.setAttribute('aria-pressed', String(b.dataset.kind === kind));
  }

  /** Shows the density note (density traffic: no vehicles to place) or hides it. */
  showDensityNote(shown: boolean): void {
    this.densityNote.hidden = !shown;
  }
}
