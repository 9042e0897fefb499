/**
 * The three views of the player:
 * - orbit: OrbitControls (drag to turn, wheel to zoom, right-drag to pan) around a target that
 *   glides after the focus (the selected vehicle, else the centre of the CAVs and any crash),
 *   keeping the user's angle; until the user turns or zooms it, it also stands far enough back to
 *   keep the focus's radius in view (actionFrame.ts: every CAV and crashed vehicle on screen);
 * - follow: a chase camera behind the focus vehicle, turning with its heading;
 * - top: an orthographic map view straight down, centred on the focus, wheel to zoom.
 * Smoothing is frame-rate independent (1 − e^(−k·dt)); `update` allocates nothing. Distances are
 * for cars on a road; `setWorldScale` shrinks them all for a smaller world (a MuJoCo robot).
 */
import { type Camera, OrthographicCamera, PerspectiveCamera, Vector3 } from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { fitDistanceM } from './actionFrame.js';
import type { CameraMode } from './cameraModes.js';

export { CAMERA_MODES, type CameraMode } from './cameraModes.js';

/** How fast the cameras catch up with the focus [1/s]. */
const FOLLOW_RATE = 4;
/** Chase camera: distance behind, height above, look-ahead [m]. */
const CHASE_BEHIND_M = 26;
const CHASE_HEIGHT_M = 13;
const CHASE_AHEAD_M = 18;
/** Top view: visible width [m] at start, and its limits. */
const TOP_SPAN_M = 100;
const TOP_SPAN_LIMITS_M: readonly [number, number] = [30, 900];
/** Orbit view: initial offset from the target [m] (from the ramp side, the road running left to right). */
const ORBIT_OFFSET: readonly [number, number, number] = [-55, 38, 48];
/** Its length [m]: the orbit view's nearest automatic distance. */
const ORBIT_DISTANCE_M = Math.hypot(...ORBIT_OFFSET);

const _desired = new Vector3();
const _delta = new Vector3();
const _look = new Vector3();

/** Cameras and controls of the scene. */
export class CameraRig {
  readonly perspective = new PerspectiveCamera(40, 1, 1, 4000);
  readonly top = new OrthographicCamera(-1, 1, 1, -1, 1, 1000);
  readonly controls: OrbitControls;
  private current: CameraMode = 'orbit';
  private aspect = 1;
  private topSpan = TOP_SPAN_M;
  private readonly chaseLook = new Vector3();
  private placed = false;
  private orbitPlaced = false;
  /** Every distance of the views is multiplied by this (1: the road; MuJoCo robots: less). */
  private scale = 1;
  /** The user turned, zoomed or panned the orbit view: its distance is theirs until `recentre`. */
  private orbitByUser = false;
  private readonly onOrbitStart = () => {
    this.orbitByUser = true;
  };
  private readonly element: HTMLElement;
  private readonly onWheel = (event: WheelEvent) => {
    if (this.current !== 'top') return;
    event.preventDefault();
    this.zoomTop(Math.exp(event.deltaY * 0.0015));
  };

  constructor(element: HTMLElement) {
    this.element = element;
    this.controls = new OrbitControls(this.perspective, element);
    this.controls.enableDamping = true;
    this.controls.dampingFactor = 0.12;
    this.controls.maxPolarAngle = Math.PI * 0.48; // stay above the ground
    this.controls.minDistance = 8;
    this.controls.maxDistance = 1200;
    this.top.up.set(0, 0, -1); // world +y (three +z) points down the screen, x to the right
    this.controls.addEventListener('start', this.onOrbitStart);
    element.addEventListener('wheel', this.onWheel, { passive: false });
  }

  /**
   * Multiplies every distance of the views (orbit offset and zoom limits, chase distances, top
   * span, near and far planes) by `scale`, for a world of another size: 1 for the road, about 0.06
   * for a one-metre robot. The next `update` places the camera anew.
   */
  setWorldScale(scale: number): void {
    if (scale === this.scale) return;
    this.scale = scale;
    this.perspective.near = scale;
    this.perspective.far = 4000 * Math.max(scale, 0.05);
    this.perspective.updateProjectionMatrix();
    this.controls.minDistance = 8 * scale;
    this.controls.maxDistance = 1200 * scale;
    this.recentre();
  }

  /** The active mode. */
  get mode(): CameraMode {
    return this.current;
  }

  /** The camera to render with. */
  get camera(): Camera {
    return this.current === 'top' ? this.top : this.perspective;
  }

  /** Switches views; the next `update` places the new camera at once. */
  setMode(mode: CameraMode): void {
    if (mode === this.current) return;
    this.current = mode;
    this.controls.enabled = mode === 'orbit';
    this.placed = false;
  }

  /** Multiplies the top view's visible width by `factor`. */
  zoomTop(factor: number): void {
    const [min, max] = TOP_SPAN_LIMITS_M;
    this.topSpan = Math.min(Math.max(this.topSpan * factor, min * this.scale), max * this.scale);
    this.fitTop();
  }

  /** New viewport size [px]. */
  resize(width: number, height: number): void {
    this.aspect = width / Math.max(height, 1);
    this.perspective.aspect = this.aspect;
    this.perspective.updateProjectionMatrix();
    this.fitTop();
  }

  /**
   * Moves the active camera toward the focus: a world point (x, y) [m] with heading [rad] (the
   * chase camera turns with it) and, for the orbit view, the radius around it to keep in view
   * [m] (0: the point alone). Returns true while the camera still moves (render again).
   */
  update(dtS: number, x: number, y: number, heading: number, radiusM = 0): boolean {
    const first = !this.placed;
    const k = first ? 1 : 1 - Math.exp(-FOLLOW_RATE * Math.min(dtS, 0.25));
    this.placed = true;
    if (this.current === 'orbit') {
      const target = this.controls.target;
      const distance = Math.max(
        ORBIT_DISTANCE_M * this.scale,
        fitDistanceM(radiusM, this.perspective.fov, this.aspect),
      );
      if (first && !this.orbitPlaced) {
        // First view of a replay: the default angle, far enough back for the focus's radius;
        // later switches back keep the user's angle.
        this.orbitPlaced = true;
        target.set(x, 0, y);
        const scale = distance / ORBIT_DISTANCE_M; // includes the world scale
        this.perspective.position.set(
          x + ORBIT_OFFSET[0] * scale,
          ORBIT_OFFSET[1] * scale,
          y + ORBIT_OFFSET[2] * scale,
        );
        this.controls.update();
        return true;
      }
      _desired.set(x, 0, y);
      _delta.subVectors(_desired, target).multiplyScalar(k);
      target.add(_delta);
      this.perspective.position.add(_delta);
      let zooming = false;
      if (!this.orbitByUser) {
        // Glide the distance toward the one that frames the focus (along the view's own direction).
        _look.subVectors(this.perspective.position, target);
        const now = _look.length();
        const next = now + (distance - now) * k;
        zooming = Math.abs(next - now) > 1e-3;
        if (zooming && now > 0) this.perspective.position.copy(target).addScaledVector(_look, next / now);
      }
      const changed = this.controls.update();
      return changed || zooming || _delta.lengthSq() > 1e-6;
    }
    if (this.current === 'follow') {
      const c = Math.cos(heading);
      const s = Math.sin(heading);
      const m = this.scale;
      _desired.set(x - c * CHASE_BEHIND_M * m, CHASE_HEIGHT_M * m, y - s * CHASE_BEHIND_M * m);
      _look.set(x + c * CHASE_AHEAD_M * m, 0, y + s * CHASE_AHEAD_M * m);
      this.perspective.position.lerp(_desired, k);
      this.chaseLook.lerp(_look, k);
      this.perspective.lookAt(this.chaseLook);
      return this.perspective.position.distanceToSquared(_desired) > 1e-4 * this.scale * this.scale;
    }
    const px = this.top.position.x;
    const pz = this.top.position.z;
    this.top.position.set(px + (x - px) * k, 500 * this.scale, pz + (y - pz) * k);
    this.top.lookAt(this.top.position.x, 0, this.top.position.z);
    return Math.abs(x - this.top.position.x) + Math.abs(y - this.top.position.z) > 1e-3 * this.scale;
  }

  /** Back to the default views, centred on the next focus (a new replay). */
  recentre(): void {
    this.placed = false;
    this.orbitPlaced = false;
    this.orbitByUser = false;
    this.topSpan = TOP_SPAN_M * this.scale;
    this.fitTop();
  }

  dispose(): void {
    this.element.removeEventListener('wheel', this.onWheel);
    this.controls.removeEventListener('start', this.onOrbitStart);
    this.controls.dispose();
  }

  private fitTop(): void {
    const halfWidth = this.topSpan / 2;
    const halfHeight = halfWidth / this.aspect;
    this.top.left = -halfWidth;
    this.top.right = halfWidth;
    this.top.top = halfHeight;
    this.top.bottom = -halfHeight;
    this.top.updateProjectionMatrix();
  }
}
