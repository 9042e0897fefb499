/**
 * The main-process side of the API over Electron IPC, without Electron: given the channel, the
 * invoke event and the raw request, it checks who is asking and runs the call through the
 * contract's `dispatchApiCall` (the same zod schemas the files and the WebSocket host use).
 * main.ts registers `ipcMain.handle('steer:<method>', …)` for every method and
 * hands each event here; tests pass event-like objects.
 */
import {
  API_CHANNEL_PREFIX,
  ApiError,
  type ApiHandlers,
  type ApiResult,
  dispatchApiCall,
} from '../../shared/api/contract.js';
import { isAppUrl } from './appUrl.js';

/** The parts of Electron's IpcMainInvokeEvent the router reads. */
export interface IpcInvokeEventLike {
  /** The WebContents that sent the message. */
  readonly sender: unknown;
  /** The frame that sent it; null once that frame has navigated away or been destroyed. */
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

/** What the router needs. */
export interface IpcRouterOptions {
  readonly handlers: ApiHandlers;
  /** Whether `sender` is the app window's WebContents (identity, not a look-alike). */
  isAppWebContents(sender: unknown): boolean;
}

/** Answers one IPC call: always an ApiResult envelope, never a throw. */
export type IpcRoute = (channel: string, event: IpcInvokeEventLike, raw: unknown) => Promise<ApiResult>;

/**
 * Why `event` may not call the API, or null when it may: the sender must be the app window's
 * WebContents, and the sending frame must be its top frame showing a page of the app's origin
 * (app://steer). Electron security checklist item 17.
 */
export function senderRefusal(
  event: IpcInvokeEventLike,
  isAppWebContents: (sender: unknown) => boolean,
): string | null {
  if (!isAppWebContents(event.sender)) return 'the sender is not the STEER Studio window';
  const frame = event.senderFrame;
  if (frame === null) return 'the sending frame is gone (navigated away or destroyed)';
  if (frame.parent !== null) return 'the sender is a subframe, not the window itself';
  if (!isAppUrl(frame.url)) {
    return `the sending page ${JSON.stringify(frame.url.slice(0, 200))} is not on the app's origin app://steer`;
  }
  return null;
}

/** The router over `options.handlers`. */
export function createIpcRouter(options: IpcRouterOptions): IpcRoute {
  return async (channel, event, raw) => {
    if (!channel.startsWith(API_CHANNEL_PREFIX)) {
      return failure(
        new ApiError(
          'unknown-method',
          `IPC channel ${JSON.stringify(channel.slice(0, 200))} is not an API channel (${API_CHANNEL_PREFIX}<method>)`,
        ),
      );
    }
    const refusal = senderRefusal(event, options.isAppWebContents);
    if (refusal !== null) return failure(new ApiError('refused', `${channel}: refused: ${refusal}`));
    // dispatchApiCall checks the method name (unknown-method) and the request (invalid-request).
    return dispatchApiCall(options.handlers, channel.slice(API_CHANNEL_PREFIX.length), raw);
  };
}

/** An error as a result envelope. */
function failure(error: ApiError): ApiResult {
  return { ok: false, error: error.toData() };
}
