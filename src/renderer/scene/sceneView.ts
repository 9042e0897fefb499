/**
 * The 3-D view of a replay: WebGL renderer, lights, road (roadMeshes.ts), vehicles and links
 * (vehicleMeshes.ts) and cameras (cameraRig.ts). Axes: world (x, y) of docs/spec/horm.md §0 maps to
 * three (x, z), height is +y; seen from above, x runs left to right and the ramp (+y) lies below
 * the main road, as in the reference's drawings.
 *
 * A MuJoCo replay draws its robot instead (robotMeshes.ts: the header's geoms on the ground plane,
 * each body in its agent's colour) with the camera following body 1 (the torso), the views scaled
 * down to the robot's size; the road and the vehicles are hidden meanwhile.
 *
 * `render` is the per-frame path: poses → instance matrices → links → camera → draw, reusing
 * scratch state only. `frameChanged` (once per recorded frame) recolours by rank and crash.
 * `dispose` frees every geometry, material and the WebGL context.
 *
 * It runs on the page's main thread (a canvas element) or in the renderer worker (an
 * OffscreenCanvas, sceneWorker.ts): it never reads the DOM itself. Sizes come through `resize`, and
 * `pick` and `screenPoint` speak viewport coordinates (CSS px from the canvas's top-left corner).
 */
import {
  Color,
  DirectionalLight,
  Fog,
  HemisphereLight,
  Raycaster,
  Scene,
  Vector2,
  Vector3,
  WebGLRenderer,
} from 'three';
import { buildMergeRoad, type MergeRoadLengths } from '../../core/sim/horm/road/index.js';
import type { MujocoReplayPlayer } from '../playback/mujocoReplayPlayer.js';
import type { AnyReplayPlayer } from '../playback/openReplayPlayer.js';
import type { ReplayPlayer } from '../playback/replayPlayer.js';
import { type ActionFrame, frameAction } from './actionFrame.js';
import { type CameraMode, CameraRig } from './cameraRig.js';
import { rankColour, vehicleColour } from './palette.js';
import { RoadMeshes } from './roadMeshes.js';
import { RobotMeshes, robotRadiusM } from './robotMeshes.js';
import { VehicleMeshes } from './vehicleMeshes.js';

const SKY = 0x1b2027;
const _pointer = new Vector2();
const _raycaster = new Raycaster();
const _projected = new Vector3();
const _action: ActionFrame = { x: 0, y: 0, radiusM: 0 };

/** The views' world scale per metre of robot radius (a 1.2 m HalfCheetah: 0.06; the road: 1). */
const ROBOT_SCALE_PER_M = 1 / 20;
/** Smallest world scale for a robot (a tiny one still gets a camera a few decimetres away). */
const MIN_ROBOT_SCALE = 0.03;

/** Vehicle and agent slots allocated up front (grown when a replay needs more). */
const INITIAL_VEHICLES = 64;
const INITIAL_AGENTS = 16;

/** What the view shows of one replay, beyond the poses. */
interface LoadedReplay {
  readonly player: ReplayPlayer;
  /** header.kinds index of "hdv" (−1 if the replay has no such kind). */
  readonly hdvKind: number;
  /** Vehicle of each priority rank at the current frame (−1: none). */
  readonly vehicleOfRank: Int32Array;
  /** Colour of the link leaving each rank. */
  readonly linkColours: Color[];
}

/** A MuJoCo replay shown: its player and its robot. */
interface LoadedRobot {
  readonly player: MujocoReplayPlayer;
  readonly meshes: RobotMeshes;
}

/** Where a SceneView draws and listens. */
export interface SceneSurface {
  /** The canvas to draw in: the page's element, or an OffscreenCanvas in a worker. */
  readonly canvas: HTMLCanvasElement | OffscreenCanvas;
  /**
   * What the camera controls listen to (pointer, wheel): the canvas element on the main thread,
   * an InputSurface fed with forwarded events in a worker.
   */
  readonly input: HTMLElement;
  /** Device pixels per CSS pixel (capped at 2). */
  readonly pixelRatio: number;
}

/** The scene of the player. */
export class SceneView {
  readonly renderer: WebGLRenderer;
  readonly scene = new Scene();
  readonly rig: CameraRig;
  /** Vehicle the views centre on and the panel describes (−1: none). */
  selected = -1;
  private road: RoadMeshes;
  private roadLengths: MergeRoadLengths | null = null;
  private readonly lights: (HemisphereLight | DirectionalLight)[];
  private loaded: LoadedReplay | null = null;
  private robot: LoadedRobot | null = null;
  private vehicles: VehicleMeshes;
  private agentSlots = INITIAL_AGENTS;
  /** Viewport size [CSS px] (0 before the first `resize`). */
  private width = 0;
  private height = 0;

  constructor(surface: SceneSurface) {
    const { canvas } = surface;
    this.renderer = new WebGLRenderer({ canvas, antialias: true, powerPreference: 'high-performance' });
    this.renderer.setPixelRatio(Math.min(surface.pixelRatio || 1, 2));
    this.scene.background = new Color(SKY);
    this.scene.fog = new Fog(SKY, 500, 1500);
    const hemisphere = new HemisphereLight(0xdfe8f5, 0x2a3326, 1.6);
    const sun = new DirectionalLight(0xffffff, 1.8);
    sun.position.set(-120, 200, 160);
    this.lights = [hemisphere, sun];
    this.scene.add(hemisphere, sun);
    this.road = new RoadMeshes(buildMergeRoad());
    this.scene.add(this.road.group);
    this.rig = new CameraRig(surface.input);
    // Vehicles exist (with no instance drawn) before any replay, so their shaders compile now,
    // not between the user's pick and the first frame.
    this.vehicles = new VehicleMeshes(INITIAL_VEHICLES, INITIAL_AGENTS);
    this.scene.add(this.vehicles.group);
    this.vehicles.park();
    this.renderer.render(this.scene, this.rig.camera);
    this.vehicles.hide();
  }

  /**
   * Shows `player`'s replay (replacing the previous one) and compiles its shaders. `keepView` keeps
   * the camera and the selection (a live replay growing: the same episode with more frames).
   */
  load(player: AnyReplayPlayer, keepView = false): void {
    const selected = this.selected;
    this.unload();
    if (player.kind === 'mujoco') {
      this.loadRobot(player, keepView);
      return;
    }
    this.rig.setWorldScale(1);
    const { header } = player;
    this.showRoad(header.road);
    if (player.capacity > this.vehicles.capacity || header.agents > this.agentSlots) {
      this.vehicles.dispose();
      this.agentSlots = Math.max(this.agentSlots, header.agents);
      this.vehicles = new VehicleMeshes(Math.max(player.capacity, this.vehicles.capacity), this.agentSlots);
      this.scene.add(this.vehicles.group);
    }
    this.loaded = {
      player,
      hdvKind: header.kinds.indexOf('hdv'),
      vehicleOfRank: new Int32Array(header.agents).fill(-1),
      linkColours: Array.from({ length: header.agents }, (_, p) => rankColour(p)),
    };
    this.selected = keepView && selected < player.capacity ? selected : -1;
    if (!keepView) this.rig.recentre();
    this.frameChanged();
  }

  /** Shows a MuJoCo replay: its robot instead of road and vehicles, the views at its scale. */
  private loadRobot(player: MujocoReplayPlayer, keepView: boolean): void {
    const meshes = new RobotMeshes(player.header);
    this.scene.add(meshes.group);
    this.road.group.visible = false;
    this.robot = { player, meshes };
    this.selected = -1; // bodies are not selectable
    this.rig.setWorldScale(Math.max(robotRadiusM(player.poses) * ROBOT_SCALE_PER_M, MIN_ROBOT_SCALE));
    if (!keepView) this.rig.recentre();
  }

  /** Builds the road for segment lengths `lengths` unless it is already the one drawn. */
  private showRoad(lengths: MergeRoadLengths): void {
    const drawn = this.roadLengths;
    if (
      drawn !== null &&
      drawn.beforeMergeM === lengths.beforeMergeM &&
      drawn.convergingM === lengths.convergingM &&
      drawn.mergeM === lengths.mergeM &&
      drawn.afterMergeM === lengths.afterMergeM
    ) {
      return;
    }
    this.road.dispose();
    this.road = new RoadMeshes(buildMergeRoad(lengths));
    this.scene.add(this.road.group);
    this.roadLengths = { ...lengths };
  }

  /** Recolours vehicles and re-ranks links for the player's current recorded frame. */
  frameChanged(): void {
    const loaded = this.loaded;
    if (loaded === null) return;
    const { player, hdvKind, vehicleOfRank } = loaded;
    const vehicles = this.vehicles;
    const frame = player.current;
    const agents = player.header.agents;
    vehicleOfRank.fill(-1);
    for (let i = 0; i < frame.vehicleCount; i++) {
      const cav = i < agents && frame.kind[i] !== hdvKind; // agents are the first vehicles
      const rank = cav ? player.rankAt(frame.index, i) : -1;
      vehicles.setColour(i, vehicleColour(cav, frame.crashed[i] === 1, rank));
    }
    for (let j = 0; j < agents; j++) {
      const rank = player.rankAt(frame.index, j);
      if (rank < agents) vehicleOfRank[rank] = j;
    }
    vehicles.commitColours();
  }

  /** Switches the camera view. */
  setCameraMode(mode: CameraMode): void {
    this.rig.setMode(mode);
  }

  /** The WebGL renderer's name, unmasked where the browser allows ("…SwiftShader…" for software WebGL). */
  rendererName(): string {
    const gl = this.renderer.getContext();
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(info === null ? gl.RENDERER : info.UNMASKED_RENDERER_WEBGL));
  }

  /**
   * Draws the player's current poses; `dtS` is the wall time since the last call [s] (camera
   * smoothing). Returns true when the camera is still moving (draw again next frame).
   */
  render(dtS: number): boolean {
    const loaded = this.loaded;
    let moving = false;
    if (this.robot !== null) {
      moving = this.renderRobot(this.robot, dtS);
    } else if (loaded !== null) {
      const { player, vehicleOfRank, linkColours } = loaded;
      const vehicles = this.vehicles;
      const poses = player.poses;
      vehicles.updatePoses(poses, this.selected);
      vehicles.updateLinks(poses, vehicleOfRank, linkColours);
      // Focus: the selected vehicle, else the CAVs and any crash.
      let fx = 0;
      let fy = 0;
      let heading = 0;
      let radius = 0;
      if (this.selected >= 0 && this.selected < poses.count) {
        fx = poses.x[this.selected]!;
        fy = poses.y[this.selected]!;
        heading = poses.heading[this.selected]!;
      } else {
        // The CAVs and any crashed vehicle, all of them in view (actionFrame.ts).
        const frame = frameAction(poses, player.header.agents, player.current.crashed, _action);
        fx = frame.x;
        fy = frame.y;
        radius = frame.radiusM;
        const leader = vehicleOfRank[0]!;
        heading = leader >= 0 ? poses.heading[leader]! : 0;
      }
      moving = this.rig.update(dtS, fx, fy, heading, radius);
    } else {
      moving = this.rig.update(dtS, (this.road.startX + this.road.endX) / 2, 5, 0);
    }
    this.renderer.render(this.scene, this.rig.camera);
    return moving;
  }

  /**
   * Poses the robot and follows body 1 (the torso): MuJoCo (x, y) is the rig's (x, −y) (three's
   * x and z); the chase camera looks along +x, the tasks' forward direction.
   */
  private renderRobot(robot: LoadedRobot, dtS: number): boolean {
    const p = robot.player.poses.position;
    robot.meshes.updatePoses(robot.player.poses);
    const focus = p.length >= 6 ? 3 : 0;
    const moving = this.rig.update(dtS, p[focus]!, -p[focus + 1]!, 0);
    this.renderer.render(this.scene, this.rig.camera);
    return moving;
  }

  /**
   * Matches the drawing buffer to the canvas's CSS size [px] (`pixelRatio`: a new device pixel
   * ratio, e.g. the window moved to another screen).
   */
  resize(width: number, height: number, pixelRatio?: number): void {
    if (width === 0 || height === 0) return;
    if (pixelRatio !== undefined) this.renderer.setPixelRatio(Math.min(pixelRatio || 1, 2));
    this.width = width;
    this.height = height;
    this.renderer.setSize(width, height, false);
    this.rig.resize(width, height);
  }

  /** The vehicle under viewport point (x, y) [CSS px from the canvas's top-left], or −1. */
  pick(x: number, y: number): number {
    if (this.loaded === null || this.width === 0) return -1; // a robot's bodies are not picked
    _pointer.set((x / this.width) * 2 - 1, -(y / this.height) * 2 + 1);
    _raycaster.setFromCamera(_pointer, this.rig.camera);
    return this.vehicles.pick(_raycaster);
  }

  /**
   * Where vehicle `index` (its roof centre) appears, in viewport coordinates [CSS px from the
   * canvas's top-left]; null when it is not shown or behind the camera. For tests that click a
   * vehicle, and for tooltips. In a MuJoCo replay `index` is a body, and the point its first geom's
   * centre.
   */
  screenPoint(index: number): { x: number; y: number } | null {
    if (this.robot !== null) {
      // A MuJoCo replay: `index` is a body; the point is its first geom's centre.
      if (!this.robot.meshes.geomCentre(index, _projected)) return null;
      this.rig.camera.updateMatrixWorld();
    } else {
      const poses = this.loaded?.player.poses;
      if (poses === undefined || index < 0 || index >= poses.count) return null;
      _projected.set(poses.x[index]!, 1.2, poses.y[index]!);
    }
    _projected.project(this.rig.camera);
    if (_projected.z > 1 || Math.abs(_projected.x) > 1 || Math.abs(_projected.y) > 1) return null;
    return {
      x: ((_projected.x + 1) / 2) * this.width,
      y: ((1 - _projected.y) / 2) * this.height,
    };
  }

  /** Forgets the replay (the meshes stay for the next one). */
  unload(): void {
    this.loaded = null;
    this.vehicles.hide();
    if (this.robot !== null) {
      this.robot.meshes.dispose();
      this.robot = null;
      this.road.group.visible = true;
    }
  }

  /** Frees everything, the WebGL context included. */
  dispose(): void {
    this.unload();
    this.vehicles.dispose();
    this.road.dispose();
    for (const light of this.lights) light.dispose();
    this.rig.dispose();
    this.renderer.dispose();
    this.renderer.forceContextLoss();
  }
}
