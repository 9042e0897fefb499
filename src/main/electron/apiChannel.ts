/**
 * IPC channel names of the API: `steer:<method>` (contract.ts API_CHANNEL_PREFIX). Imported by
 * both the main process (ipcRouter.ts) and the sandboxed preload (ipcApi.ts), so it imports only
 * the platform-free contract.
 */
import { API_CHANNEL_PREFIX, API_METHOD_NAMES, type ApiMethod } from '../../shared/api/contract.js';

/** `steer:<method>`: the IPC channel of a method. */
export function apiChannel(method: ApiMethod): string {
  return `${API_CHANNEL_PREFIX}${method}`;
}

/** Every channel main.ts registers, in contract order. */
export function apiChannels(): string[] {
  return API_METHOD_NAMES.map(apiChannel);
}
