/**
 * The API contract (src/shared/api/contract.ts) over the browser host's WebSocket: each call is one
 * binary wire message (src/shared/api/wire.ts), answered by one reply with the same id. Responses
 * are checked against the contract's schemas before they reach the caller.
 */
import {
  ApiError,
  type ApiMethod,
  type ApiRequest,
  type ApiResponse,
  type SteerApi,
  unwrapApiResult,
} from '../../shared/api/contract.js';
import {
  decodeWireMessage,
  encodeWireMessage,
  MAX_CALL_BYTES,
  WireReplySchema,
} from '../../shared/api/wire.js';

/** The host could not be reached or refused the connection. */
export class ApiConnectionError extends Error {
  override readonly name = 'ApiConnectionError';
}

interface Pending {
  readonly method: ApiMethod;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** A connected API. `closed` resolves when the connection ends. */
export interface WebSocketApi extends SteerApi {
  readonly closed: Promise<void>;
  close(): void;
}

/** The WebSocket URL of the host serving this page, with the session token. */
export function apiSocketUrl(location: Location, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api?token=${encodeURIComponent(token)}`;
}

/** Connects; rejects with ApiConnectionError when the host refuses (wrong token) or is gone. */
export function connectWebSocketApi(url: string): Promise<WebSocketApi> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.binaryType = 'arraybuffer';
    const pending = new Map<number, Pending>();
    let nextId = 1;
    let opened = false;
    let markClosed: () => void = () => {};
    const closed = new Promise<void>((done) => {
      markClosed = done;
    });

    socket.addEventListener('open', () => {
      opened = true;
      resolve({
        closed,
        close: () => socket.close(),
        call<M extends ApiMethod>(method: M, request: ApiRequest<M>): Promise<ApiResponse<M>> {
          if (socket.readyState !== WebSocket.OPEN) {
            return Promise.reject(
              new ApiError('internal', `${method}: the connection to the host is closed`),
            );
          }
          const id = nextId++;
          const message = encodeWireMessage({ id, method, request });
          if (message.length > MAX_CALL_BYTES) {
            // The host would close the connection (1009) rather than read it: say so here instead.
            return Promise.reject(
              new ApiError(
                'invalid-request',
                `${method}: the request is ${message.length} bytes; the host reads at most ${MAX_CALL_BYTES}`,
              ),
            );
          }
          return new Promise<ApiResponse<M>>((res, rej) => {
            pending.set(id, { method, resolve: res as (value: unknown) => void, reject: rej });
            socket.send(message);
          });
        },
      });
    });

    socket.addEventListener('message', (event: MessageEvent) => {
      if (!(event.data instanceof ArrayBuffer)) return;
      let reply: ReturnType<typeof WireReplySchema.parse>;
      try {
        reply = WireReplySchema.parse(decodeWireMessage(new Uint8Array(event.data)));
      } catch {
        return; // not a reply of this protocol: nothing waits for it
      }
      const call = reply.id === null ? undefined : pending.get(reply.id);
      if (call === undefined) return;
      pending.delete(reply.id!);
      try {
        call.resolve(unwrapApiResult(call.method, reply.result));
      } catch (error) {
        call.reject(error);
      }
    });

    socket.addEventListener('close', (event: CloseEvent) => {
      for (const call of pending.values()) {
        call.reject(new ApiError('internal', `${call.method}: the host closed the connection`));
      }
      pending.clear();
      markClosed();
      if (!opened) {
        reject(
          new ApiConnectionError(
            `the host refused the connection (code ${event.code}): the session token in the page URL is wrong or missing, or the host has stopped. Open the URL the host printed (…/?token=…).`,
          ),
        );
      }
    });
  });
}
