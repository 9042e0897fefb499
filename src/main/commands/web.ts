/**
 * `steer web`: the browser host (src/main/web/server.ts, docs/app.md). Serves the built renderer
 * and the API on 127.0.0.1, prints the page URL with this session's token, and runs until
 * SIGINT/SIGTERM. `npm run web` builds the renderer first.
 */
import { access, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { type CommandContext, userPath } from '../cli/context.js';
import { CliError } from '../cli/errors.js';
import type { WebHost } from '../web/server.js';

/** Where `npm run build:renderer` (vite.config.ts) writes the renderer. */
export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../../dist/renderer/', import.meta.url));

/** Options of `steer web` (strings as commander parses them). */
export interface WebOptions {
  host: string;
  port: string;
  static?: string;
  root?: string;
}

/** Adds `web` to the program. */
export function registerWebCommand(program: Command, action: (options: WebOptions) => Promise<void>): void {
  program
    .command('web')
    .description(
      'serve the app in a browser: replay player on 127.0.0.1, API over WebSocket with a session token',
    )
    .option('--host <address>', 'loopback address to bind (127.0.0.1, ::1 or localhost)', '127.0.0.1')
    .option('--port <n>', 'TCP port; 0 picks a free one', '0')
    .option('--static <dir>', 'built renderer folder (default: dist/renderer of this package)')
    .option(
      '--root <dir>',
      'folder whose samples/ and runs/ hold the replays (default: the working directory)',
    )
    .action(action);
}

/** Runs `steer web` until `ctx.signal` aborts; exit code 0. */
export async function webCommand(options: WebOptions, ctx: CommandContext, version: string): Promise<number> {
  const port = Number(options.port);
  const staticDir = options.static === undefined ? DEFAULT_RENDERER_DIR : userPath(ctx, options.static);
  try {
    await access(`${staticDir}/index.html`);
  } catch {
    throw new CliError(`web: no built renderer in ${staticDir}: run npm run build:renderer (or npm run web)`);
  }
  const projectRoot = options.root === undefined ? ctx.cwd : await rootFolder(options.root, ctx);
  // Loaded on use: the other commands never pay for the HTTP/WebSocket stack.
  const { startWebHost, WebHostError } = await import('../web/server.js');
  let host: WebHost;
  try {
    host = await startWebHost({
      staticDir,
      projectRoot,
      version,
      host: options.host,
      port,
    });
  } catch (error) {
    if (error instanceof WebHostError) throw new CliError(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new CliError(`web: port ${port} is in use; pass --port 0 for a free one`);
    throw error;
  }
  ctx.stdout.write(`STEER Studio is served at\n\n  ${host.url}\n\n`);
  ctx.stderr.write("Open that URL (it carries this session's token). Ctrl-C stops the host.\n");
  await new Promise<void>((resolve) => {
    if (ctx.signal === undefined || ctx.signal.aborted) return resolve();
    ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await host.close();
  return 0;
}

/** The folder `--root` names: it must exist and be a directory (a typo would serve an empty app). */
async function rootFolder(root: string, ctx: CommandContext): Promise<string> {
  const path = userPath(ctx, root);
  const absolute = resolve(ctx.cwd, root);
  const shown = absolute === root ? root : `${root} (${absolute})`;
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new CliError(`web: --root ${shown}: no such folder`);
    throw new CliError(`web: --root ${shown}: cannot be read: ${(error as Error).message}`);
  }
  if (!isDirectory) throw new CliError(`web: --root ${shown}: not a folder`);
  return path;
}
