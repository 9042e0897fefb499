/**
 * The preload of the window (sandboxed, context-isolated): exposes exactly one object,
 * `window.steerApi = { call(method, request) }`, the contract's SteerApi over IPC (ipcApi.ts).
 * Never `ipcRenderer` itself, never a channel the page picks: only `steer:<method>` for the
 * contract's methods (Electron security checklist item 20). A sandboxed preload may require only
 * 'electron', so bundleElectron.ts bundles the contract and zod into dist/electron/preload.cjs.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { ApiMethod, ApiRequest } from '../../shared/api/contract.js';
import { createIpcApi } from './ipcApi.js';

const api = createIpcApi((channel, request) => ipcRenderer.invoke(channel, request));

contextBridge.exposeInMainWorld('steerApi', {
  // The page's arguments are untyped at runtime: createIpcApi checks the method name.
  call: (method: string, request: unknown) => api.call(method as ApiMethod, request as ApiRequest<ApiMethod>),
});
