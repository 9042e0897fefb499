/**
 * The bundled main process (dist/electron/main.mjs as `npm run build` makes it) run in Node
 * against a stand-in 'electron' module that records what main.ts asks of Electron: the Electron
 * binary is not available here, so this is how the shell's wiring is exercised end to end —
 * the window's preferences, the handlers it installs, the API on IPC and the app:// protocol, the
 * workers started from their bundles, and quitting, which first stops the training jobs.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleElectron } from '../../../../src/main/electron/bundleElectron.js';
import { API_METHOD_NAMES } from '../../../../src/shared/api/contract.js';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

/** What the stand-in records (the stub below writes into it). */
interface Recorded {
  appPath: string;
  quitCalls: number;
  exitCodes: number[];
  sandbox: boolean;
  singleInstanceLock: boolean;
  schemes: { scheme: string; privileges: Record<string, boolean> }[];
  appEvents: Map<string, (...args: unknown[]) => void>;
  handles: Map<string, (event: unknown, raw: unknown) => Promise<unknown>>;
  protocol?: { scheme: string; handler: (request: Request) => Promise<Response> };
  permissionRequest?: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
  permissionCheck?: (...args: unknown[]) => boolean;
  devicePermission?: (...args: unknown[]) => boolean;
  beforeRequest?: { filter: { urls: string[] }; listener: (d: unknown, cb: (r: unknown) => void) => void };
  headersReceived?: (d: { responseHeaders?: Record<string, string[]> }, cb: (r: unknown) => void) => void;
  windows: {
    options: { webPreferences: Record<string, unknown> };
    url?: string;
    webContents: StubContents;
  }[];
}
interface StubContents {
  events: Map<string, (event: { url?: string; preventDefault(): void }) => void>;
  windowOpenHandler?: (details: { url: string }) => { action: string };
}

/** The stand-in 'electron' package: just what main.ts calls. */
const STUB = `
const r = globalThis.__steerElectronStub;
class WebContents {
  events = new Map();
  on(name, listener) { this.events.set(name, listener); return this; }
  setWindowOpenHandler(handler) { this.windowOpenHandler = handler; }
}
export class BrowserWindow {
  constructor(options) {
    this.options = options;
    this.webContents = new WebContents();
    r.windows.push(this);
    r.appEvents.get('web-contents-created')?.({}, this.webContents);
  }
  once() { return this; }
  on() { return this; }
  show() {}
  isMinimized() { return false; }
  restore() {}
  focus() {}
  async loadURL(url) { this.url = url; }
}
export const app = {
  isPackaged: false,
  enableSandbox() { r.sandbox = true; },
  requestSingleInstanceLock() { r.singleInstanceLock = true; return true; },
  on(name, listener) { r.appEvents.set(name, listener); return app; },
  whenReady() { return Promise.resolve(); },
  quit() { r.quitCalls++; }, exit(code) { r.exitCodes.push(code); },
  getAppPath() { return r.appPath; },
  getVersion() { return '0.0.0-test'; },
  getPath() { return r.appPath; },
};
export const protocol = {
  registerSchemesAsPrivileged(schemes) { r.schemes = schemes; },
  handle(scheme, handler) { r.protocol = { scheme, handler }; },
};
export const ipcMain = { handle(channel, listener) { r.handles.set(channel, listener); } };
export const session = { defaultSession: {
  setPermissionRequestHandler(h) { r.permissionRequest = h; },
  setPermissionCheckHandler(h) { r.permissionCheck = h; },
  setDevicePermissionHandler(h) { r.devicePermission = h; },
  webRequest: {
    onBeforeRequest(filter, listener) { r.beforeRequest = { filter, listener }; },
    onHeadersReceived(listener) { r.headersReceived = listener; },
  },
} };
`;

let workDir = '';
let projectDir = '';
const recorded: Recorded = {
  appPath: '',
  quitCalls: 0,
  exitCodes: [],
  sandbox: false,
  singleInstanceLock: false,
  schemes: [],
  appEvents: new Map(),
  handles: new Map(),
  windows: [],
};

beforeAll(async () => {
  // Inside the repository, so the bundle's npm imports (zod, fflate, …) resolve from its
  // node_modules; the stand-in sits nearer, so it is what 'electron' resolves to.
  workDir = await mkdtemp(join(REPO, '.tmp-electron-test-'));
  projectDir = await mkdtemp(join(tmpdir(), 'steer-electron-project-'));
  const stubDir = join(workDir, 'node_modules', 'electron');
  await mkdir(stubDir, { recursive: true });
  await writeFile(
    join(stubDir, 'package.json'),
    '{"name":"electron","type":"module","exports":"./index.js"}',
  );
  await writeFile(join(stubDir, 'index.js'), STUB);
  await mkdir(join(workDir, 'renderer'));
  await writeFile(join(workDir, 'renderer', 'index.html'), '<!doctype html><title>t</title>');
  const { main } = await bundleElectron(join(workDir, 'electron'));

  recorded.appPath = projectDir;
  (globalThis as Record<string, unknown>).__steerElectronStub = recorded;
  await import(pathToFileURL(main).href);
  for (let i = 0; i < 200 && recorded.windows[0]?.url === undefined; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}, 60_000);

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
  await rm(projectDir, { recursive: true, force: true });
});

describe('bundled main process (stand-in electron)', () => {
  it('sandboxes every renderer, takes the single-instance lock, registers app:// as secure', () => {
    expect(recorded.sandbox).toBe(true);
    expect(recorded.singleInstanceLock).toBe(true);
    expect(recorded.schemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('opens one window on app://steer with a sandboxed, isolated, Node-free renderer', () => {
    expect(recorded.windows).toHaveLength(1);
    const window = recorded.windows[0]!;
    expect(window.url).toBe('app://steer/index.html');
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
    expect(String(window.options.webPreferences.preload)).toMatch(/[\\/]preload\.cjs$/);
  });

  it('denies every permission and keeps the window on app://', () => {
    const granted: boolean[] = [];
    recorded.permissionRequest!({}, 'media', (g) => granted.push(g));
    recorded.permissionRequest!({}, 'notifications', (g) => granted.push(g));
    expect(granted).toEqual([false, false]);
    expect(recorded.permissionCheck!({}, 'clipboard-read', 'app://steer', {})).toBe(false);
    expect(recorded.devicePermission!({})).toBe(false);

    const contents = recorded.windows[0]!.webContents;
    const navigate = (name: string, url: string) => {
      let prevented = false;
      contents.events.get(name)!({ url, preventDefault: () => (prevented = true) });
      return prevented;
    };
    expect(navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate('will-navigate', 'app://steer/index.html?replay=x')).toBe(false);
    expect(navigate('will-redirect', 'http://127.0.0.1:1/')).toBe(true);
    expect(navigate('will-attach-webview', 'app://steer/')).toBe(true);
    expect(contents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it('adds the CSP to responses and cancels requests to other schemes', () => {
    let headers: unknown;
    recorded.headersReceived!({ responseHeaders: { a: ['1'] } }, (r) => (headers = r));
    expect(headers).toEqual({
      responseHeaders: {
        a: ['1'],
        'Content-Security-Policy': [expect.stringContaining("script-src 'self'")],
      },
    });
    expect(recorded.beforeRequest!.filter.urls).toEqual(
      expect.arrayContaining(['http://*/*', 'https://*/*', 'file://*/*']),
    );
    let decision: unknown;
    recorded.beforeRequest!.listener({}, (r) => (decision = r));
    expect(decision).toEqual({ cancel: true });
  });

  it('serves dist/renderer on app://steer with the CSP, and nothing else', async () => {
    const { scheme, handler } = recorded.protocol!;
    expect(scheme).toBe('app');
    const page = await handler(new Request('app://steer/'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('<title>t</title>');
    expect((await handler(new Request('app://steer/assets/%2e%2e%2f%2e%2e%2fpackage.json'))).status).toBe(
      404,
    );
    expect((await handler(new Request('app://steer/missing.js'))).status).toBe(404);
    expect((await handler(new Request('app://steer/index.html', { method: 'POST', body: 'x' }))).status).toBe(
      404,
    );
  });

  it('answers the API on steer:<method> for the window and refuses other senders', async () => {
    expect([...recorded.handles.keys()]).toEqual(API_METHOD_NAMES.map((m) => `steer:${m}`));
    const info = recorded.handles.get('steer:app.info')!;
    const sender = recorded.windows[0]!.webContents;
    const frame = { url: 'app://steer/index.html', parent: null };
    await expect(info({ sender, senderFrame: frame }, {})).resolves.toMatchObject({
      ok: true,
      response: { host: 'electron', version: '0.0.0-test' },
    });
    await expect(info({ sender: {}, senderFrame: frame }, {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'refused' },
    });
    await expect(info({ sender, senderFrame: frame }, { extra: 1 })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
  });

  it('builds the workers beside main.mjs and plays sim.run in the bundled one', async () => {
    expect(existsSync(join(workDir, 'electron', 'jobWorker.mjs'))).toBe(true);
    expect(existsSync(join(workDir, 'electron', 'editorSimWorker.mjs'))).toBe(true);
    const run = recorded.handles.get('steer:sim.run')!;
    const sender = recorded.windows[0]!.webContents;
    const frame = { url: 'app://steer/index.html', parent: null };
    const scenario = {
      version: 1,
      name: 'Bundled run',
      seed: 2,
      traffic: { vehicles: [{ kind: 'cav', lane: 'a-b-0', positionM: 150, speedMps: 25 }] },
    };
    const result = (await run(
      { sender, senderFrame: frame },
      { scenario, model: { kind: 'baseline', policy: 'idle' } },
    )) as {
      ok: boolean;
      response?: { steps: number; bytes: Uint8Array };
    };
    expect(result).toMatchObject({ ok: true, response: { path: null, seed: 2 } });
    expect(result.response!.steps).toBeGreaterThan(0);
    expect(result.response!.bytes).toBeInstanceOf(Uint8Array);
  });

  it('quits once the running jobs are stopped with a checkpoint; a second quit meanwhile exits at once', async () => {
    const sender = recorded.windows[0]!.webContents;
    const event = { sender, senderFrame: { url: 'app://steer/index.html', parent: null } };
    const api = async (method: string, request: unknown) => {
      const reply = (await recorded.handles.get(`steer:${method}`)!(event, request)) as {
        ok: boolean;
        response?: Record<string, unknown>;
        error?: unknown;
      };
      expect(reply.ok, JSON.stringify(reply.error)).toBe(true);
      return reply.response!;
    };
    const quit = () => {
      let prevented = false;
      recorded.appEvents.get('before-quit')!({ preventDefault: () => (prevented = true) });
      return prevented;
    };
    expect(quit()).toBe(false); // no job: quit at once

    // A long job that checkpoints rarely, trained by the bundled jobWorker.mjs.
    await api('jobs.start', {
      env: 'matrix:penalty-0',
      backend: 'cpu',
      runId: 'quitting',
      updates: 500,
      checkpointEvery: 400,
      config: { numEnvs: 2, episodeLength: 5, ppoEpochs: 2 },
    });
    type Job = { runId: string; status: string; update: number };
    const job = async () => ((await api('jobs.list', {})).jobs as Job[]).find((j) => j.runId === 'quitting')!;
    while ((await job()).update < 1) {
      expect((await job()).status).not.toBe('failed');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const quitsBefore = recorded.quitCalls;
    expect(quit()).toBe(true); // held: the job is stopping
    expect(recorded.exitCodes).toEqual([]);
    expect(quit()).toBe(true); // a second quit does not wait: app.exit(0) (the stub returns)
    expect(recorded.exitCodes).toEqual([0]);
    for (let i = 0; i < 1200 && recorded.quitCalls === quitsBefore; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(recorded.quitCalls).toBe(quitsBefore + 1); // then app.quit(), once
    const stopped = await job();
    expect(stopped.status).toBe('stopped');
    const { checkpoints } = (await api('runs.checkpoints', { runId: 'quitting' })) as {
      checkpoints: { name: string; update: number }[];
    };
    expect(checkpoints).toEqual([expect.objectContaining({ name: 'latest', update: stopped.update })]);
    expect(stopped.update).toBeLessThan(400); // saved by the stop, not by the interval
    expect(quit()).toBe(false); // the quit that follows goes through
  });
});
