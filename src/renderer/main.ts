/**
 * Entry of the renderer (a plain web app, no Node access; design.md "Browser host for tests").
 * The API comes from the Electron preload (`window.steerApi`, later) or, in a browser, from the
 * host's WebSocket with the session token of the page URL (`?token=…`). `?replay=<path>` opens a
 * replay from the list at once.
 */
import type { SteerApi } from '../main/api/contract.js';
import { apiSocketUrl, connectWebSocketApi } from './api/webSocketApi.js';
import { FrameProbe } from './perf/frameProbe.js';
import { PlayerView } from './ui/playerView.js';

declare global {
  interface Window {
    /** The API as the Electron preload exposes it (absent in a browser). */
    steerApi?: SteerApi;
    /** Frame and open timings, read by the e2e test and `npm run bench:app`. */
    steerProbe?: FrameProbe;
    /** The player, for tests and the console. */
    steerPlayer?: PlayerView;
  }
}

const probe = new FrameProbe();
window.steerProbe = probe;
const view = new PlayerView(document, probe);
window.steerPlayer = view;
// Teardown frees the GPU resources (geometries, materials, the WebGL context) at once.
window.addEventListener('pagehide', (event) => {
  if (!event.persisted) view.dispose(); // a page kept in the back-forward cache keeps its scene
});

const params = new URLSearchParams(location.search);
try {
  const api =
    window.steerApi ?? (await connectWebSocketApi(apiSocketUrl(location, params.get('token') ?? '')));
  await view.connect(api);
  const replay = params.get('replay');
  if (replay !== null) await view.openPath(replay);
} catch (error) {
  view.showFatal(error instanceof Error ? error.message : String(error));
}
document.documentElement.dataset.ready = 'true';
