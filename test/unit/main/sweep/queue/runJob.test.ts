/**
 * A sweep run as a job: its id is stable and names the sweep (run ids are unique within a sweep
 * only), holds no ':' (BullMQ refuses it), and its payload round-trips through the schema.
 */
import { describe, expect, it } from 'vitest';
import { expandSweep, parseSweep } from '../../../../../src/main/sweep/index.js';
import { RunJobSchema, runJobId } from '../../../../../src/main/sweep/queue/index.js';

function runsOf(text: string) {
  const parsed = parseSweep(text, 'yaml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return expandSweep(parsed.sweep);
}

describe('run jobs', () => {
  it('have the sweep and run id as job id, the same for the same file, and a payload the schema keeps', () => {
    const text =
      'name: s.1\nalgos: [steer]\nenvs: [matrix:penalty-100]\nseeds: 1\nupdates: 3\noverrides: {ppoEpochs: 2}\n';
    const [run] = runsOf(text);
    expect(runJobId(run!)).toMatch(/^s\.1\/steer\/matrix-penalty-100\/set-[0-9a-f]{8}\/seed-1$/);
    expect(runJobId(runsOf(text)[0]!)).toBe(runJobId(run!));
    expect(runJobId(run!)).not.toContain(':');
    const job = { run: run!, codeVersion: '0.1.0+abc' };
    expect(RunJobSchema.parse(JSON.parse(JSON.stringify(job)))).toEqual(job);
    expect(RunJobSchema.safeParse({ run: run!, codeVersion: '' }).success).toBe(false);
  });
});
