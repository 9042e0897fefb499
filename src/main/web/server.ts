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
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { ApiError, type ApiHandlers, dispatchApiCall } from '../../shared/api/contract.js';
import {
  decodeWireMessage,
  encodeWireMessage,
  MAX_CALL_BYTES,
  MAX_WIRE_MESSAGE_BYTES,
  WireCallSchema,
} from '../../shared/api/wire.js';
import { createApiHandlers } from '../api/handlers.js';
import { contentSecurityPolicy } from './contentSecurityPolicy.js';
import { rendererContentType } from './contentType.js';

/** Path of the WebSocket endpoint. */
export const API_PATH = '/api';
/** Query parameter that carries the session token (page URL and WebSocket URL). */
export const TOKEN_PARAM = 'token';

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

/** Constant-time token comparison. */
function tokenMatches(expected: Buffer, given: string | null): boolean {
  if (given === null) return false;
  const bytes = Buffer.from(given, 'utf8');
  return bytes.length === expected.length && timingSafeEqual(bytes, expected);
}

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
  const tokenBytes = Buffer.from(token, 'utf8');
  const handlers = options.handlers ?? createApiHandlers({ ...options, host: 'web' });
  const staticRoot = normalize(options.staticDir + sep);

  let port = 0;
  /** Host header values that name this server. */
  const allowedHosts = () => [
    `127.0.0.1:${port}`,
    `localhost:${port}`,
    `[::1]:${port}`,
    `${bindHost}:${port}`,
  ];
  const allowedOrigins = () => allowedHosts().map((h) => `http://${h}`);
  const hostAllowed = (req: IncomingMessage) => allowedHosts().includes(req.headers.host ?? '');

  const server: Server = createServer((req, res) => {
    serveStatic(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`web host: ${String(error)}\n`);
    });
  });

  async function serveStatic(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(`${body}\n`);
    };
    if (!hostAllowed(req)) return text(403, `web host: Host "${req.headers.host ?? ''}" is not this server`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'web host: only GET and HEAD');
    const url = new URL(req.url ?? '/', 'http://host');
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return text(400, 'web host: malformed path');
    }
    if (pathname === '/') pathname = '/index.html';
    const file = normalize(join(staticRoot, pathname));
    if (!file.startsWith(staticRoot) || pathname.includes('\0')) return text(404, 'web host: not found');
    let size: number;
    try {
      const info = await stat(file);
      if (!info.isFile()) return text(404, 'web host: not found');
      size = info.size;
    } catch {
      if (pathname === '/index.html') {
        return text(503, `web host: the renderer is not built (no ${file}): run npm run build:renderer`);
      }
      return text(404, 'web host: not found');
    }
    const headers: Record<string, string | number> = {
      'content-type': rendererContentType(file),
      'content-length': size,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      // The page URL carries the token: never send it on as a referrer.
      'referrer-policy': 'no-referrer',
    };
    if (extname(file) === '.html') {
      // CSP sources cannot name IPv6 literals; 'self' covers the page's own origin in any case.
      headers['content-security-policy'] = contentSecurityPolicy([
        `ws://127.0.0.1:${port}${API_PATH}`,
        `ws://localhost:${port}${API_PATH}`,
      ]);
    }
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : await readFile(file));
  }

  // --- the API socket ---
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_CALL_BYTES });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node's HTTP server hands the socket over without its error listener: a client that resets
    // now must cost only its own socket.
    socket.on('error', () => socket.destroy());
    const refuse = (status: number, reason: string) => {
      socket.end(
        `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 404 ? 'Not Found' : 'Forbidden'}\r\nconnection: close\r\ncontent-type: text/plain; charset=utf-8\r\n\r\n${reason}\n`,
      );
    };
    const url = new URL(req.url ?? '/', 'http://host');
    if (url.pathname !== API_PATH) return refuse(404, `web host: no WebSocket at ${url.pathname}`);
    if (!hostAllowed(req)) return refuse(403, 'web host: Host header is not this server');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().includes(origin)) {
      return refuse(403, `web host: Origin ${origin} is not this server`);
    }
    if (!tokenMatches(tokenBytes, url.searchParams.get(TOKEN_PARAM))) {
      return refuse(401, 'web host: wrong or missing session token');
    }
    sockets.handleUpgrade(req, socket, head, (ws) => {
      serveApi(ws, handlers);
    });
  });

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
  port = typeof address === 'object' && address !== null ? address.port : requestedPort;
  const urlHost = bindHost.includes(':') && !bindHost.startsWith('[') ? `[${bindHost}]` : bindHost;
  const origin = `http://${urlHost}:${port}`;
  return {
    origin,
    url: `${origin}/?${TOKEN_PARAM}=${token}`,
    port,
    token,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Answers the calls of one connection: each message `{id, method, request}` → `{id, result}`.
 * A frame that breaks the WebSocket protocol (a bad opcode, RSV bits, an unmasked frame, invalid
 * UTF-8, a bad close code, a message over MAX_CALL_BYTES) costs only this connection: `ws` closes
 * it with the matching code (1002, 1007, 1009) and reports an 'error' event, which must be
 * listened to — unheard, it would end the process and every training job in it.
 */
function serveApi(ws: WebSocket, handlers: ApiHandlers): void {
  ws.on('error', () => {
    // ws has already sent the close frame with the protocol error's code; nothing else to do.
  });
  ws.on('message', (data, isBinary) => {
    void answerCall(ws, handlers, data, isBinary).catch(() => {
      // Encoding or sending the reply failed (the socket went away meanwhile): this call is lost,
      // the host goes on.
      ws.terminate();
    });
  });
}

/** Decodes one call, runs it and sends the reply. */
async function answerCall(
  ws: WebSocket,
  handlers: ApiHandlers,
  data: WebSocket.RawData,
  isBinary: boolean,
): Promise<void> {
  let id: number | null = null;
  let result: Awaited<ReturnType<typeof dispatchApiCall>>;
  try {
    if (!isBinary)
      throw new ApiError('invalid-request', 'expected a binary wire message (src/shared/api/wire.ts)');
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    const call = WireCallSchema.safeParse(decodeWireMessage(bytes));
    if (!call.success) {
      throw new ApiError('invalid-request', 'expected a call {id, method, request}');
    }
    id = call.data.id;
    result = await dispatchApiCall(handlers, call.data.method, call.data.request);
  } catch (error) {
    const apiError =
      error instanceof ApiError ? error : new ApiError('invalid-request', (error as Error).message);
    result = { ok: false, error: apiError.toData() };
  }
  const reply = encodeWireMessage({ id, result });
  if (ws.readyState !== ws.OPEN) return; // the client left before its answer
  if (reply.length > MAX_WIRE_MESSAGE_BYTES) {
    const error = new ApiError('unreadable', 'the reply exceeds the wire message limit');
    ws.send(encodeWireMessage({ id, result: { ok: false, error: error.toData() } }));
    return;
  }
  ws.send(reply);
}
