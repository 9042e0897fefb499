/**
 * The browser host's API over WebSocket: the upgrade (only at the API path, only for this host's
 * Host and Origin, only with the session token; anything else gets an HTTP refusal before a
 * WebSocket exists) and then one answer per call (`{id, method, request}` → `{id, result}`, in the
 * wire format of src/shared/api/wire.ts).
 *
 * A frame that breaks the WebSocket protocol (a bad opcode, RSV bits, an unmasked frame, invalid
 * UTF-8, a bad close code, a message over MAX_CALL_BYTES) costs only its connection: `ws` closes it
 * with the matching code (1002, 1007, 1009) and reports an 'error' event, which must be listened to
 * — unheard, it would end the process and every training job in it.
 */
import type { IncomingMessage } from 'node:http';
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
import type { HostIdentity } from './hostIdentity.js';

/** Query parameter that carries the session token (page URL and WebSocket URL). */
export const TOKEN_PARAM = 'token';

/** The API sockets of one host. */
export class ApiSockets {
  private readonly sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_CALL_BYTES });

  constructor(
    private readonly identity: HostIdentity,
    private readonly apiPath: string,
    private readonly handlers: ApiHandlers,
  ) {}

  /** Upgrades a request to an API socket, or refuses it with an HTTP status and one line. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Node's HTTP server hands the socket over without its error listener: a client that resets
    // now must cost only its own socket.
    socket.on('error', () => socket.destroy());
    const refusal = this.refusal(req);
    if (refusal !== null) {
      const [status, reason] = refusal;
      const title = status === 401 ? 'Unauthorized' : status === 404 ? 'Not Found' : 'Forbidden';
      socket.end(
        `HTTP/1.1 ${status} ${title}\r\nconnection: close\r\ncontent-type: text/plain; charset=utf-8\r\n\r\n${reason}\n`,
      );
      return;
    }
    this.sockets.handleUpgrade(req, socket, head, (ws) => this.serve(ws));
  }

  /** Closes every API socket. */
  async close(): Promise<void> {
    for (const client of this.sockets.clients) client.terminate();
    await new Promise<void>((resolve) => this.sockets.close(() => resolve()));
  }

  /** Why an upgrade is refused ([HTTP status, reason]), or null. */
  private refusal(req: IncomingMessage): [number, string] | null {
    const url = new URL(req.url ?? '/', 'http://host');
    if (url.pathname !== this.apiPath) return [404, `web host: no WebSocket at ${url.pathname}`];
    if (!this.identity.hostAllowed(req)) return [403, 'web host: Host header is not this server'];
    const origin = req.headers.origin;
    if (origin !== undefined && !this.identity.originAllowed(origin)) {
      return [403, `web host: Origin ${origin} is not this server`];
    }
    if (!this.identity.tokenMatches(url.searchParams.get(TOKEN_PARAM))) {
      return [401, 'web host: wrong or missing session token'];
    }
    return null;
  }

  /** Answers the calls of one connection. */
  private serve(ws: WebSocket): void {
    ws.on('error', () => {
      // ws has already sent the close frame with the protocol error's code; nothing else to do.
    });
    ws.on('message', (data, isBinary) => {
      void answerCall(ws, this.handlers, data, isBinary).catch(() => {
        // Encoding or sending the reply failed (the socket went away meanwhile): this call is
        // lost, the host goes on.
        ws.terminate();
      });
    });
  }
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
