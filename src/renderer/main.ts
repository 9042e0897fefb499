/**
 * Entry of the renderer (a plain web app, no Node access; docs/design.md "Browser host for tests").
 * The API comes from the Electron preload (`window.steerApi`, later) or, in a browser, from the
 * host's WebSocket with the session token of the page URL (`?token=…`). `?replay=<path>` opens a
 * replay from the list at once; `?tab=editor` starts in the scenario editor,
 * `?tab=training` in the training dashboard; `?render=main-thread` draws the player's scene on the
 * page's main thread instead of the renderer worker.
 */
import type { SteerApi } from '../shared/api/contract.js';
import { apiSocketUrl, connectWebSocketApi } from './api/webSocketApi.js';
import { DashboardView } from './dashboard/dashboardView.js';
import { EditorView } from './editor/editorView.js';
import { FrameProbe } from './perf/frameProbe.js';
import { PlayerView } from './player/playerView.js';
import { AppTabs } from './ui/appTabs.js';
import { byId } from './ui/dom.js';

declare global {
  interface Window {
    /** The API as the Electron preload exposes it (absent in a browser). */
    steerApi?: SteerApi;
    /** Frame and open timings, read by the e2e test and `npm run bench:app`. */
    steerProbe?: FrameProbe;
    /** The player, for tests and the console. */
    steerPlayer?: PlayerView;
    /** The scenario editor, for tests and the console. */
    steerEditor?: EditorView;
  }
}

const params = new URLSearchParams(location.search);
const probe = new FrameProbe();
window.steerProbe = probe;
// `?render=main-thread` draws the scene on the page's thread even where a worker could (to compare).
const view = new PlayerView(
  document,
  probe,
  params.get('render') === 'main-thread' ? 'main-thread' : 'worker',
);
window.steerPlayer = view;
const tabs = new AppTabs(document);
tabs.registerView('Player', byId(document, 'player-view', HTMLElement));
// A run in the editor plays in the player: switch tabs, let the layout settle, open the bytes.
const editor = new EditorView(document, byId(document, 'editor-view', HTMLElement), {
  showReplay: async (bytes, label, recorded) => {
    tabs.show('Player');
    if (recorded) await view.refreshList();
    await new Promise((resolve) => requestAnimationFrame(resolve));
    view.openBytes(
      bytes,
      { label, fileBytes: bytes.length, listText: `Editor run: ${label}` },
      performance.now(),
    );
  },
  // A live run: the player at once, its frames as they arrive, then the finished file.
  showLiveReplay: (label) => {
    tabs.show('Player');
    const run = view.beginLive(label);
    const live = { label, fileBytes: 0, listText: `Editor run: ${label}` };
    return {
      show: (snapshot) => {
        view.showLive(run, snapshot, { ...live, fileBytes: snapshot.length }, false);
      },
      finish: async (bytes, finalLabel, recorded) => {
        if (recorded) await view.refreshList();
        view.showLive(
          run,
          bytes,
          { label: finalLabel, fileBytes: bytes.length, listText: `Editor run: ${finalLabel}` },
          true,
        );
      },
      fail: () => tabs.show('Editor'), // the message is under Run
    };
  },
});
window.steerEditor = editor;
tabs.registerView('Editor', editor.root);
// The Training tab; "Evaluate and record" opens its replays in the player.
const dashboard = new DashboardView(document, {
  openReplay: (path) => {
    tabs.show('Player');
    void view.refreshList().then(() => view.openPath(path));
  },
});
document.body.append(dashboard.element);
tabs.registerView('Training', dashboard.element, () => dashboard.onShow());
// Teardown frees the GPU resources (geometries, materials, the WebGL context) at once.
window.addEventListener('pagehide', (event) => {
  if (!event.persisted) view.dispose(); // a page kept in the back-forward cache keeps its scene
});

tabs.show(params.get('tab') ?? 'Player');
try {
  const api =
    window.steerApi ?? (await connectWebSocketApi(apiSocketUrl(location, params.get('token') ?? '')));
  await Promise.all([view.connect(api), editor.connect(api), dashboard.connect(api)]);
  const replay = params.get('replay');
  if (replay !== null) await view.openPath(replay);
} catch (error) {
  view.showFatal(error instanceof Error ? error.message : String(error));
}
// Ready means the scene too: the renderer worker builds its WebGL context and shaders while the
// API connects (the in-thread scene was built before this point, in PlayerView's constructor).
await view.sceneReady;
document.documentElement.dataset.ready = 'true';
