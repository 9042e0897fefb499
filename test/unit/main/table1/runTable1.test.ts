import { describe, expect, it } from 'vitest';
import { threadsPerJob } from '../../../../src/main/table1/runTable1.js';

describe('threadsPerJob', () => {
  it('splits the cores evenly among the jobs running at once, at least one thread each', () => {
    expect(threadsPerJob(1, 2)).toBe(2);
    expect(threadsPerJob(2, 2)).toBe(1);
    expect(threadsPerJob(3, 2)).toBe(1);
    expect(threadsPerJob(2, 8)).toBe(4);
    expect(threadsPerJob(3, 8)).toBe(2);
  });
});
