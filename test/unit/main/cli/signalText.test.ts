/** The line `steer` prints on Ctrl-C (src/main/cli/signalText.ts): `steer web` stops a server. */
import { describe, expect, it } from 'vitest';
import { signalText } from '../../../../src/main/cli/signalText.js';

describe('signalText', () => {
  it('says steer web is stopping its server, not "finishing the current step and saving"', () => {
    const web = signalText('SIGINT', 'web');
    expect(web).toBe(
      '\nsteer: SIGINT received: stopping the server (running training jobs save a checkpoint first, within 10 s) (again to quit now)\n',
    );
    expect(web).not.toContain('finishing the current step');
  });

  it('keeps the saving message for the commands that save a run', () => {
    for (const command of ['train', 'eval', undefined]) {
      expect(signalText('SIGTERM', command)).toBe(
        '\nsteer: SIGTERM received: finishing the current step and saving (again to quit now)\n',
      );
    }
  });
});
