/**
 * The browser host (docs/design.md "Browser host for tests"): serves the built renderer (vite build
 * output) over HTTP and the API contract (src/shared/api/contract.ts) over a WebSocket at /api, on a
 * loopback address only. A random token per session guards the API: the printed URL carries it
 * (`?token=…`), the page passes it when it connects, and a wrong or missing token gets HTTP 401
 * before any WebSocket exists. Host and Origin headers must name the host itself (no DNS
 * rebinding, no other page's scripts).
 *
 * `startWebHost({ port: 0 })` picks a free port, which tests and the benchmark use.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ApiHandlers } from '../../shared/api/contract.js';
import { createApiHandlers } from '../api/handlers.js';
import { ApiSockets, TOKEN_PARAM } from './apiSocket.js';
import { HostIdentity } from './hostIdentity.js';
import { serveStaticFile } from './staticFiles.js';

/** Path of the WebSocket endpoint. */
export const API_PATH = '/api';
export { TOKEN_PARAM };

/** Where and how to serve. */
export interface WebHostOptions {
  /** The built renderer (index.html and assets/), e.g. dist/renderer. */
  readonly staticDir: string;
  /** Folder holding samples/ and runs/ (what replays.list shows). */
  readonly projectRoot: string;
  /** App version reported by app.info. */
  readonly version: string;
  /** Loopback address to bind: 127.0.0.1 (default), another 127.x.y.z, ::1 or "localhost". */
  readonly host?: string;
  /** TCP port; 0 (default) picks a free one. */
  readonly port?: number;
  /** Session token; default 32 random bytes as hex. Tests pass their own. */
  readonly token?: string;
  /** API handlers; default createApiHandlers for projectRoot. */
  readonly handlers?: ApiHandlers;
}

/** A running host. */
export interface WebHost {
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  /** The page with the token: http://127.0.0.1:PORT/?token=… */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/** A host that refuses to start (non-loopback address, bad port). */
export class WebHostError extends Error {
  override readonly name = 'WebHostError';
}

/** Whether `host` is a loopback address (or the name localhost). */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '::1' || host === '[::1]') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

export { contentSecurityPolicy } from './contentSecurityPolicy.js';

/** Starts the host; resolves once it listens. */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const bindHost = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(bindHost)) {
    throw new WebHostError(
      `web host: refusing to listen on ${bindHost}: expected a loopback address (127.0.0.1, ::1 or localhost); the API reads local files, so it is never exposed to the network`,
    );
  }
  const requestedPort = options.port ?? 0;
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new WebHostError(`web host: port: expected an integer in [0, 65535], received ${requestedPort}`);
  }
  const token = options.token ?? randomBytes(32).toString('hex');
  const handlers = options.handlers ?? createApiHandlers({ ...options, host: 'web' });
  const identity = new HostIdentity(bindHost, token);
  const site = { staticDir: options.staticDir, identity, apiPath: API_PATH };
  const server: Server = createServer((req, res) => {
    serveStaticFile(site, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`web host: ${String(error)}\n`);
    });
  });
  const sockets = new ApiSockets(identity, API_PATH, handlers);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    sockets.upgrade(req, socket, head),
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(
      requestedPort,
      bindHost === 'localhost' ? '127.0.0.1' : bindHost.replace(/^\[|\]$/g, ''),
      () => {
        server.off('error', reject);
        resolve();
      },
    );
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : requestedPort;
  identity.port = port;
  const urlHost = bindHost.includes(':') && !bindHost.startsWith('[') ? `[${bindHost}]` : bindHost;
  const origin = `http://${urlHost}:${port}`;
  return {
    origin,
    url: `${origin}/?${TOKEN_PARAM}=${token}`,
    port,
    token,
    close: async () => {
      await sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
