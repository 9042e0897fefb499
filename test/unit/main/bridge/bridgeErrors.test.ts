/**
 * BridgeError (bridgeErrors.ts): the message names the env, the server and its pid, the kind and
 * the remote code, shows the end of a Python traceback, and ends with the stderr tail.
 */
import { describe, expect, it } from 'vitest';
import { BridgeError } from '../../../../src/main/bridge/bridgeErrors.js';

describe('BridgeError', () => {
  it('names the env, server, pid and code and ends with the stderr tail', () => {
    const error = new BridgeError('pettingzoo:mpe:simple_spread_v3', {
      kind: 'remote',
      code: 'ENV_ERROR',
      message: 'step: boom',
      server: 1,
      pid: 4242,
      stderrTail: 'line 1\nTraceback…\n',
    });
    expect(error.message).toBe(
      'pettingzoo:mpe:simple_spread_v3: python server 1 (pid 4242): remote: [ENV_ERROR] step: boom\n' +
        '--- stderr of server 1 (last lines) ---\nline 1\nTraceback…',
    );
    expect(error).toMatchObject({ kind: 'remote', code: 'ENV_ERROR', server: 1, pid: 4242 });
  });

  it("shows the last lines of a remote error's Python traceback", () => {
    const traceback = `Traceback (most recent call last):\n${'  frame\n'.repeat(30)}RuntimeError: boom\n`;
    const error = new BridgeError('fake', {
      kind: 'remote',
      code: 'ENV_ERROR',
      message: 'step: boom',
      detail: { traceback },
      server: 0,
    });
    expect(error.message).toMatch(/\[ENV_ERROR\] step: boom\n--- Python traceback ---\n…\n {2}frame\n/);
    expect(error.message.endsWith('RuntimeError: boom')).toBe(true);
    expect(error.message.split('\n')).toHaveLength(1 + 1 + 1 + 20);
  });

  it('reads well without a server or stderr', () => {
    const error = new BridgeError('fake', { kind: 'crash', message: 'the I/O worker exited' });
    expect(error.message).toBe('fake: python bridge: crash: the I/O worker exited');
    expect(error.stderrTail).toBe('');
  });
});
