/**
 * The window's view of the API over Electron IPC: the pure part of preload.ts, tested in Node.
 * `call(method, request)` refuses any name outside the contract before anything is sent (the
 * page's scripts choose the name), invokes `steer:<method>` and unwraps the reply with the
 * contract's schemas, like the WebSocket client (src/renderer/api/webSocketApi.ts).
 */
import {
  type ApiMethod,
  type ApiRequest,
  type ApiResponse,
  apiMethod,
  type SteerApi,
  unwrapApiResult,
} from '../../shared/api/contract.js';
import { apiChannel } from './apiChannel.js';

/** Sends one message on a channel and resolves to the reply: `ipcRenderer.invoke` in the preload. */
export type IpcInvoke = (channel: string, request: unknown) => Promise<unknown>;

/**
 * The API over `invoke`. A bad method name rejects with an `unknown-method` ApiError; a failed call
 * rejects with the ApiError the main side sent. (Across contextBridge only an Error's message
 * survives, so the page sees an Error with the same one-line message.)
 */
export function createIpcApi(invoke: IpcInvoke): SteerApi {
  return {
    async call<M extends ApiMethod>(method: M, request: ApiRequest<M>): Promise<ApiResponse<M>> {
      const checked = apiMethod(method) as M; // throws unknown-method for any other name
      return unwrapApiResult(checked, await invoke(apiChannel(checked), request));
    },
  };
}
