import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createApiHandlers } from '../../../../src/main/api/handlers.js';
import { apiChannel, apiChannels } from '../../../../src/main/electron/apiChannel.js';
import { createIpcRouter, type IpcInvokeEventLike } from '../../../../src/main/electron/ipcRouter.js';
import { API_METHOD_NAMES, type ApiResult } from '../../../../src/shared/api/contract.js';

const PROJECT_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** Stands for the app window's WebContents (compared by identity). */
const appContents = { id: 1 };
const route = createIpcRouter({
  handlers: createApiHandlers({ projectRoot: PROJECT_ROOT, host: 'electron', version: '9.9.9' }),
  isAppWebContents: (sender) => sender === appContents,
});
/** An invoke from the window's top frame showing the app. */
const fromApp: IpcInvokeEventLike = {
  sender: appContents,
  senderFrame: { url: 'app://steer/index.html?replay=x', parent: null },
};

function expectError(result: ApiResult, code: string): { message: string; issues?: unknown } {
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error('unreachable');
  expect(result.error.code).toBe(code);
  return result.error;
}

describe('IPC router', () => {
  it('registers one steer:<method> channel per contract method', () => {
    expect(apiChannels()).toEqual(API_METHOD_NAMES.map((m) => `steer:${m}`));
  });

  it('answers a good request from the app window', async () => {
    const result = await route(apiChannel('app.info'), fromApp, {});
    expect(result).toMatchObject({
      ok: true,
      response: { name: 'STEER Studio', host: 'electron', version: '9.9.9' },
    });
  });

  it('refuses a channel outside the steer: prefix and an unknown method, naming them', async () => {
    expect(expectError(await route('other:app.info', fromApp, {}), 'unknown-method').message).toContain(
      'other:app.info',
    );
    const unknown = expectError(await route('steer:fs.readFile', fromApp, {}), 'unknown-method');
    expect(unknown.message).toContain('"fs.readFile"');
    expect(unknown.message).toContain('app.info');
  });

  it('refuses senders other than the app window showing an app:// page', async () => {
    const channel = apiChannel('app.info');
    const cases: [IpcInvokeEventLike, string][] = [
      [{ ...fromApp, sender: { id: 2 } }, 'not the STEER Studio window'],
      [{ ...fromApp, senderFrame: null }, 'frame is gone'],
      [{ ...fromApp, senderFrame: { url: 'app://steer/index.html', parent: {} } }, 'subframe'],
      [{ ...fromApp, senderFrame: { url: 'https://evil.example/', parent: null } }, 'not on the app'],
      [{ ...fromApp, senderFrame: { url: 'app://steer.evil/index.html', parent: null } }, 'not on the app'],
      [{ ...fromApp, senderFrame: { url: 'file:///tmp/x.html', parent: null } }, 'not on the app'],
    ];
    for (const [event, reason] of cases) {
      const error = expectError(await route(channel, event, {}), 'refused');
      expect(error.message).toContain(reason);
    }
  });

  it('returns invalid-request with one issue per problem for a bad request', async () => {
    const error = expectError(
      await route(apiChannel('replays.list'), fromApp, { root: 'home', extra: 1 }),
      'invalid-request',
    );
    expect(error.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'request.root' })]));
    const open = expectError(
      await route(apiChannel('replays.open'), fromApp, { path: '../../etc/passwd' }),
      'invalid-request',
    );
    expect(open.issues).toEqual([expect.objectContaining({ path: 'request.path' })]);
  });
});
