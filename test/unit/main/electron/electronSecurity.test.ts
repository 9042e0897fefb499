/**
 * Static security checks of the Electron shell (docs/security.md), since the Electron binary is
 * not available where the tests run:
 * 1. Electronegativity (Doyensec), at the Electron version package.json pins, over
 *    src/main/electron, over the renderer's sources (src/renderer: index.html and the TypeScript),
 *    and over the built app (the vite build of the renderer and the esbuild bundles of main,
 *    preload and workers, as `npm run build` makes them, built here into a temporary folder): no
 *    finding beyond the accepted ones, each listed with its reason in docs/security.md
 *    "Electronegativity".
 * 2. Our own checks with the TypeScript compiler API for what Electronegativity does not verify:
 *    the exact webPreferences, the navigation / window / permission / CSP handlers, and that every
 *    IPC handler goes through the router (sender check + dispatchApiCall).
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { bundleElectron } from '../../../../src/main/electron/bundleElectron.js';

const REPOSITORY = fileURLToPath(new URL('../../../../', import.meta.url));
const ELECTRON_DIR = fileURLToPath(new URL('../../../../src/main/electron/', import.meta.url));
const RENDERER_DIR = fileURLToPath(new URL('../../../../src/renderer/', import.meta.url));
const require = createRequire(import.meta.url);

/** The Electron version package.json pins (exactly: docs/security.md item 16). */
const ELECTRON_VERSION = (
  JSON.parse(readFileSync(join(REPOSITORY, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  }
).devDependencies.electron!;

// --- 1. Electronegativity ---

interface ElectronegativityIssue {
  readonly id: string;
  readonly file: string;
  readonly location: { readonly line: number; readonly column: number };
  readonly manualReview?: boolean;
}
interface ElectronegativityResult {
  readonly issues: readonly ElectronegativityIssue[];
  readonly errors: readonly {
    readonly file: string;
    readonly message: string;
    readonly tolerable: boolean;
  }[];
}
type RunElectronegativity = (options: Record<string, unknown>) => Promise<ElectronegativityResult>;

/** Findings reviewed and accepted (docs/security.md "Electronegativity" says why): check id → file. */
const ACCEPTED_FINDINGS = new Set([
  // "review the CSP": it is set, on every response, and checked below.
  'CSP_GLOBAL_CHECK main.ts',
  // "review the preload": it exposes one function, steerApi.call, limited to the contract.
  'PRELOAD_JS_CHECK main.ts',
]);

/**
 * Electronegativity over `input` (a folder) at the pinned Electron version. Its
 * AvailableSecurityFixesGlobalCheck fetches Electron's release list from GitHub: no network here,
 * and the version is pinned in package.json instead; `exclude` names more checks to skip.
 */
async function electronegativity(input: string, exclude: string[] = []): Promise<ElectronegativityResult> {
  const run = require('@doyensec/electronegativity') as RunElectronegativity;
  return run({
    input,
    electronVersionOverride: ELECTRON_VERSION,
    isRelative: true,
    excludeFromScan: ['AvailableSecurityFixesGlobalCheck', ...exclude],
  });
}

/** "CHECK_ID file-name" of each finding. */
function findingsOf(result: ElectronegativityResult): string[] {
  return result.issues.map((i) => `${i.id} ${i.file.replace(/^.*[\\/]/, '')}`);
}

/** Every file under `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('Electronegativity', () => {
  it('pins Electron exactly, at the version package-lock.json installs', async () => {
    expect(ELECTRON_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    const lock = JSON.parse(await readFile(join(REPOSITORY, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; devDependencies?: Record<string, string> }>;
    };
    expect(lock.packages['node_modules/electron']?.version).toBe(ELECTRON_VERSION);
    expect(lock.packages['']?.devDependencies?.electron).toBe(ELECTRON_VERSION);
  });

  it('on src/main/electron: nothing beyond the accepted findings, every file parsed', async () => {
    const result = await electronegativity(ELECTRON_DIR);
    expect(result.errors).toEqual([]);
    const findings = findingsOf(result);
    expect(findings.filter((f) => !ACCEPTED_FINDINGS.has(f))).toEqual([]);
    expect(findings).toContain('PRELOAD_JS_CHECK main.ts'); // main.ts was parsed and checked
  });

  it("on the renderer's sources (index.html and the TypeScript): no finding, every file parsed", async () => {
    expect((await filesUnder(RENDERER_DIR)).filter((f) => /\.html?$/.test(f)).length).toBeGreaterThan(0);
    // The global checks of the main process's handlers (CSP header, navigation, permissions) judge
    // the app as a whole: the scans of src/main/electron and of the built app run them.
    const result = await electronegativity(RENDERER_DIR, [
      'CSPGlobalCheck',
      'LimitNavigationGlobalCheck',
      'PermissionRequestHandlerGlobalCheck',
    ]);
    expect(result.errors).toEqual([]);
    expect(findingsOf(result)).toEqual([]);
  });

  it('on the built app (renderer build, main, preload, workers): only the accepted findings', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'steer-electronegativity-build-'));
    try {
      // --- build as `npm run build` does, into dir/dist ---
      const { build } = await import('vite');
      await build({
        configFile: join(REPOSITORY, 'vite.config.ts'),
        logLevel: 'warn',
        build: { outDir: join(dir, 'dist', 'renderer'), emptyOutDir: true },
      });
      await bundleElectron(join(dir, 'dist', 'electron'));
      // --- a copy Electronegativity can read: it parses .js/.html only (not .mjs/.cjs), and its
      // scope analysis knows no ES2022 class static blocks, so the bundles are lowered to ES2021
      // syntax (esbuild transform, same code otherwise) and given .js names ---
      const built = await filesUnder(join(dir, 'dist'));
      const scan = join(dir, 'scan');
      for (const file of built) {
        const name = relative(join(dir, 'dist'), file);
        if (name.endsWith('.map') || name.endsWith('.css')) continue;
        const target = join(scan, name.replace(/\.[cm]js$/, '.js'));
        await mkdir(dirname(target), { recursive: true });
        const text = await readFile(file, 'utf8');
        if (!/\.[cm]?js$/.test(name)) {
          await writeFile(target, text);
          continue;
        }
        const lowered = await transform(text, {
          loader: 'js',
          format: name.endsWith('.cjs') ? 'cjs' : 'esm',
          target: 'es2021',
          supported: { 'top-level-await': true },
        });
        await writeFile(target, lowered.code);
      }
      const scanned = (await filesUnder(scan)).map((f) => relative(scan, f).replaceAll('\\', '/')).sort();
      expect(scanned).toEqual(
        expect.arrayContaining([
          'electron/main.js',
          'electron/preload.js',
          'electron/jobWorker.js',
          'electron/editorSimWorker.js',
          'renderer/index.html',
        ]),
      );
      expect(scanned.filter((f) => /^renderer\/assets\/.*\.js$/.test(f)).length).toBeGreaterThanOrEqual(2);

      const result = await electronegativity(scan);
      expect(result.errors).toEqual([]);
      const findings = findingsOf(result);
      const accepted = new Set([...ACCEPTED_FINDINGS].map((f) => f.replace(/main\.ts$/, 'main.js')));
      expect(findings.filter((f) => !accepted.has(f))).toEqual([]);
      expect(findings).toContain('PRELOAD_JS_CHECK main.js'); // the bundled main was parsed
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('does flag an insecure window here (the scan is not a no-op)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'steer-electronegativity-'));
    try {
      await writeFile(
        join(dir, 'bad.ts'),
        "import { BrowserWindow } from 'electron';\n" +
          'const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false } });\n' +
          "w.loadURL('http://example.com/');\n",
      );
      await writeFile(
        join(dir, 'bad.html'),
        '<!doctype html><html><body>' +
          '<webview src="http://example.com/" allowpopups nodeintegration disablewebsecurity></webview>' +
          '</body></html>\n',
      );
      const result = await electronegativity(dir);
      const ids = new Set(result.issues.map((i) => i.id));
      // The window-level checks our main.ts passes, and the global ones it satisfies with its handlers.
      for (const id of [
        'CONTEXT_ISOLATION_JS_CHECK',
        'SANDBOX_JS_CHECK',
        'WEB_SECURITY_JS_CHECK',
        'HTTP_RESOURCES_JS_CHECK',
        'LIMIT_NAVIGATION_GLOBAL_CHECK',
        'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK',
        // and the HTML checks the renderer's pages pass
        'ALLOWPOPUPS_HTML_CHECK',
        'NODE_INTEGRATION_HTML_CHECK',
        'WEB_SECURITY_HTML_CHECK',
      ]) {
        expect(ids, id).toContain(id);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

// --- 2. our own checks ---

/** The parsed source of src/main/electron/<name>. */
function parse(name: string): ts.SourceFile {
  const file = `${ELECTRON_DIR}${name}`;
  return ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.ES2022,
    true,
    ts.ScriptKind.TS,
  );
}

/** Every node of `source` satisfying `test`. */
function findAll<T extends ts.Node>(source: ts.SourceFile, test: (node: ts.Node) => node is T): T[] {
  const out: T[] = [];
  const visit = (node: ts.Node) => {
    if (test(node)) out.push(node);
    node.forEachChild(visit);
  };
  visit(source);
  return out;
}

/** Calls whose callee text ends with `.name` (or is `name`). */
function callsTo(source: ts.SourceFile, name: string): ts.CallExpression[] {
  return findAll(source, ts.isCallExpression).filter((call) => {
    const callee = call.expression.getText(source);
    return callee === name || callee.endsWith(`.${name}`);
  });
}

/** A property assignment's value text inside an object literal, by key. */
function propertyText(
  object: ts.ObjectLiteralExpression,
  key: string,
  source: ts.SourceFile,
): string | undefined {
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property) && property.name.getText(source) === key) {
      return property.initializer.getText(source);
    }
  }
  return undefined;
}

describe('main.ts security configuration', () => {
  const main = parse('main.ts');
  const text = main.getFullText();

  it('creates exactly one BrowserWindow, with every security preference explicit', () => {
    const windows = findAll(main, ts.isNewExpression).filter(
      (n) => n.expression.getText(main) === 'BrowserWindow',
    );
    expect(windows).toHaveLength(1);
    const options = windows[0]!.arguments?.[0];
    expect(options && ts.isObjectLiteralExpression(options)).toBe(true);
    const webPreferences = (options as ts.ObjectLiteralExpression).properties
      .filter(ts.isPropertyAssignment)
      .find((p) => p.name.getText(main) === 'webPreferences')?.initializer;
    expect(webPreferences && ts.isObjectLiteralExpression(webPreferences)).toBe(true);
    const prefs = webPreferences as ts.ObjectLiteralExpression;
    const expected: Record<string, string> = {
      contextIsolation: 'true',
      sandbox: 'true',
      nodeIntegration: 'false',
      nodeIntegrationInWorker: 'false',
      nodeIntegrationInSubFrames: 'false',
      webSecurity: 'true',
      allowRunningInsecureContent: 'false',
      experimentalFeatures: 'false',
      webviewTag: 'false',
    };
    for (const [key, value] of Object.entries(expected))
      expect(propertyText(prefs, key, main), key).toBe(value);
    expect(propertyText(prefs, 'enableBlinkFeatures', main)).toBeUndefined();
    expect(propertyText(prefs, 'preload', main)).toBe('PRELOAD_FILE');
  });

  it('enables the sandbox for all renderers, holds the single-instance lock, loads only app://', () => {
    expect(callsTo(main, 'app.enableSandbox')).toHaveLength(1);
    expect(callsTo(main, 'app.requestSingleInstanceLock')).toHaveLength(1);
    expect(callsTo(main, 'protocol.registerSchemesAsPrivileged')).toHaveLength(1);
    expect(callsTo(main, 'protocol.handle')).toHaveLength(1);
    const loads = callsTo(main, 'loadURL').map((c) => c.arguments[0]?.getText(main));
    expect(loads).toEqual(['APP_ENTRY_URL']);
    expect(callsTo(main, 'loadFile')).toEqual([]);
    expect(text).not.toMatch(/['"`]file:\/\/(?!\*)/); // no page from file:// (only the blocked-URL pattern)
  });

  it('denies permissions, navigation away, webviews and new windows; never opens external URLs', () => {
    for (const handler of [
      'setPermissionRequestHandler',
      'setPermissionCheckHandler',
      'setDevicePermissionHandler',
    ]) {
      const calls = callsTo(main, handler);
      expect(calls, handler).toHaveLength(1);
      expect(calls[0]!.arguments[0]!.getText(main), handler).toMatch(/callback\(false\)|=> false$/);
    }
    const events = callsTo(main, 'on').map((c) => c.arguments[0]?.getText(main));
    expect(events).toEqual(
      expect.arrayContaining([
        "'will-navigate'",
        "'will-redirect'",
        "'will-attach-webview'",
        "'web-contents-created'",
      ]),
    );
    const windowOpen = callsTo(main, 'setWindowOpenHandler');
    expect(windowOpen).toHaveLength(1);
    expect(windowOpen[0]!.arguments[0]!.getText(main)).toBe("() => ({ action: 'deny' })");
    const names = findAll(main, ts.isIdentifier).map((id) => id.text);
    expect(names).not.toContain('shell');
    expect(names).not.toContain('openExternal');
  });

  it('sends the CSP with every response and cancels requests to other schemes', () => {
    expect(callsTo(main, 'onHeadersReceived')[0]?.getText(main)).toContain(
      "'Content-Security-Policy': [CSP]",
    );
    expect(text).toMatch(/'content-security-policy': CSP/);
    expect(callsTo(main, 'onBeforeRequest')[0]?.getText(main)).toContain('cancel: true');
  });

  it('routes every ipcMain handler through the router (sender check + dispatchApiCall)', () => {
    const handles = callsTo(main, 'ipcMain.handle');
    expect(handles).toHaveLength(1); // inside the loop over apiChannels()
    expect(handles[0]!.arguments[1]!.getText(main)).toBe(
      '(event, raw: unknown) => route(channel, event, raw)',
    );
    for (const other of ['ipcMain.on', 'ipcMain.once', 'ipcMain.handleOnce'])
      expect(callsTo(main, other), other).toEqual([]);
  });
});

describe('preload.ts', () => {
  const preload = parse('preload.ts');

  it('exposes one object, steerApi, and never ipcRenderer itself', () => {
    const exposed = callsTo(preload, 'contextBridge.exposeInMainWorld');
    expect(exposed).toHaveLength(1);
    expect(exposed[0]!.arguments[0]!.getText(preload)).toBe("'steerApi'");
    // Every use of ipcRenderer is a call of ipcRenderer.invoke (no .on/.send, not passed as a value).
    const uses = findAll(preload, ts.isIdentifier).filter(
      (id) => id.text === 'ipcRenderer' && !ts.isImportSpecifier(id.parent),
    );
    expect(uses.length).toBeGreaterThan(0);
    for (const use of uses) expect(use.parent.getText(preload)).toBe('ipcRenderer.invoke');
  });
});
