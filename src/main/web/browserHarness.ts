/**
 * Drives the player in a real browser, for the end-to-end test (test/e2e) and `npm run bench:app`:
 * builds the renderer with vite into a temporary folder, starts the web host on a free port and
 * launches Debian's Chromium through playwright-core (docs/design.md "Testing the renderer here"):
 * headless, SwiftShader WebGL, HOME and TMPDIR inside the temporary folder so nothing is left
 * behind. No browser is ever downloaded: a missing /usr/bin/chromium is an error that says how to
 * install it.
 *
 * Development tooling only (vite and playwright-core are devDependencies); the CLI never imports it.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { startWebHost, type WebHost } from './server.js';

/** The Chromium binary: Debian's package (`apt-get install -y chromium`), or $STEER_CHROMIUM. */
export const CHROMIUM_PATH = process.env.STEER_CHROMIUM ?? '/usr/bin/chromium';

/** Launch flags: no sandbox (containers), and nothing that reaches the network on its own. */
export const CHROMIUM_ARGS: readonly string[] = Object.freeze([
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]);

/** The repository root (holds vite.config.ts, samples/). */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Builds the renderer into `outDir` with the repository's vite.config.ts. */
export async function buildRenderer(outDir: string): Promise<void> {
  const { build } = await import('vite');
  await build({
    configFile: join(REPOSITORY_ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
}

/** Throws, saying how to install it, unless the Chromium binary exists. */
export function assertChromium(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `browser harness: no Chromium at ${CHROMIUM_PATH}. Install Debian's package (apt-get update && apt-get install -y chromium; .ci/run does this) or set STEER_CHROMIUM to a Chromium binary. Browsers are never downloaded.`,
    );
  }
}

/**
 * Extra flags that make headless Chromium composite through SwiftShader's GPU process as a real
 * GPU would, instead of reading every WebGL frame back to the main thread for software
 * compositing (GLES2::ReadPixels in the commit, most of a frame here). `npm run bench:app
 * --gpu-compositing` uses them; the tests do not.
 */
export const GPU_COMPOSITING_ARGS: readonly string[] = Object.freeze([
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--enable-gpu-rasterization',
]);

/** Launches headless Chromium with its profile, HOME and TMPDIR under `profileDir`; `extraArgs` after CHROMIUM_ARGS. */
export async function launchChromium(
  profileDir: string,
  extraArgs: readonly string[] = [],
): Promise<Browser> {
  assertChromium();
  const home = join(profileDir, 'home');
  const tmp = join(profileDir, 'tmp');
  await mkdir(home, { recursive: true });
  await mkdir(tmp, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    env: {
      ...process.env,
      HOME: home,
      TMPDIR: tmp,
      XDG_CONFIG_HOME: join(home, '.config'),
      XDG_CACHE_HOME: join(home, '.cache'),
    },
  });
}

/** A built renderer, a running host and a browser; `close` undoes all three. */
export interface PlayerSession {
  readonly host: WebHost;
  readonly browser: Browser;
  /** Temporary folder holding the build, the browser profile and whatever the caller adds. */
  readonly workDir: string;
  /** Time to build the renderer [ms] (0 when a built one was given). */
  readonly buildMs: number;
  close(): Promise<void>;
}

/** Options of startPlayerSession. */
export interface PlayerSessionOptions {
  /** Folder whose samples/ and runs/ the host lists; default the repository. */
  readonly projectRoot?: string;
  /** A built renderer to serve instead of building one. */
  readonly staticDir?: string;
  /** Session token; default random. */
  readonly token?: string;
  /** Chromium flags added to CHROMIUM_ARGS (e.g. GPU_COMPOSITING_ARGS). */
  readonly chromiumArgs?: readonly string[];
}

/** Builds (unless given a build), serves and launches; everything lives under a fresh temp folder. */
export async function startPlayerSession(options: PlayerSessionOptions = {}): Promise<PlayerSession> {
  assertChromium(); // before the build: fail in a second, not after it
  const workDir = await mkdtemp(join(tmpdir(), 'steer-player-'));
  const cleanups: (() => Promise<void>)[] = [() => rm(workDir, { recursive: true, force: true })];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  };
  try {
    let staticDir = options.staticDir;
    let buildMs = 0;
    if (staticDir === undefined) {
      staticDir = join(workDir, 'renderer');
      const start = performance.now();
      await buildRenderer(staticDir);
      buildMs = performance.now() - start;
    }
    const browser = await launchChromium(join(workDir, 'browser'), options.chromiumArgs);
    cleanups.push(() => browser.close());
    const host = await startWebHost({
      staticDir,
      projectRoot: options.projectRoot ?? REPOSITORY_ROOT,
      version: 'e2e',
      port: 0,
      ...(options.token === undefined ? {} : { token: options.token }),
    });
    cleanups.push(() => host.close());
    return { host, browser, workDir, buildMs, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * A new page whose uncaught errors and console errors are appended to `problems` (as
 * "pageerror: …" / "console: …"), so a test can assert at the end that the page logged none.
 */
export async function newWatchedPage(
  browser: Browser,
  options: BrowserContextOptions,
  problems: string[],
): Promise<Page> {
  const page = await browser.newPage(options);
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  return page;
}
