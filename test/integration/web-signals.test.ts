/**
 * `steer web` ends promptly on signals while a job trains: one SIGTERM stops the job (a checkpoint,
 * or its thread ended after the grace period) and the process exits within that period; a second
 * signal exits at once. (It once waited ~9 minutes for a job stuck in a long update.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { STOP_GRACE_MS } from '../../src/main/jobs/jobService.js';
import { unwrapApiResult } from '../../src/shared/api/contract.js';
import { apiClient, startWebProcess, type WebProcess } from './webProcess.js';

const started: WebProcess[] = [];
afterAll(async () => {
  await Promise.all(started.map((web) => web.dispose()));
});

/** A host training a job whose updates take many seconds each on cpu, once it is training. */
async function hostWithSlowJob(label: string): Promise<WebProcess> {
  const web = await startWebProcess(label);
  started.push(web);
  const api = await apiClient(web);
  const config = { numEnvs: 128, episodeLength: 100, ppoEpochs: 15 };
  const request = { env: 'matrix:penalty0', backend: 'cpu', runId: 'slow', updates: 100, config };
  unwrapApiResult('jobs.start', await api.call('jobs.start', request));
  for (;;) {
    const jobs = unwrapApiResult('jobs.list', await api.call('jobs.list', {})).jobs;
    if (jobs[0]!.status === 'running') break;
    expect(jobs[0]!.status).toBe('starting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  api.close();
  return web;
}

describe('steer web and signals', () => {
  it('exits within the stop grace period after one SIGTERM, at once after a second', async () => {
    const [once, twice] = await Promise.all([
      hostWithSlowJob('sigterm-once'),
      hostWithSlowJob('sigterm-twice'),
    ]);
    const t0 = performance.now();
    once.child.kill('SIGTERM');
    twice.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const t1 = performance.now();
    twice.child.kill('SIGTERM');
    await twice.exit;
    expect(performance.now() - t1).toBeLessThan(2000);
    await once.exit;
    expect(performance.now() - t0).toBeLessThan(STOP_GRACE_MS + 5000);
  });
});
