/**
 * The editor's top-down view of the road (2-D canvas): lanes from the simulator's geometry
 * (laneGeometry.ts), segment dimensions, a distance ruler, the obstacle, and the vehicles of the
 * draft as markers. The lateral scale is exaggerated (lanes are 4 m wide on a road of ~500 m), so
 * markers are drawn at least MIN_MARKER_PX long; the wheel zooms along the road, a drag on empty
 * ground pans. Coordinates: world (x along the road, y across it, ramp at +y) → screen, y down.
 */

import { type ScenarioIssue, type ScenarioLane, VEHICLE_LENGTH_M } from '../../core/scenario/index.js';
import { LANE_WIDTH_M } from '../../core/sim/horm/road/index.js';
import { HDV_COLOUR_HEX, rankColourHex, SELECTION_COLOUR_HEX } from '../scene/palette.js';
import { type EditorRoad, lanePoint } from './laneGeometry.js';
import { agentNumbers, issuesUnder, type ScenarioDraft } from './scenarioDraft.js';

/** One vehicle as drawn. */
export interface CanvasVehicle {
  readonly lane: ScenarioLane;
  readonly positionM: number;
  readonly cav: boolean;
  /** Agent number of a CAV (colour and label), −1 for an HDV. */
  readonly agent: number;
  /** The validator has something to say about it. */
  readonly bad: boolean;
}

/**
 * The vehicles of `draft` as the road draws them: an explicit list's vehicles whose position is a
 * number (density traffic has none to place), each marked bad when an issue is under its path.
 */
export function canvasVehicles(draft: ScenarioDraft, issues: readonly ScenarioIssue[]): CanvasVehicle[] {
  if (draft.trafficMode !== 'vehicles') return [];
  const agents = agentNumbers(draft.vehicles);
  return draft.vehicles.flatMap((v, i) =>
    typeof v.positionM === 'number'
      ? [
          {
            lane: v.lane,
            positionM: v.positionM,
            cav: v.kind === 'cav',
            agent: agents[i]!,
            bad: issuesUnder(issues, `traffic.vehicles[${i}]`).length > 0,
          },
        ]
      : [],
  );
}

/** Lateral scale bounds [px per m] (exaggerated against the longitudinal one); fitted to the height. */
const MIN_Y_SCALE_PX_PER_M = 7;
const MAX_Y_SCALE_PX_PER_M = 16;
/** World height the lateral scale fits into the canvas [m]: road, dimensions and ruler. */
const VIEW_HEIGHT_M = 34;
/** Shortest marker drawn [px]. */
const MIN_MARKER_PX = 26;
/** Widest marker drawn [px] (the lateral scale would make vehicles taller than long). */
const MAX_MARKER_WIDTH_PX = 18;
/** Margin left and right of the road [px]. */
const MARGIN_X_PX = 36;
/** World y of the view's vertical centre [m]: between the main road (0) and the ramp (10.5). */
const CENTRE_Y_M = 5.25;
/** Vehicle size [m] (docs/spec/horm.md §2.1). */
const VEHICLE_WIDTH_M = 2;

const COLOURS = {
  ground: '#0d1014',
  asphalt: '#2a2f37',
  rampAsphalt: '#302c29',
  mergeZone: 'rgba(59, 130, 246, 0.10)',
  paint: '#d9dce1',
  dim: '#8b94a1',
  ruler: '#4b5563',
  obstacle: '#ef4444',
  bad: '#ef4444',
  text: '#e6e9ee',
};

/** The canvas and how world coordinates map onto it. */
export class EditorCanvas {
  /** Longitudinal scale [px per m]. */
  private xScale = 1;
  /** World x at the canvas's left edge [m]. */
  private xOrigin = 0;
  /** Lateral scale [px per m]. */
  private yScale = MIN_Y_SCALE_PX_PER_M;
  private fitted = false;
  private widthPx = 0;
  private heightPx = 0;
  private road: EditorRoad | null = null;
  private vehicles: readonly CanvasVehicle[] = [];
  private selected = -1;

  constructor(readonly canvas: HTMLCanvasElement) {}

  /** Matches the canvas's pixel size to its CSS size; keeps the zoom, or fits when first sized. */
  resize(): void {
    const rect = this.canvas.getBoundingClientRect();
    const ratio = window.devicePixelRatio || 1;
    this.widthPx = Math.max(1, Math.round(rect.width));
    this.heightPx = Math.max(1, Math.round(rect.height));
    this.canvas.width = Math.round(this.widthPx * ratio);
    this.canvas.height = Math.round(this.heightPx * ratio);
    this.yScale = Math.min(
      Math.max(this.heightPx / VIEW_HEIGHT_M, MIN_Y_SCALE_PX_PER_M),
      MAX_Y_SCALE_PX_PER_M,
    );
    if (!this.fitted && rect.width > 0) this.fit();
    this.draw();
  }

  /** The whole road in view. */
  fit(): void {
    if (this.road === null || this.widthPx <= 1) return;
    this.xScale = (this.widthPx - 2 * MARGIN_X_PX) / this.road.endXM;
    this.xOrigin = -MARGIN_X_PX / this.xScale;
    this.fitted = true;
  }

  /** Sets what is drawn and draws it; `fit`: the whole road in view (also when the road's length changed). */
  update(road: EditorRoad, vehicles: readonly CanvasVehicle[], selected: number, fit = false): void {
    const refit = fit || this.road === null || this.road.endXM !== road.endXM;
    this.road = road;
    this.vehicles = vehicles;
    this.selected = selected;
    if (refit) this.fit();
    this.draw();
  }

  /** Screen (CSS px relative to the canvas) → world [m]. */
  toWorld(px: number, py: number): { x: number; y: number } {
    return { x: this.xOrigin + px / this.xScale, y: CENTRE_Y_M + (py - this.heightPx / 2) / this.yScale };
  }

  /** World [m] → screen (CSS px relative to the canvas). */
  toScreen(x: number, y: number): { x: number; y: number } {
    return { x: (x - this.xOrigin) * this.xScale, y: this.heightPx / 2 + (y - CENTRE_Y_M) * this.yScale };
  }

  /** Where vehicle `index` is drawn (CSS px relative to the canvas), or null. */
  vehicleScreenPoint(index: number): { x: number; y: number } | null {
    const v = this.vehicles[index];
    if (v === undefined || this.road === null) return null;
    const p = lanePoint(this.road, v.lane, v.positionM);
    return this.toScreen(p.x, p.y);
  }

  /** The vehicle under a screen point (the topmost), or −1. */
  vehicleAt(px: number, py: number): number {
    const halfLength = Math.max((VEHICLE_LENGTH_M * this.xScale) / 2, MIN_MARKER_PX / 2) + 2;
    const halfWidth = this.markerWidthPx() / 2 + 3;
    for (let i = this.vehicles.length - 1; i >= 0; i--) {
      const p = this.vehicleScreenPoint(i);
      if (p !== null && Math.abs(px - p.x) <= halfLength && Math.abs(py - p.y) <= halfWidth) return i;
    }
    return -1;
  }

  /** Marker width [px]: the vehicle's width to scale, at most MAX_MARKER_WIDTH_PX. */
  private markerWidthPx(): number {
    return Math.min(VEHICLE_WIDTH_M * this.yScale, MAX_MARKER_WIDTH_PX);
  }

  /** Zooms along the road by `factor` keeping the world point under `px` in place. */
  zoom(factor: number, px: number): void {
    if (this.road === null) return;
    const fitScale = (this.widthPx - 2 * MARGIN_X_PX) / this.road.endXM;
    const next = Math.min(Math.max(this.xScale * factor, fitScale * 0.5), 40);
    const anchor = this.xOrigin + px / this.xScale;
    this.xScale = next;
    this.xOrigin = anchor - px / next;
    this.draw();
  }

  /** Pans by `dx` CSS px. */
  pan(dx: number): void {
    this.xOrigin -= dx / this.xScale;
    this.draw();
  }

  /** Draws everything. */
  draw(): void {
    const ctx = this.canvas.getContext('2d');
    const road = this.road;
    if (ctx === null || road === null) return;
    const ratio = this.canvas.width / this.widthPx;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = COLOURS.ground;
    ctx.fillRect(0, 0, this.widthPx, this.heightPx);
    this.drawRoad(ctx, road);
    this.drawDimensions(ctx, road);
    this.drawVehicles(ctx, road);
  }

  private drawRoad(ctx: CanvasRenderingContext2D, road: EditorRoad): void {
    const half = LANE_WIDTH_M / 2;
    const { beforeMergeM: before, convergingM: converging, mergeM: merge } = road.lengths;
    const xb = before + converging;
    const xc = xb + merge;
    // Asphalt, lane by lane (the sine lane sampled every metre).
    for (const [id, lane] of road.lanes) {
      ctx.fillStyle =
        id === 'a-b-0' || id === 'b-c-0' || id === 'c-d-0' ? COLOURS.asphalt : COLOURS.rampAsphalt;
      ctx.beginPath();
      const steps = Math.max(1, Math.ceil(lane.lengthM));
      for (let k = 0; k <= steps; k++) {
        const s = (lane.lengthM * k) / steps;
        const p = this.toScreen(lane.pointX(s, 0), lane.pointY(s, -half));
        if (k === 0) ctx.moveTo(p.x, p.y);
        else ctx.lineTo(p.x, p.y);
      }
      for (let k = steps; k >= 0; k--) {
        const s = (lane.lengthM * k) / steps;
        const p = this.toScreen(lane.pointX(s, 0), lane.pointY(s, half));
        ctx.lineTo(p.x, p.y);
      }
      ctx.closePath();
      ctx.fill();
    }
    // Merge zone tint, beside the merge lane.
    const top = this.toScreen(xb, -half);
    const bottom = this.toScreen(xc, 4 + half);
    ctx.fillStyle = COLOURS.mergeZone;
    ctx.fillRect(top.x, top.y, bottom.x - top.x, bottom.y - top.y);
    // Edges: solid outer lines; dashed between the main road and the merge lane.
    ctx.strokeStyle = COLOURS.paint;
    ctx.lineWidth = 1;
    const line = (x0: number, y0: number, x1: number, y1: number, dashed: boolean) => {
      const a = this.toScreen(x0, y0);
      const b = this.toScreen(x1, y1);
      ctx.setLineDash(dashed ? [Math.max(3, 3 * this.xScale), Math.max(4, 6 * this.xScale)] : []);
      ctx.beginPath();
      ctx.moveTo(a.x, a.y);
      ctx.lineTo(b.x, b.y);
      ctx.stroke();
    };
    line(0, -half, road.endXM, -half, false);
    line(0, half, xb, half, false);
    line(xb, half, xc, half, true);
    line(xc, half, road.endXM, half, false);
    line(xb, 4 + half, xc, 4 + half, false);
    ctx.setLineDash([]);
    // Obstacle closing the merge lane (docs/spec/horm.md §1.6).
    const o = this.toScreen(xc, 4);
    ctx.fillStyle = COLOURS.obstacle;
    ctx.fillRect(
      o.x - Math.max(2, this.xScale),
      o.y - this.yScale,
      Math.max(4, 2 * this.xScale),
      2 * this.yScale,
    );
    // Lane names at their starts.
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = COLOURS.dim;
    ctx.textBaseline = 'middle';
    for (const [id, lane] of road.lanes) {
      const p = this.toScreen(lane.pointX(2, 0), lane.pointY(2, 0));
      ctx.fillText(id, p.x + 2, p.y);
    }
  }

  /** Segment lengths above the road; a ruler every 50 m below it. */
  private drawDimensions(ctx: CanvasRenderingContext2D, road: EditorRoad): void {
    const { beforeMergeM: before, convergingM: converging, mergeM: merge, afterMergeM: after } = road.lengths;
    const stations = [0, before, before + converging, before + converging + merge, road.endXM];
    const labels = [
      `before merge ${before} m`,
      `converging ${converging} m`,
      `merge zone ${merge} m`,
      `after merge ${after} m`,
    ];
    const y = this.toScreen(0, -6).y;
    ctx.strokeStyle = COLOURS.ruler;
    ctx.fillStyle = COLOURS.dim;
    ctx.lineWidth = 1;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    for (let k = 0; k < 4; k++) {
      const a = this.toScreen(stations[k]!, 0).x;
      const b = this.toScreen(stations[k + 1]!, 0).x;
      ctx.beginPath();
      ctx.moveTo(a, y - 4);
      ctx.lineTo(a, y + 4);
      ctx.moveTo(a, y);
      ctx.lineTo(b, y);
      ctx.moveTo(b, y - 4);
      ctx.lineTo(b, y + 4);
      ctx.stroke();
      if (b - a > 60) ctx.fillText(labels[k]!, (a + b) / 2, y - 3);
    }
    // Ruler: x stations every 50 m (every 10 m when zoomed in).
    const every = this.xScale > 8 ? 10 : this.xScale > 3 ? 25 : 50;
    const base = this.toScreen(0, 15.5).y;
    ctx.textBaseline = 'top';
    for (let x = 0; x <= road.endXM + 1e-9; x += every) {
      const p = this.toScreen(x, 0).x;
      ctx.beginPath();
      ctx.moveTo(p, base);
      ctx.lineTo(p, base + (x % 100 === 0 ? 7 : 4));
      ctx.stroke();
      if (x % (every * 2) === 0 || every === 50) ctx.fillText(`${x}`, p, base + 8);
    }
    ctx.textAlign = 'right';
    ctx.fillText('x [m]', this.widthPx - 4, base + 8);
    ctx.textAlign = 'left';
  }

  private drawVehicles(ctx: CanvasRenderingContext2D, road: EditorRoad): void {
    const lengthPx = Math.max(VEHICLE_LENGTH_M * this.xScale, MIN_MARKER_PX);
    const widthPx = this.markerWidthPx();
    ctx.font = '600 10px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    this.vehicles.forEach((v, i) => {
      const p = lanePoint(road, v.lane, v.positionM);
      const s = this.toScreen(p.x, p.y);
      // The heading on screen, with the lateral exaggeration.
      const angle = Math.atan2(Math.sin(p.heading) * this.yScale, Math.cos(p.heading) * this.xScale);
      ctx.save();
      ctx.translate(s.x, s.y);
      ctx.rotate(angle);
      ctx.fillStyle = v.cav ? rankColourHex(v.agent) : HDV_COLOUR_HEX;
      ctx.beginPath();
      ctx.roundRect(-lengthPx / 2, -widthPx / 2, lengthPx, widthPx, 3);
      ctx.fill();
      // Nose: a notch at the front shows the direction of travel.
      ctx.fillStyle = 'rgba(0, 0, 0, 0.35)';
      ctx.fillRect(lengthPx / 2 - 4, -widthPx / 2 + 2, 2, widthPx - 4);
      if (v.bad || i === this.selected) {
        ctx.strokeStyle = i === this.selected ? SELECTION_COLOUR_HEX : COLOURS.bad;
        ctx.lineWidth = 2;
        ctx.setLineDash(v.bad && i === this.selected ? [4, 3] : []);
        ctx.beginPath();
        ctx.roundRect(-lengthPx / 2 - 3, -widthPx / 2 - 3, lengthPx + 6, widthPx + 6, 5);
        ctx.stroke();
        ctx.setLineDash([]);
      }
      ctx.restore();
      // Label above: #index, and the agent of a CAV.
      ctx.fillStyle = v.bad ? COLOURS.bad : COLOURS.text;
      ctx.fillText(v.cav ? `#${i} a${v.agent}` : `#${i}`, s.x, s.y - widthPx / 2 - 8);
    });
    ctx.textAlign = 'left';
  }
}
