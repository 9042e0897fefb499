/**
 * Table 1 targets (docs/spec/steer.md §c.4, §c.7): the values are the spec's, and playing each target
 * joint-action path of §c.7 in the registered env earns exactly the target return.
 */
import { describe, expect, it } from 'vitest';
import { TABLE1_GAMES } from '../../../../../src/core/envs/matrix/targets.js';
import { makeEnv } from '../../../../../src/core/envs/registry.js';

type Joint = readonly [number, number];
const repeat = (joint: Joint, times: number): Joint[] => Array.from({ length: times }, () => joint);

/** §c.7 target joint actions per Table 1 key (Coordination has two equivalent target paths). */
const TARGET_PATHS: Readonly<Record<string, readonly (readonly Joint[])[]>> = {
  penalty0: [[[0, 2]]],
  'penalty-100': [[[0, 2]]],
  'penalty-1000': [[[0, 2]]],
  'penalty-10000': [[[0, 2]]],
  mixing: [[[0, 0]]],
  coordination: [
    [...repeat([0, 0], 9), [2, 0]],
    [...repeat([2, 2], 9), [2, 0]],
  ],
  cooperation: [[...repeat([0, 0], 9), [1, 1]]],
};

describe('Table 1 targets', () => {
  it('holds the §c.7 targets in the paper order', () => {
    expect(TABLE1_GAMES.map((g) => [g.key, g.envName, g.targetReturn])).toEqual([
      ['penalty0', 'matrix:penalty0', [10, 10]],
      ['penalty-100', 'matrix:penalty-100', [10, 10]],
      ['penalty-1000', 'matrix:penalty-1000', [10, 10]],
      ['penalty-10000', 'matrix:penalty-10000', [10, 10]],
      ['mixing', 'matrix:different_order', [0, 5]],
      ['coordination', 'nstep:coordination', [29, 24]],
      ['cooperation', 'nstep:cooperation', [13, 13]],
    ]);
  });

  it.each(TABLE1_GAMES)(
    '$key: the target path earns $targetReturn in $envName',
    ({ key, envName, targetReturn }) => {
      const paths = TARGET_PATHS[key];
      expect(paths, `target path for ${key}`).toBeDefined();
      for (const path of paths!) {
        const env = makeEnv(envName);
        env.reset();
        const returns = [0, 0];
        let done = false;
        for (const joint of path) {
          expect(done, 'episode ended before the path did').toBe(false);
          const result = env.step(joint);
          returns[0]! += result.rewards[0]!;
          returns[1]! += result.rewards[1]!;
          done = result.episodeDone;
        }
        expect(done).toBe(true);
        expect(returns).toEqual(targetReturn);
      }
    },
  );
});
