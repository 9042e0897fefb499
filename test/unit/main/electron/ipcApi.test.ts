import { describe, expect, it } from 'vitest';
import { createIpcApi } from '../../../../src/main/electron/ipcApi.js';
import { ApiError, type ApiMethod } from '../../../../src/shared/api/contract.js';

const INFO = {
  name: 'STEER Studio',
  version: '1.0.0',
  host: 'electron',
  replayRoots: ['samples', 'runs'],
  replayFormatVersions: [1],
};

/** An invoke that records the channels it is asked for and answers `reply`. */
function recorder(reply: unknown) {
  const channels: string[] = [];
  const invoke = async (channel: string) => {
    channels.push(channel);
    return reply;
  };
  return { channels, api: createIpcApi(invoke) };
}

describe('preload call wrapper', () => {
  it('invokes steer:<method> and resolves to the unwrapped response', async () => {
    const { channels, api } = recorder({ ok: true, response: INFO });
    await expect(api.call('app.info', {})).resolves.toEqual(INFO);
    expect(channels).toEqual(['steer:app.info']);
  });

  it('refuses names outside the contract before sending anything', async () => {
    const { channels, api } = recorder({ ok: true, response: INFO });
    for (const name of ['fs.readFile', 'steer:app.info', '__proto__', 'toString', '']) {
      const error = await api.call(name as ApiMethod, {} as never).catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe('unknown-method');
    }
    expect(channels).toEqual([]);
  });

  it('throws the ApiError the main side sent, and internal for a malformed reply', async () => {
    const refused = recorder({
      ok: false,
      error: { code: 'refused', message: 'steer:app.info: refused: x' },
    });
    await expect(refused.api.call('app.info', {})).rejects.toMatchObject({
      code: 'refused',
      message: 'steer:app.info: refused: x',
    });
    const broken = recorder('not an envelope');
    await expect(broken.api.call('app.info', {})).rejects.toMatchObject({ code: 'internal' });
    const badResponse = recorder({ ok: true, response: { ...INFO, host: 'cloud' } });
    await expect(badResponse.api.call('app.info', {})).rejects.toMatchObject({ code: 'internal' });
  });
});
