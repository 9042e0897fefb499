/**
 * The split of env copies over bridge servers (bridgeVectorEnv.ts `splitCopies`): as even as
 * possible, the first servers taking the remainder. The vector itself is tested against the real
 * Python server in test/integration/bridge/.
 */
import { describe, expect, it } from 'vitest';
import { splitCopies } from '../../../../src/main/bridge/bridgeVectorEnv.js';

describe('splitCopies', () => {
  it('splits copies as evenly as possible', () => {
    expect(splitCopies(8, 2)).toEqual([4, 4]);
    expect(splitCopies(7, 3)).toEqual([3, 2, 2]);
    expect(splitCopies(1, 1)).toEqual([1]);
    expect(splitCopies(5, 5)).toEqual([1, 1, 1, 1, 1]);
  });
});
