/**
 * `jobs.resume` follows `steer train --resume`: without a backend it continues on the run's own
 * (the one argv.json recorded last), not on "auto"; a damaged checkpoint ends the job "failed" with
 * the file and field named, and the run folder untouched (argv.json not appended). `runs.evaluate`
 * of that run is refused as `unreadable`. Runs are made in process by `steer train` (cpu, tiny).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestSha256 } from '../../../../src/main/io/checkpoint.js';
import { JobService } from '../../../../src/main/jobs/index.js';
import { ServiceError } from '../../../../src/main/services/serviceError.js';
import { steer } from '../cli/runCliInProcess.js';

const TINY = ['--backend', 'cpu', '--quiet', '--update-threads', '1'];
const TINY_CONFIG = ['--set', 'numEnvs=2', '--set', 'episodeLength=5', '--set', 'ppoEpochs=1'];

let root: string;
let service: JobService;
let savedBackendVariable: string | undefined;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'steer-job-resume-'));
  service = new JobService({ projectRoot: root });
  // auto would pick wasm here, never cpu: a job that ends on cpu took the run's backend
  savedBackendVariable = process.env.STEER_BACKEND;
  delete process.env.STEER_BACKEND;
});

afterAll(async () => {
  if (savedBackendVariable !== undefined) process.env.STEER_BACKEND = savedBackendVariable;
  await service?.close();
  await rm(root, { recursive: true, force: true });
});

/** A cpu run of `updates` updates in runs/<id>, stopped after update 1 as SIGINT stops it. */
async function stoppedRun(id: string, updates: number): Promise<string> {
  const controller = new AbortController();
  const args = ['train', '--env', 'matrix:penalty0', '--out', `runs/${id}`, '--updates', String(updates)];
  const stopped = await steer([...args, ...TINY, ...TINY_CONFIG], root, {
    signal: controller.signal,
    onTrainingUpdate: () => controller.abort(),
  });
  expect(stopped.code, stopped.stderr).toBe(130);
  return join(root, 'runs', id);
}

/** Every file under `dir` with the SHA-256 of its bytes. */
async function fingerprint(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[relative(dir, path)] = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
  }
  return out;
}

describe('jobs.resume', () => {
  it("continues on the run's own backend when none is asked for", async () => {
    const dir = await stoppedRun('cpu-run', 3);
    await service.resume('cpu-run');
    const done = (await service.whenEnded('cpu-run'))!;
    expect(done).toMatchObject({ status: 'completed', update: 3, backend: 'cpu', error: null });
    const argv = JSON.parse(await readFile(join(dir, 'argv.json'), 'utf8'));
    expect(argv.resumes).toEqual([
      expect.objectContaining({ argv: ['train', '--resume', 'runs/cpu-run'], backend: 'cpu' }),
    ]);
  });

  it('refuses to resume a damaged checkpoint, naming the file and field, and changes nothing', async () => {
    const dir = await stoppedRun('damaged', 3);
    const tensors = join(dir, 'checkpoints', 'latest', 'tensors.bin');
    const bytes = await readFile(tensors);
    bytes.writeFloatLE(0.5, 4);
    await writeFile(tensors, bytes);
    const before = await fingerprint(dir);

    const refused = await service.resume('damaged').then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ServiceError);
    expect((refused as ServiceError).code).toBe('unreadable');
    expect((refused as ServiceError).message).toMatch(
      /^jobs\.resume: runs\/damaged\/checkpoints\/latest\/tensors\.bin: sha256: expected [0-9a-f]{16}… \(tensorsFile\.sha256 in checkpoint\.json\), found [0-9a-f]{16}…$/,
    );
    expect(service.get('damaged')?.status).not.toBe('starting'); // no job was started
    expect(await fingerprint(dir)).toEqual(before);

    const evaluation = await service.evaluate('damaged', { episodes: 1, record: false, backend: 'cpu' }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(evaluation).toBeInstanceOf(ServiceError);
    expect((evaluation as ServiceError).code).toBe('unreadable');
    expect((evaluation as ServiceError).message).toMatch(/tensors\.bin: sha256: expected /);
    expect(await fingerprint(dir)).toEqual(before);
  });

  it('names a counter no run of this config reaches instead of taking the run for finished', async () => {
    const dir = await stoppedRun('tampered', 3);
    const file = join(dir, 'checkpoints', 'latest', 'checkpoint.json');
    const manifest = JSON.parse(await readFile(file, 'utf8')) as {
      meta: { update: number };
      manifestSha256: string;
    };
    manifest.meta.update = 9999;
    manifest.manifestSha256 = manifestSha256(manifest); // re-sealed: only the counter check can catch it
    await writeFile(file, JSON.stringify(manifest));
    const before = await fingerprint(dir);
    const refused = await service.resume('tampered').then(
      () => null,
      (error: unknown) => error,
    );
    expect((refused as ServiceError).code).toBe('unreadable');
    expect((refused as ServiceError).message).toMatch(
      /^jobs\.resume: runs\/tampered\/checkpoints\/latest\/checkpoint\.json: .*update/,
    );
    expect((refused as ServiceError).message).not.toMatch(/already complete/);
    expect(await fingerprint(dir)).toEqual(before);
  });
});
