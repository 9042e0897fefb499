/**
 * The replay player window: toolbar (replay list from `replays.list`, file input), transport
 * (play/pause, step, scrub, speed, step counter), camera views, and the side panels (episode
 * metrics, vehicle list, selected vehicle). It owns the animation loop:
 *
 *   requestAnimationFrame → player.advance(dt) → [recorded frame changed: recolour, panels]
 *                         → scene.render → probe.recordFrame(main-thread ms)
 *
 * The loop runs only while something moves (playing, camera gliding, a change). DOM text is
 * rewritten when the recorded frame or the selection changes, not on every animation frame, and
 * while playing at most 4 times a second (PANEL_SYNC_WHILE_PLAYING_MS).
 *
 * The scene (playerScene.ts) draws in the renderer worker where the browser has OffscreenCanvas:
 * there `scene.render` only tells the worker the playback time and selection, and the worker
 * draws on its own animation frames. Otherwise it draws here, in `scene.render`. The frame-time
 * readout says which.
 */

import type { SteerApi } from '../../shared/api/contract.js';
import { type FrameProbe, median } from '../perf/frameProbe.js';
import { PLAYBACK_SPEEDS, ReplayPlayer } from '../player/replayPlayer.js';
import { CAMERA_MODES, type CameraMode } from '../scene/cameraRig.js';
import { CRASHED_COLOUR_HEX, HDV_COLOUR_HEX, rankColourHex, vehicleColourHex } from '../scene/palette.js';
import { createPlayerScene, type PlayerScene, type RenderPath } from '../scene/playerScene.js';
import { SceneProxy } from '../scene/sceneProxy.js';
import { byId, type FieldRow, setFields, setText, swatch } from './dom.js';
import { formatAction, formatBytes, formatLane, formatNumber, formatSpeed } from './format.js';

/** Frames the loop keeps drawing after a change, past what the camera reports as moving. */
const SETTLE_FRAMES = 12;
/** How often the frame-time readout refreshes [ms]. */
const READOUT_EVERY_MS = 500;
/**
 * While playing, the transport's step and clock and the side panels follow the recorded frame at
 * most this often [ms] (4 Hz, the pace of a media element's `timeupdate`): at 8× the recorded frame
 * changes on nearly every animation frame, faster than anyone reads numbers. Each rewrite costs
 * style, layout and paint, and with software WebGL the raster and compositing of the changed text
 * compete with the 3-D view for the cores: at 10 Hz the whole frame's p95 at 8× was 2.6–4.0 ms over
 * three `npm run bench:app` runs, at 4 Hz 2.0–2.1 ms in three (docs/app.md). Paused, stepped or
 * scrubbed, they follow at once.
 */
const PANEL_SYNC_WHILE_PLAYING_MS = 250;

/** Where a replay came from, for the status line and the probe. */
interface ReplaySource {
  /** API path or file name. */
  readonly label: string;
  readonly fileBytes: number;
  /** What the list shows for it when it is not a listed file; default "Local file: <label>". */
  readonly listText?: string;
}

/** One row of the vehicle list, updated in place. */
interface VehicleRow {
  readonly button: HTMLButtonElement;
  readonly swatch: HTMLSpanElement;
  readonly what: HTMLSpanElement;
  readonly speed: HTMLSpanElement;
}

/** The player UI bound to the page's elements. */
export class PlayerView {
  private readonly doc: Document;
  private readonly scene: PlayerScene;
  private readonly probe: FrameProbe;
  private api: SteerApi | null = null;
  private player: ReplayPlayer | null = null;
  private source: ReplaySource | null = null;
  private shownFrame = -1;
  /** The transport and panels show an older recorded frame than the scene (throttled while playing). */
  private panelsStale = false;
  /** When the transport and panels were last synced [performance.now() ms]. */
  private lastPanelSync = Number.NEGATIVE_INFINITY;
  private settle = SETTLE_FRAMES;
  private lastTime = 0;
  private lastReadout = 0;
  private rafId = 0;
  private rows: VehicleRow[] = [];
  private openSerial = 0;
  /** The live run being shown (beginLive), or null. */
  private liveRun: symbol | null = null;
  /** The player showLive installed last for that run (null before its first frames). */
  private livePlayer: ReplayPlayer | null = null;
  /** What the play button shows. */
  private shownPlaying = false;
  /** Counts selections, so a pick answered after another selection does not undo it. */
  private selection = 0;
  /** Episode panel rows that do not change with time (built when a replay opens). */
  private episodeStatic: FieldRow[] = [];
  private readonly el: {
    list: HTMLSelectElement;
    file: HTMLInputElement;
    status: HTMLElement;
    canvas: HTMLCanvasElement;
    viewport: HTMLElement;
    legend: HTMLElement;
    message: HTMLElement;
    episode: HTMLDListElement;
    vehicles: HTMLUListElement;
    vehicleTitle: HTMLElement;
    vehicle: HTMLDListElement;
    back: HTMLButtonElement;
    play: HTMLButtonElement;
    forward: HTMLButtonElement;
    scrub: HTMLInputElement;
    counter: HTMLElement;
    clock: HTMLElement;
    speed: HTMLSelectElement;
    frameMs: HTMLElement;
    views: HTMLButtonElement[];
  };
  private readonly resizeObserver: ResizeObserver;
  private readonly loop = (now: number) => this.frame(now);

  /** `renderPath`: where the scene should draw (the worker unless the browser cannot). */
  constructor(doc: Document, probe: FrameProbe, renderPath: RenderPath = 'worker') {
    this.doc = doc;
    this.probe = probe;
    this.el = {
      list: byId(doc, 'replay-list', HTMLSelectElement),
      file: byId(doc, 'replay-file', HTMLInputElement),
      status: byId(doc, 'status', HTMLElement),
      canvas: byId(doc, 'scene', HTMLCanvasElement),
      viewport: byId(doc, 'viewport', HTMLElement),
      legend: byId(doc, 'legend', HTMLElement),
      message: byId(doc, 'message', HTMLElement),
      episode: byId(doc, 'episode-fields', HTMLDListElement),
      vehicles: byId(doc, 'vehicle-list', HTMLUListElement),
      vehicleTitle: byId(doc, 'vehicle-title', HTMLElement),
      vehicle: byId(doc, 'vehicle-fields', HTMLDListElement),
      back: byId(doc, 'step-back', HTMLButtonElement),
      play: byId(doc, 'play', HTMLButtonElement),
      forward: byId(doc, 'step-forward', HTMLButtonElement),
      scrub: byId(doc, 'scrub', HTMLInputElement),
      counter: byId(doc, 'step-counter', HTMLElement),
      clock: byId(doc, 'clock', HTMLElement),
      speed: byId(doc, 'speed', HTMLSelectElement),
      frameMs: byId(doc, 'frame-ms', HTMLElement),
      views: Array.from(doc.querySelectorAll<HTMLButtonElement>('button[data-view]')),
    };
    const { scene, mainThreadReason } = createPlayerScene(this.el.canvas, renderPath);
    this.scene = scene;
    probe.renderPath = scene.path;
    this.el.viewport.dataset.render = scene.path;
    if (scene instanceof SceneProxy) {
      scene.onStats = (frames, drawMs) => probe.recordWorkerFrames(frames, drawMs);
      scene.onError = (message) => this.showMessage(`${message} (reload the page to try again)`, true);
      console.info('player: the 3-D view draws in a worker (OffscreenCanvas)');
    } else {
      console.info(`player: the 3-D view draws on the main thread (${mainThreadReason})`);
    }
    this.resizeObserver = new ResizeObserver(() => {
      this.scene.resize();
      this.wake();
    });
    this.resizeObserver.observe(this.el.viewport);
    this.scene.resize();
    this.bindControls();
    this.rafId = requestAnimationFrame(this.loop);
  }

  /** Uses `api` for the replay list and opening; lists the replays. */
  async connect(api: SteerApi): Promise<void> {
    this.api = api;
    const info = await api.call('app.info', {});
    this.setStatus(`${info.name} ${info.version} · ${info.host} host`);
    await this.refreshList();
  }

  /** Shows a problem that stops the API (refused token, host gone); local files still open. */
  showFatal(message: string): void {
    const { list } = this.el;
    list.replaceChildren(new Option('Not connected to the host', ''));
    list.disabled = true;
    this.showMessage(message, true);
    this.setStatus('not connected', true);
  }

  /** Re-reads the replay list from the host. */
  async refreshList(): Promise<void> {
    if (this.api === null) return;
    const { replays, truncated } = await this.api.call('replays.list', {});
    const { list } = this.el;
    const options = [
      new Option(replays.length === 0 ? 'No replays under samples/ or runs/' : 'Choose a replay…', ''),
    ];
    for (const entry of replays) {
      const name = entry.path
        .split('/')
        .pop()!
        .replace(/\.replay$/, '');
      const s = entry.summary;
      const text =
        s === undefined
          ? `${entry.root}/ · ${name} · unreadable`
          : `${entry.root}/ · ${name} · ${s.scenario} · ${s.model} · ${s.steps} steps${s.crashed ? ' · crash' : ''}`;
      const option = new Option(text, entry.path);
      if (s === undefined) {
        option.disabled = true;
        option.title = entry.error ?? 'unreadable';
      }
      options.push(option);
    }
    if (truncated) options.push(new Option('… more files than the list shows', '', false, false));
    list.replaceChildren(...options);
    list.disabled = false;
    if (this.source !== null) list.value = this.source.label;
  }

  /** Opens a replay from the host's list (the path of a `replays.list` entry). */
  async openPath(path: string, pickedAt = performance.now()): Promise<void> {
    if (this.api === null) throw new Error('openPath: not connected to a host');
    const serial = ++this.openSerial;
    this.liveRun = null; // a live run stops showing here
    this.setStatus(`opening ${path}…`);
    try {
      const file = await this.api.call('replays.open', { path });
      if (serial !== this.openSerial) return; // a later pick won
      this.openBytes(file.bytes, { label: file.path, fileBytes: file.fileBytes }, pickedAt);
    } catch (error) {
      if (serial === this.openSerial) this.showError(path, error);
    }
  }

  /** Opens replay bytes (from the host or a local file) and draws their first frame at once. */
  openBytes(bytes: Uint8Array, source: ReplaySource, pickedAt: number): void {
    const decodeStart = performance.now();
    let player: ReplayPlayer;
    try {
      player = new ReplayPlayer(bytes);
    } catch (error) {
      this.showError(source.label, error);
      return;
    }
    this.liveRun = null;
    const drawn = this.install(player, source, false);
    const renderStart = performance.now();
    // The first frame now, not at the next animation frame (in the worker: its next frame); the
    // open time ends when it is drawn.
    this.renderNow(0);
    this.showSourceInList(source);
    void drawn.then((end) => {
      if (Number.isNaN(end)) return; // disposed first
      const ms = end - pickedAt;
      this.probe.opens.push({
        path: source.label,
        ms,
        fetchMs: decodeStart - pickedAt,
        decodeMs: renderStart - decodeStart,
        renderMs: end - renderStart,
      });
      if (this.player !== player) return;
      this.setStatus(
        `${source.label} · ${formatBytes(source.fileBytes)} · first frame in ${formatNumber(ms, 0)} ms`,
      );
    });
    // Decode the remaining chunks in idle time so playback never decodes on the hot path.
    void player
      .warm(() => new Promise((resolve) => setTimeout(resolve, 0)))
      .then(() => {
        if (this.player === player) this.updatePanels();
      });
  }

  /**
   * Starts showing an episode that is still being simulated (the editor's Run): says so at once;
   * its frames come through `showLive` with the returned token. Opening any other replay ends it.
   */
  beginLive(label: string): symbol {
    const run = Symbol(label);
    this.liveRun = run;
    this.livePlayer = null;
    this.openSerial++; // a list pick still loading loses
    this.setStatus(`${label} · simulating…`);
    return run;
  }

  /**
   * Shows live run `run`'s frames so far (`bytes`: a complete replay of them, LiveReplay.snapshot)
   * or, when `final`, its finished file, which then plays like any other. Each call replaces the
   * previous replay of the run and keeps camera, selection and, unless the view was at the newest
   * frame (where a run starts), the time; at the newest frame it follows the newest. Returns false
   * (and shows nothing) when another replay was opened since `beginLive`.
   */
  showLive(run: symbol, bytes: Uint8Array, source: ReplaySource, final: boolean): boolean {
    if (this.liveRun !== run) return false;
    let player: ReplayPlayer;
    try {
      player = new ReplayPlayer(bytes);
    } catch (error) {
      this.showError(source.label, error);
      return true;
    }
    const previous = this.player !== null && this.player === this.livePlayer ? this.player : null;
    const following = previous === null || previous.frameIndex >= previous.lastFrame;
    const wasPlaying = previous?.playing === true;
    if (final) this.liveRun = null;
    this.livePlayer = final ? null : player;
    void this.install(player, source, previous !== null);
    player.seek(following ? player.lastFrame : (previous?.time ?? 0));
    if (wasPlaying && !following) player.play();
    this.showPlaying(player.playing);
    this.renderNow(0);
    this.select(this.scene.selected);
    const decisions = player.lastFrame;
    this.setStatus(
      final
        ? `${source.label} · ${formatBytes(source.fileBytes)} · ${decisions} steps simulated`
        : `${source.label} · simulating… step ${decisions}`,
    );
    this.showSourceInList(source);
    if (final) {
      void player
        .warm(() => new Promise((resolve) => setTimeout(resolve, 0)))
        .then(() => {
          if (this.player === player) this.updatePanels();
        });
    }
    return true;
  }

  /**
   * Makes `player` the one shown (the replay of `source`); `keepView`: camera and selection stay.
   * Resolves when the scene has drawn its first frame (performance.now() ms).
   */
  private install(player: ReplayPlayer, source: ReplaySource, keepView: boolean): Promise<number> {
    this.player = player;
    this.source = source;
    player.speed = Number(this.el.speed.value);
    const drawn = this.scene.load(player, keepView);
    this.hideMessage();
    this.buildEpisodeStatic();
    this.buildVehicleRows();
    this.buildLegend();
    const { scrub } = this.el;
    scrub.max = String(player.lastFrame);
    for (const control of [scrub, this.el.back, this.el.play, this.el.forward, this.el.speed])
      control.disabled = false;
    this.shownFrame = -1;
    return drawn;
  }

  /** The list shows the open replay: its entry, or "Local file: name" in the first option. */
  private showSourceInList(source: ReplaySource): void {
    const { list } = this.el;
    const placeholder = list.options[0];
    const listed = Array.from(list.options).some(
      (option) => option.value === source.label && option.value !== '',
    );
    if (placeholder !== undefined && placeholder.value === '' && !list.disabled) {
      placeholder.textContent = listed
        ? 'Choose a replay…'
        : (source.listText ?? `Local file: ${source.label}`);
    }
    list.value = listed ? source.label : '';
  }

  /** Selects vehicle `index` (−1: none). */
  select(index: number): void {
    this.selection++;
    this.scene.selected = index;
    this.rows.forEach((row, i) => {
      row.button.setAttribute('aria-pressed', String(i === index));
    });
    this.updatePanels();
    this.wake();
  }

  /** Switches the camera view. */
  setCameraMode(mode: CameraMode): void {
    this.scene.setCameraMode(mode);
    for (const button of this.el.views)
      button.setAttribute('aria-pressed', String(button.dataset.view === mode));
    this.wake();
  }

  /**
   * Where vehicle `index` is drawn (client coordinates), or null: for tests that click it. A
   * promise, since the renderer worker answers it.
   */
  vehicleScreenPoint(index: number): Promise<{ x: number; y: number } | null> {
    return this.scene.screenPoint(index);
  }

  /** Where the scene draws ('worker' or 'main-thread'). */
  get renderPath(): RenderPath {
    return this.scene.path;
  }

  /** Resolves once the scene is built (in the worker: its WebGL context and shaders). */
  get sceneReady(): Promise<void> {
    return this.scene.ready;
  }

  /** Stops the loop and frees the scene. */
  dispose(): void {
    cancelAnimationFrame(this.rafId);
    this.resizeObserver.disconnect();
    this.scene.dispose();
  }

  // --- the loop ---

  private wake(): void {
    this.settle = SETTLE_FRAMES;
  }

  private frame(now: number): void {
    this.rafId = requestAnimationFrame(this.loop);
    const dtS = this.lastTime === 0 ? 0 : Math.min((now - this.lastTime) / 1000, 0.25);
    this.lastTime = now;
    const playing = this.player?.playing === true;
    if (!playing && this.settle <= 0) return;
    this.settle = playing ? SETTLE_FRAMES : this.settle - 1;
    this.renderNow(dtS);
    if (now - this.lastReadout > READOUT_EVERY_MS) {
      this.lastReadout = now;
      const recent = this.probe.lastFrames(120);
      if (recent.length > 0) {
        const cap = this.scene.maxFps === null ? '' : ` at ~${this.scene.maxFps} frames/s (software WebGL)`;
        const where = this.scene.path === 'worker' ? `drawn in a worker${cap}` : 'drawn on the main thread';
        this.el.frameMs.textContent = `${formatNumber(median(recent), 2)} ms/frame · ${where}`;
      }
    }
  }

  /** One frame of work, timed: advance, sync panels if the recorded frame changed, draw. */
  private renderNow(dtS: number): void {
    const start = performance.now();
    const player = this.player;
    if (player !== null) {
      player.advance(dtS);
      if (player.frameIndex !== this.shownFrame) this.onFrameChanged(player, start);
      else if (this.panelsStale && !player.playing) this.syncPanels(player, start);
      if (!player.playing && this.shownPlaying) this.showPlaying(false);
    }
    if (this.scene.render(dtS)) this.settle = Math.max(this.settle, 2);
    this.probe.recordFrame(performance.now() - start);
  }

  private onFrameChanged(player: ReplayPlayer, now: number): void {
    this.shownFrame = player.frameIndex;
    this.scene.frameChanged();
    if (player.playing && now - this.lastPanelSync < PANEL_SYNC_WHILE_PLAYING_MS) {
      this.panelsStale = true;
      return;
    }
    this.syncPanels(player, now);
  }

  /** The transport's scrub, step and clock and the side panels show the current recorded frame. */
  private syncPanels(player: ReplayPlayer, now: number): void {
    this.panelsStale = false;
    this.lastPanelSync = now;
    const { scrub, counter, clock } = this.el;
    scrub.value = String(this.shownFrame);
    setText(counter, `step ${this.shownFrame} / ${player.lastFrame}`);
    setText(clock, `${formatNumber(this.shownFrame * player.header.stepS, 1)} s`);
    this.updatePanels();
  }

  // --- controls ---

  private bindControls(): void {
    const { list, file, play, back, forward, scrub, speed, canvas } = this.el;
    list.addEventListener('change', (event) => {
      const pickedAt = Math.min(event.timeStamp, performance.now());
      if (list.value !== '') void this.openPath(list.value, pickedAt);
    });
    file.addEventListener('change', async (event) => {
      const pickedAt = Math.min(event.timeStamp, performance.now());
      const chosen = file.files?.[0];
      if (chosen === undefined) return;
      this.setStatus(`reading ${chosen.name}…`);
      const bytes = new Uint8Array(await chosen.arrayBuffer());
      this.openBytes(bytes, { label: chosen.name, fileBytes: chosen.size }, pickedAt);
      file.value = ''; // picking the same file again opens it again
    });
    play.addEventListener('click', () => this.togglePlay());
    back.addEventListener('click', () => this.step(-1));
    forward.addEventListener('click', () => this.step(1));
    scrub.addEventListener('input', () => {
      this.player?.seek(Number(scrub.value));
      this.wake();
    });
    speed.addEventListener('change', () => {
      if (this.player !== null) this.player.speed = Number(speed.value);
    });
    for (const button of this.el.views) {
      button.addEventListener('click', () => this.setCameraMode(button.dataset.view as CameraMode));
    }
    // A click (not a drag of the orbit camera) selects the vehicle under the pointer.
    let downX = 0;
    let downY = 0;
    canvas.addEventListener('pointerdown', (event) => {
      downX = event.clientX;
      downY = event.clientY;
      this.wake();
    });
    canvas.addEventListener('pointerup', (event) => {
      if (Math.hypot(event.clientX - downX, event.clientY - downY) > 5) return;
      const selection = this.selection;
      void this.scene.pick(event.clientX, event.clientY).then((vehicle) => {
        if (this.selection === selection) this.select(vehicle); // unless selected otherwise meanwhile
      });
    });
    canvas.addEventListener('wheel', () => this.wake(), { passive: true });
    this.doc.addEventListener('keydown', (event) => this.onKey(event));
  }

  private onKey(event: KeyboardEvent): void {
    const target = event.target as HTMLElement | null;
    if (target !== null && ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) return;
    if (this.el.viewport.offsetParent === null) return; // another view's tab is shown
    const player = this.player;
    switch (event.key) {
      case ' ':
        this.togglePlay();
        break;
      case 'ArrowLeft':
        this.step(-1);
        break;
      case 'ArrowRight':
        this.step(1);
        break;
      case 'Home':
        player?.seek(0);
        break;
      case 'End':
        player?.seek(player.lastFrame);
        break;
      case '1':
      case '2':
      case '3':
        this.setCameraMode(CAMERA_MODES[Number(event.key) - 1]!);
        break;
      case '+':
      case '-': {
        if (player === null) return;
        const i = PLAYBACK_SPEEDS.indexOf(player.speed as (typeof PLAYBACK_SPEEDS)[number]);
        const next =
          PLAYBACK_SPEEDS[
            Math.min(Math.max(i + (event.key === '+' ? 1 : -1), 0), PLAYBACK_SPEEDS.length - 1)
          ]!;
        player.speed = next;
        this.el.speed.value = String(next);
        break;
      }
      default:
        return;
    }
    event.preventDefault();
    this.wake();
  }

  private togglePlay(): void {
    const player = this.player;
    if (player === null) return;
    if (player.playing) player.pause();
    else player.play();
    // paused: the step shown is the step the view stopped at, from the click on
    if (!player.playing && this.panelsStale) this.syncPanels(player, performance.now());
    this.showPlaying(player.playing);
    this.wake();
  }

  private step(delta: number): void {
    const player = this.player;
    if (player === null) return;
    player.step(delta);
    this.showPlaying(false);
    this.wake();
  }

  private showPlaying(playing: boolean): void {
    const { play } = this.el;
    this.shownPlaying = playing;
    play.querySelector('.icon-play')?.toggleAttribute('hidden', playing);
    play.querySelector('.icon-pause')?.toggleAttribute('hidden', !playing);
    play.setAttribute('aria-label', playing ? 'Pause' : 'Play');
    play.dataset.state = playing ? 'playing' : 'paused';
  }

  // --- panels ---

  /** The episode rows that do not change with time. */
  private buildEpisodeStatic(): void {
    const player = this.player!;
    const { header: h, footer } = player;
    const s = footer.summary;
    const first = player.frame(0);
    const hdvKind = h.kinds.indexOf('hdv');
    let hdvs = 0;
    for (let i = 0; i < first.vehicleCount; i++) if (first.kind[i] === hdvKind) hdvs++;
    const model = [
      h.model.name,
      ...(h.model.deterministic === undefined ? [] : [h.model.deterministic ? 'greedy' : 'sampled']),
      ...(h.model.seed === undefined ? [] : [`seed ${h.model.seed}`]),
      ...(h.model.update === undefined ? [] : [`update ${h.model.update}`]),
    ].join(', ');
    const crash =
      s.crashedAgents.length === 0
        ? 'no crash'
        : `agent${s.crashedAgents.length > 1 ? 's' : ''} ${s.crashedAgents.join(', ')} crashed${s.crashFrame === null ? '' : ` at step ${s.crashFrame}`}`;
    const returns = s.returns.map((r, j) => `a${j} ${r === null ? '—' : formatNumber(r, 1)}`).join(' · ');
    const density = h.scenario.density === undefined ? '' : ` · density ${h.scenario.density}`;
    this.episodeStatic = [
      ['scenario', `${h.scenario.name} (${h.env})`],
      ['seed', `${h.scenario.seed}${density}`],
      ['model', model],
      [
        'steps',
        `${s.steps} decisions · ${formatNumber(s.steps * h.stepS, 1)} s · ${first.vehicleCount} vehicles (${first.vehicleCount - hdvs} CAV, ${hdvs} HDV)`,
      ],
      ['agents', `${h.agents} · priority ${h.priorityRule} · ${h.rewardType} rewards`],
      [
        'supervisor',
        h.supervisor
          ? `on · ${s.supervisorChanges} action${s.supervisorChanges === 1 ? '' : 's'} changed`
          : 'off',
      ],
      ['outcome', crash, s.crashedAgents.length > 0 ? 'bad' : undefined],
      ['returns', returns],
    ];
  }

  private buildVehicleRows(): void {
    const player = this.player!;
    const doc = this.doc;
    this.rows = [];
    const items: HTMLLIElement[] = [];
    for (let i = 0; i < player.capacity; i++) {
      const li = doc.createElement('li');
      const button = doc.createElement('button');
      button.type = 'button';
      button.dataset.vehicle = String(i);
      button.setAttribute('aria-pressed', 'false');
      const mark = swatch(doc, HDV_COLOUR_HEX);
      const what = doc.createElement('span');
      what.className = 'what';
      const speed = doc.createElement('span');
      speed.className = 'speed';
      button.append(mark, what, speed);
      button.addEventListener('click', () => this.select(this.scene.selected === i ? -1 : i));
      li.append(button);
      items.push(li);
      this.rows.push({ button, swatch: mark, what, speed });
    }
    this.el.vehicles.replaceChildren(...items);
  }

  private buildLegend(): void {
    const player = this.player!;
    const doc = this.doc;
    const row = (colour: string, text: string) => {
      const div = doc.createElement('div');
      div.className = 'row';
      const label = doc.createElement('span');
      label.textContent = text;
      div.append(swatch(doc, colour), label);
      return div;
    };
    const rows: HTMLElement[] = [];
    for (let p = 0; p < player.header.agents; p++) {
      rows.push(row(rankColourHex(p), p === 0 ? 'CAV, rank 0 (leader)' : `CAV, rank ${p}`));
    }
    rows.push(row(HDV_COLOUR_HEX, 'HDV (human-driven)'), row(CRASHED_COLOUR_HEX, 'crashed'));
    const links = doc.createElement('div');
    links.className = 'row';
    links.textContent = '→ arrows: leader → next follower';
    rows.push(links);
    this.el.legend.replaceChildren(...rows);
    this.el.legend.hidden = false;
  }

  /** Rewrites the panels for the current recorded frame and selection. */
  private updatePanels(): void {
    const player = this.player;
    if (player === null) return;
    const { header: h } = player;
    const frame = player.current;
    const index = frame.index;
    let speedSum = 0;
    for (let i = 0; i < frame.vehicleCount; i++) speedSum += frame.speed[i]!;
    let teamReward = 0;
    for (let j = 0; j < h.agents; j++) teamReward += frame.reward[j]!;
    setFields(this.el.episode, [
      ...this.episodeStatic,
      ['time', `${formatNumber(index * h.stepS, 1)} s (step ${index})`],
      ['mean speed', formatSpeed(speedSum / Math.max(frame.vehicleCount, 1))],
      [
        'reward now',
        frame.decision ? `${formatNumber(teamReward, 3)} (sum over agents)` : '— (terminal state)',
      ],
    ]);

    const hdvKind = h.kinds.indexOf('hdv');
    this.rows.forEach((row, i) => {
      const present = i < frame.vehicleCount;
      if (row.button.hidden === present) row.button.hidden = !present;
      if (!present) return;
      // Only what changed is written: unchanged text and styles cost no style or layout work.
      const crashed = frame.crashed[i] === 1;
      const cav = i < h.agents && frame.kind[i] !== hdvKind;
      const rank = cav ? player.rankAt(index, i) : -1;
      const colour = vehicleColourHex(cav, crashed, rank);
      if (row.swatch.dataset.colour !== colour) {
        row.swatch.dataset.colour = colour;
        row.swatch.style.background = colour;
      }
      setText(row.what, cav ? `#${i} CAV · agent ${i} · rank ${rank < 255 ? rank : '—'}` : `#${i} HDV`);
      const whatClass = crashed ? 'what crashed' : 'what';
      if (row.what.className !== whatClass) row.what.className = whatClass;
      setText(row.speed, crashed ? 'crashed' : `${formatNumber(frame.speed[i]!, 1)} m/s`);
    });

    const selected = this.scene.selected;
    if (selected < 0 || selected >= frame.vehicleCount) {
      setText(this.el.vehicleTitle, 'Selected vehicle');
      setFields(this.el.vehicle, [['—', 'click a vehicle or pick one above']]);
      return;
    }
    const cav = selected < h.agents && frame.kind[selected] !== hdvKind;
    setText(
      this.el.vehicleTitle,
      cav ? `Vehicle #${selected} · CAV, agent ${selected}` : `Vehicle #${selected} · HDV`,
    );
    const crashed = frame.crashed[selected] === 1;
    const rows: FieldRow[] = [
      ['speed', formatSpeed(frame.speed[selected]!)],
      ['position', `x ${formatNumber(frame.x[selected]!, 1)} m · y ${formatNumber(frame.y[selected]!, 1)} m`],
      ['lane', formatLane(h, frame.lane[selected]!)],
      ['state', crashed ? 'crashed' : 'driving', crashed ? 'bad' : undefined],
    ];
    if (cav) {
      const rank = player.rankAt(index, selected);
      let leader = -1;
      for (let j = 0; j < h.agents; j++) if (player.rankAt(index, j) === rank - 1) leader = j;
      const proposed = frame.proposed[selected]!;
      const executed = frame.executed[selected]!;
      const value = frame.value[selected]!;
      rows.push(
        [
          'rank',
          rank >= 255
            ? '—'
            : rank === 0
              ? `0 of ${h.agents} (leader)`
              : `${rank} of ${h.agents} (follows agent ${leader})`,
        ],
        ['proposed', frame.decision ? formatAction(h, proposed) : '— (terminal state)'],
        [
          'executed',
          frame.decision
            ? `${formatAction(h, executed)}${executed !== proposed ? ' (changed by the safety supervisor)' : ''}`
            : '—',
          frame.decision && executed !== proposed ? 'note' : undefined,
        ],
        ['value', Number.isNaN(value) ? '— (not recorded by this policy)' : formatNumber(value, 3)],
        ['reward', frame.decision ? formatNumber(frame.reward[selected]!, 3) : '—'],
        ['return so far', formatNumber(player.returnBefore(index, selected), 3)],
      );
    }
    setFields(this.el.vehicle, rows);
  }

  // --- messages ---

  private setStatus(text: string, error = false): void {
    this.el.status.textContent = text;
    this.el.status.classList.toggle('error', error);
  }

  private showMessage(text: string, error: boolean): void {
    const { message } = this.el;
    message.textContent = text;
    message.classList.toggle('error', error);
    message.hidden = false;
  }

  private hideMessage(): void {
    this.el.message.hidden = true;
  }

  private showError(what: string, error: unknown): void {
    // ReplayError and ApiError messages are one line that says where and what.
    const reason = error instanceof Error ? error.message : String(error);
    this.showMessage(`Cannot open ${what}: ${reason}`, true);
    this.setStatus(`cannot open ${what}`, true);
  }
}
