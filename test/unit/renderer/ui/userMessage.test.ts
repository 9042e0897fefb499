/**
 * Errors as the window shows them (src/renderer/ui/userMessage.ts): the host's API wording (method
 * prefixes, request paths, zod's "Too small") becomes the forms' words; other text is kept.
 */
import { describe, expect, it } from 'vitest';
import { userMessage } from '../../../../src/renderer/ui/userMessage.js';
import { ApiError, parseRequest } from '../../../../src/shared/api/contract.js';

/** The error the contract raises for `request` (what the window receives). */
function refusal(method: Parameters<typeof parseRequest>[0], request: unknown): ApiError {
  try {
    parseRequest(method, request);
  } catch (error) {
    return error as ApiError;
  }
  throw new Error(`expected ${method} to refuse ${JSON.stringify(request)}`);
}

describe('userMessage', () => {
  it('says a refused field in the form’s words, without the method or the request path', () => {
    const error = refusal('jobs.start', { env: 'matrix:penalty0', seed: -1 });
    expect(error.message).toMatch(/^jobs\.start: request\.seed: Too small/);
    expect(userMessage(error)).toBe('Seed: must be at least 0');
    expect(userMessage(refusal('jobs.start', { env: 'matrix:penalty0', updates: 2.5 }))).toBe(
      'Updates: must be a whole number',
    );
  });

  it('drops method names in parentheses and at the start, keeping what the host says', () => {
    expect(
      userMessage(
        new ApiError(
          'refused',
          'jobs.start: runs/dash-1 already exists; resume it (jobs.resume) or choose another run id',
        ),
      ),
    ).toBe('runs/dash-1 already exists; resume it or choose another run id');
    expect(
      userMessage(
        new Error(
          'sim.run: models/horm-easy was trained with 2 CAVs; this scenario has 3. Give the scenario 2 CAVs, or pick a baseline',
        ),
      ),
    ).toBe(
      'models/horm-easy was trained with 2 CAVs; this scenario has 3. Give the scenario 2 CAVs, or pick a baseline',
    );
    expect(userMessage('the host closed the connection')).toBe('the host closed the connection');
    // A file name is not a method: kept.
    const file = 'mine.json: traffic.vehicles[0].speedMps: expected number in [0, 40] m/s, received "fast"';
    expect(userMessage(new Error(file))).toBe(file);
  });
});
