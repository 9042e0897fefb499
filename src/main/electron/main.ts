/**
 * The Electron main process (docs/design.md "Security"): one window showing the built renderer
 * (dist/renderer) on the custom scheme app://steer, sandboxed, context-isolated, without Node,
 * under a strict CSP; navigation, new windows, webviews and permission requests are refused; the
 * typed API (src/shared/api/contract.ts) is served on `ipcMain.handle('steer:<method>')`, each call
 * checked for its sender and run through `dispatchApiCall` (ipcRouter.ts). docs/security.md maps
 * every item of Electron's security checklist to the code that meets it.
 *
 * Thin on purpose: everything it decides is in tested modules (appUrl.ts, ipcRouter.ts, ipcApi.ts)
 * or checked statically (test/unit/main/electron/electronSecurity.test.ts), because the Electron
 * binary is not available where the tests run. Bundled by bundleElectron.ts to dist/electron/main.mjs.
 */
import { cp, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, protocol, session, type WebContents } from 'electron';
import { createApiHandlers } from '../api/handlers.js';
import { JobService } from '../jobs/index.js';
import { contentSecurityPolicy } from '../web/contentSecurityPolicy.js';
import { useBundledWorkers } from '../workers/tsWorker.js';
import { apiChannels } from './apiChannel.js';
import { APP_ENTRY_URL, APP_SCHEME, appContentType, isAppUrl, resolveAppFile } from './appUrl.js';
import { createIpcRouter } from './ipcRouter.js';

/** dist/electron, where this bundle, the worker bundles and preload.cjs live. */
const BUNDLE_DIR = dirname(fileURLToPath(import.meta.url));
/** The built renderer that app://steer serves. */
const RENDERER_DIR = join(BUNDLE_DIR, '..', 'renderer');
/** The sandboxed preload (bundled to CommonJS: a sandboxed preload cannot be an ES module). */
const PRELOAD_FILE = join(BUNDLE_DIR, 'preload.cjs');
/** The page's policy: own scripts and styles only; the API travels over IPC, not a socket. */
const CSP = contentSecurityPolicy();
/** Folders the packaged app ships as resources (electron.config.ts extraResources). */
const BUNDLED_FOLDERS = ['samples', 'scenarios', 'models'] as const;
/** Schemes a page of the window may request; anything else (http, https, ws, file, …) is cancelled. */
const BLOCKED_REQUEST_URLS = [
  'http://*/*',
  'https://*/*',
  'ws://*/*',
  'wss://*/*',
  'ftp://*/*',
  'file://*/*',
];

// --- before ready: privileged scheme, sandbox for every renderer, one instance ---
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
app.enableSandbox();

let mainWindow: BrowserWindow | null = null;
/** The training jobs of the project (made by start). */
let jobs: JobService | null = null;
/** Quitting waits for the jobs: 'stopping' while their checkpoints are saved, then 'stopped'. */
let jobsAtQuit: 'running' | 'stopping' | 'stopped' = 'running';

if (!app.requestSingleInstanceLock()) {
  app.quit(); // another STEER Studio window is open: it gets focused (second-instance below)
} else {
  app.on('second-instance', () => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('window-all-closed', () => app.quit());
  // Training jobs save a checkpoint only every few updates: quitting first stops them (each saves
  // checkpoints/latest at the update it reached, or is ended after the service's grace period),
  // then quits. A second quit meanwhile exits at once: the jobs keep their last saved checkpoint
  // (checkpoints are swapped in atomically, so none is left half written).
  app.on('before-quit', (event) => {
    if (jobsAtQuit === 'stopped' || jobs === null || !jobs.hasActiveJobs()) return;
    event.preventDefault();
    if (jobsAtQuit === 'stopping') {
      console.error('STEER Studio: quit again: exiting without waiting for the training jobs');
      app.exit(0);
      return;
    }
    jobsAtQuit = 'stopping';
    const service = jobs;
    service
      .close()
      .catch((error: unknown) => console.error(`STEER Studio: stopping the training jobs: ${String(error)}`))
      .finally(() => {
        jobsAtQuit = 'stopped';
        app.quit();
      });
  });
  app.whenReady().then(start, (error: unknown) => {
    console.error(`STEER Studio: ${String(error)}`);
    app.exit(1);
  });
}

/** Serves the renderer, denies permissions, registers the API, opens the window. */
async function start(): Promise<void> {
  const ses = session.defaultSession;
  // --- permissions: the app needs none (no camera, notifications, geolocation, …) ---
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);

  // --- content: only app://steer, with the CSP on every response ---
  ses.webRequest.onBeforeRequest({ urls: BLOCKED_REQUEST_URLS }, (_details, callback) =>
    callback({ cancel: true }),
  );
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  protocol.handle(APP_SCHEME, serveRenderer);

  // --- the API: one handler per contract method, sender checked, request validated ---
  useBundledWorkers(BUNDLE_DIR); // workers run jobWorker.mjs, editorSimWorker.mjs beside this bundle
  const root = await projectRoot();
  jobs = new JobService({ projectRoot: root });
  const route = createIpcRouter({
    handlers: createApiHandlers({ projectRoot: root, host: 'electron', version: app.getVersion(), jobs }),
    isAppWebContents: (sender) => mainWindow !== null && sender === mainWindow.webContents,
  });
  for (const channel of apiChannels()) {
    ipcMain.handle(channel, (event, raw: unknown) => route(channel, event, raw));
  }

  mainWindow = new BrowserWindow({
    width: 1440,
    height: 900,
    show: false,
    backgroundColor: '#11151c',
    title: 'STEER Studio',
    webPreferences: {
      preload: PRELOAD_FILE,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      // Middle-click (auxclick) opens links in new windows: denied below anyway, and off here.
      disableBlinkFeatures: 'Auxclick',
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      devTools: !app.isPackaged,
    },
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  await mainWindow.loadURL(APP_ENTRY_URL);
}

/**
 * The folder whose samples/, scenarios/, models/ and runs/ the API lists and writes. Unpackaged
 * (npm run start): the repository. Packaged, the bundled folders are read-only resources, and
 * training needs a writable runs/: the project is Documents/STEER Studio, seeded with the bundled
 * folders (files already there are kept, so the user's edits survive an update).
 */
async function projectRoot(): Promise<string> {
  if (!app.isPackaged) return app.getAppPath();
  const root = join(app.getPath('documents'), 'STEER Studio');
  for (const folder of BUNDLED_FOLDERS) {
    await cp(join(process.resourcesPath, folder), join(root, folder), { recursive: true, force: false });
  }
  return root;
}

/** app://steer/<path> → the file under dist/renderer, or 404; never a file outside it. */
async function serveRenderer(request: Request): Promise<Response> {
  const file = request.method === 'GET' ? resolveAppFile(request.url, RENDERER_DIR) : null;
  if (file === null) return new Response('not found', { status: 404 });
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return new Response('not found', { status: 404 });
  }
  return new Response(new Uint8Array(body), {
    headers: {
      'content-type': appContentType(file),
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    },
  });
}

/** Every WebContents (the window's, and any other): no navigation away, no new windows, no webviews. */
function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // No link opens a window or the system browser: nothing reaches shell.openExternal.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
