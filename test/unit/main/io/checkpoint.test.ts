import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Checkpoint,
  CheckpointError,
  type CheckpointFileOps,
  loadCheckpoint,
  manifestSha256,
  saveCheckpoint,
} from '../../../../src/main/io/checkpoint.js';

let root: string;
let dir: string;
let manifestFile: string;
let tensorsFile: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'steer-ckpt-'));
  dir = join(root, 'runs', 'x', 'checkpoints', 'latest');
  manifestFile = join(dir, 'checkpoint.json');
  tensorsFile = join(dir, 'tensors.bin');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const fixedClock = () => new Date('2026-11-25T12:00:00.000Z');

/** A small checkpoint whose values depend on `label`, so old and new are told apart. */
function sample(label: string, scale = 1): Checkpoint {
  return {
    meta: {
      label,
      config: { lr: 3e-4, layers: [64, 64], name: 'horm-easy' },
      counters: { step: 40960, update: 10 },
      rng: [1, 2, 3, 4294967295],
      valueNormaliser: { mean: -0.5, var: 2.25, count: 1024 },
      note: null,
    },
    tensors: [
      {
        name: 'policy.w',
        shape: [2, 3],
        data: Float32Array.from([1, -2, 3.5, 4, 5e-8, -6], (v) => v * scale),
      },
      { name: 'policy.b', shape: [4], data: Float32Array.from([0.1, 0.2, 0.3, 0.4], (v) => v * scale) },
      { name: 'adam.step', shape: [], data: Float32Array.of(7 * scale) },
      { name: 'empty', shape: [0, 5], data: new Float32Array(0) },
    ],
  };
}

async function leftovers(): Promise<string[]> {
  return (await readdir(join(root, 'runs', 'x', 'checkpoints'))).filter((name) => name !== 'latest');
}

/** checkpoint.json as plain JSON, loosely typed so tests can corrupt any field. */
interface ManifestJson {
  [key: string]: unknown;
  tensors: Record<string, unknown>[];
}

/**
 * Edits checkpoint.json. By default the manifest is sealed again (its manifestSha256 recomputed),
 * as a buggy writer would leave it, so the checks behind the checksum are the ones tested;
 * `{ seal: false }` leaves the old checksum, as a corruption or a hand edit does.
 */
async function editManifest(
  edit: (manifest: ManifestJson) => void,
  { seal = true }: { seal?: boolean } = {},
): Promise<void> {
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
  edit(manifest);
  if (seal && typeof manifest.manifestSha256 === 'string') manifest.manifestSha256 = manifestSha256(manifest);
  await writeFile(manifestFile, JSON.stringify(manifest));
}

/** Rewrites tensors.bin and records its new checksum in the (re-sealed) manifest. */
async function rewriteTensorsSealed(bytes: Uint8Array): Promise<void> {
  await writeFile(tensorsFile, bytes);
  await editManifest((m) => {
    m.tensorsFile = { bytes: bytes.length, sha256: sha256(bytes) };
  });
}

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The CheckpointError a promise rejects with (fails the test if it resolves or throws another kind). */
async function checkpointError(promise: Promise<unknown>): Promise<CheckpointError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CheckpointError);
  return error as CheckpointError;
}

describe('saveCheckpoint / loadCheckpoint', () => {
  it('round-trips meta and tensors exactly', async () => {
    const saved = sample('a');
    await saveCheckpoint(dir, saved, { now: fixedClock });
    const loaded = await loadCheckpoint(dir);
    expect(loaded.formatVersion).toBe(2);
    expect(loaded.createdAt).toBe('2026-11-25T12:00:00.000Z');
    expect(loaded.meta).toEqual(saved.meta);
    expect(loaded.tensors).toEqual(saved.tensors);
    expect(loaded.tensors[0]!.data).toBeInstanceOf(Float32Array);
    expect((await readdir(dir)).sort()).toEqual(['checkpoint.json', 'tensors.bin']);
    expect(await leftovers()).toEqual([]);
  });

  it('stores tensors packed in order as little-endian float32, described by the manifest', async () => {
    await saveCheckpoint(dir, sample('a'), { now: fixedClock });
    const bytes = await readFile(tensorsFile);
    expect(bytes.length).toBe((6 + 4 + 1) * 4);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(view.getFloat32(0, true)).toBe(1);
    expect(view.getFloat32(6 * 4, true)).toBeCloseTo(0.1, 7);
    expect(view.getFloat32(10 * 4, true)).toBe(7);
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
    expect(manifest.kind).toBe('steer-checkpoint');
    expect(manifest.tensors).toEqual([
      { name: 'policy.w', shape: [2, 3], dtype: 'float32', offset: 0, length: 6 },
      { name: 'policy.b', shape: [4], dtype: 'float32', offset: 6, length: 4 },
      { name: 'adam.step', shape: [], dtype: 'float32', offset: 10, length: 1 },
      { name: 'empty', shape: [0, 5], dtype: 'float32', offset: 11, length: 0 },
    ]);
  });

  it('replaces an older checkpoint and leaves nothing beside it', async () => {
    await saveCheckpoint(dir, sample('old'));
    await saveCheckpoint(dir, sample('new', 2));
    const loaded = await loadCheckpoint(dir);
    expect(loaded.meta.label).toBe('new');
    expect(loaded.tensors).toEqual(sample('new', 2).tensors);
    expect(await leftovers()).toEqual([]);
  });
});

describe('integrity (format 2): what was saved is what is loaded', () => {
  it("the manifest records tensors.bin's size and SHA-256, and its own checksum", async () => {
    await saveCheckpoint(dir, sample('a'), { now: fixedClock });
    const bytes = await readFile(tensorsFile);
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
    expect(manifest.formatVersion).toBe(2);
    expect(manifest.tensorsFile).toEqual({ bytes: 44, sha256: sha256(bytes) });
    const { manifestSha256: recorded, ...content } = manifest;
    expect(recorded).toBe(sha256(JSON.stringify(content)));
    expect(manifestSha256(manifest)).toBe(recorded);
  });

  it('refuses a tensors.bin changed after saving (4 bytes overwritten with a finite float)', async () => {
    await saveCheckpoint(dir, sample('a'));
    const recorded = JSON.parse(await readFile(manifestFile, 'utf8')).tensorsFile.sha256 as string;
    const bytes = await readFile(tensorsFile);
    new DataView(bytes.buffer, bytes.byteOffset).setFloat32(4, 0.25, true);
    await writeFile(tensorsFile, bytes);
    const error = await checkpointError(loadCheckpoint(dir));
    expect(error.file).toBe(tensorsFile);
    expect(error.message).toBe(
      `${tensorsFile}: sha256: expected ${recorded.slice(0, 16)}… (tensorsFile.sha256 in checkpoint.json), ` +
        `found ${sha256(bytes).slice(0, 16)}…`,
    );
  });

  it('refuses a tensors.bin of another size than the manifest records', async () => {
    await saveCheckpoint(dir, sample('a'));
    await writeFile(tensorsFile, Buffer.concat([await readFile(tensorsFile), Buffer.alloc(4)]));
    expect((await checkpointError(loadCheckpoint(dir))).message).toBe(
      `${tensorsFile}: size: expected 44 bytes (tensorsFile.bytes in checkpoint.json), found 48 bytes`,
    );
  });

  it('refuses a manifest changed after saving, whichever field', async () => {
    await saveCheckpoint(dir, sample('a'));
    const saved = JSON.parse(await readFile(manifestFile, 'utf8'));
    await editManifest(
      (m) => {
        (m.meta as { counters: { update: number } }).counters.update = 9999;
      },
      { seal: false },
    );
    const error = await checkpointError(loadCheckpoint(dir));
    const changed = JSON.parse(await readFile(manifestFile, 'utf8'));
    expect(error.message).toBe(
      `${manifestFile}: manifestSha256: expected ${manifestSha256(changed).slice(0, 16)}… ` +
        `(the SHA-256 of the manifest's content), found ${saved.manifestSha256.slice(0, 16)}…; ` +
        'checkpoint.json was changed after it was saved',
    );
  });

  it('refuses a manifest whose checksum is missing or not a SHA-256', async () => {
    await saveCheckpoint(dir, sample('a'));
    await editManifest(
      (m) => {
        delete m.manifestSha256;
      },
      { seal: false },
    );
    expect((await checkpointError(loadCheckpoint(dir))).message).toBe(
      `${manifestFile}: manifestSha256: expected 64 lowercase hex digits, received undefined`,
    );
  });

  it('refuses tensorsFile.bytes that disagree with the tensor table', async () => {
    await saveCheckpoint(dir, sample('a'));
    await editManifest((m) => {
      (m.tensorsFile as { bytes: number }).bytes = 48;
    });
    expect((await checkpointError(loadCheckpoint(dir))).message).toBe(
      `${manifestFile}: tensorsFile.bytes: expected 44 (11 float32 values in the tensor table), found 48`,
    );
  });

  it('refuses a checkpoint path that is a file, not a directory', async () => {
    await mkdir(join(root, 'runs', 'x', 'checkpoints'), { recursive: true });
    await writeFile(dir, 'not a checkpoint\n');
    expect((await checkpointError(loadCheckpoint(dir))).message).toBe(
      `${dir}: expected a checkpoint directory, found a file`,
    );
  });

  it('reads format 1 (no checksums), verified structurally', async () => {
    await saveCheckpoint(dir, sample('a'), { now: fixedClock });
    await writeFormat1Manifest();
    const loaded = await loadCheckpoint(dir);
    expect(loaded.formatVersion).toBe(1);
    expect(loaded.tensors).toEqual(sample('a').tensors);
    await truncate(tensorsFile, 40);
    expect((await checkpointError(loadCheckpoint(dir))).message).toBe(
      `${tensorsFile}: size: expected 44 bytes (11 float32 values listed in checkpoint.json), found 40 bytes`,
    );
  });

  it('refuses a format 2 manifest relabelled as format 1 (its checksums would be skipped)', async () => {
    await saveCheckpoint(dir, sample('a'));
    await editManifest((m) => {
      m.formatVersion = 1;
    });
    expect((await checkpointError(loadCheckpoint(dir))).message).toBe(
      `${manifestFile}: formatVersion: expected 2 (the manifest has format 2's manifestSha256 and tensorsFile), found 1`,
    );
  });
});

/** Turns the saved checkpoint.json into the format 1 this build wrote before checksums. */
async function writeFormat1Manifest(): Promise<void> {
  const {
    manifestSha256: _seal,
    tensorsFile: _tensors,
    ...rest
  } = JSON.parse(await readFile(manifestFile, 'utf8'));
  await writeFile(manifestFile, `${JSON.stringify({ ...rest, formatVersion: 1 }, null, 2)}\n`);
}

describe('atomic replace', () => {
  // A save of an existing checkpoint makes 3 directory operations: old away, new in, old deleted.
  // "Crash" after k of them: the k-th and every later operation fail, as if the process had died
  // (so the save's own clean-up cannot run either). Whatever k, the directory holds the old
  // checkpoint or the new one, complete, and the next save recovers and cleans up.
  it.each([
    [0, 'old'],
    [1, 'old'],
    [2, 'new'],
    [3, 'new'],
  ])('after a crash following %i directory operations, load gives the %s checkpoint', async (k, expected) => {
    await saveCheckpoint(dir, sample('old'));
    let done = 0;
    const crashed = () => {
      throw new Error('simulated crash');
    };
    const dyingOps: CheckpointFileOps = {
      async rename(from, to) {
        if (done++ >= k) crashed();
        const { rename } = await import('node:fs/promises');
        await rename(from, to);
      },
      async removeTree(path) {
        if (done++ >= k) crashed();
        await rm(path, { recursive: true, force: true });
      },
    };
    const save = saveCheckpoint(dir, sample('new', 2), { fileOps: dyingOps });
    if (k < 3) await expect(save).rejects.toThrow('simulated crash');
    else await save;

    const loaded = await loadCheckpoint(dir);
    expect(loaded.meta.label).toBe(expected);
    expect(loaded.tensors).toEqual(sample(expected, expected === 'new' ? 2 : 1).tensors);

    await saveCheckpoint(dir, sample('next', 3));
    expect((await loadCheckpoint(dir)).meta.label).toBe('next');
    expect(await leftovers()).toEqual([]);
  });

  it('puts the old checkpoint back when moving the new one in fails', async () => {
    await saveCheckpoint(dir, sample('old'));
    let calls = 0;
    const failingOps: CheckpointFileOps = {
      async rename(from, to) {
        calls += 1;
        if (calls === 2) throw new Error('EPERM: rename refused');
        const { rename } = await import('node:fs/promises');
        await rename(from, to);
      },
      removeTree: (path) => rm(path, { recursive: true, force: true }),
    };
    await expect(saveCheckpoint(dir, sample('new', 2), { fileOps: failingOps })).rejects.toThrow('EPERM');
    expect((await loadCheckpoint(dir)).meta.label).toBe('old');
    expect(await leftovers()).toEqual([]);
  });

  it('ignores and later removes a half-written staging directory', async () => {
    await saveCheckpoint(dir, sample('old'));
    const staging = join(root, 'runs', 'x', 'checkpoints', '.tmp-latest-new-99999-1');
    await mkdir(staging);
    await writeFile(join(staging, 'tensors.bin'), new Uint8Array(6));
    expect((await loadCheckpoint(dir)).meta.label).toBe('old');
    await saveCheckpoint(dir, sample('new', 2));
    expect((await loadCheckpoint(dir)).meta.label).toBe('new');
    expect(await leftovers()).toEqual([]);
  });
});

describe('loadCheckpoint errors name the file and the field', () => {
  it('missing directory', async () => {
    const error = await checkpointError(loadCheckpoint(dir));
    expect(error.message).toBe(`${dir}: checkpoint directory not found`);
  });

  it('missing files', async () => {
    await saveCheckpoint(dir, sample('a'));
    await rm(tensorsFile);
    expect((await checkpointError(loadCheckpoint(dir))).message).toBe(`${tensorsFile}: file not found`);
    await rm(manifestFile);
    expect((await checkpointError(loadCheckpoint(dir))).message).toBe(`${manifestFile}: file not found`);
  });

  it('invalid JSON', async () => {
    await saveCheckpoint(dir, sample('a'));
    await writeFile(manifestFile, '{"formatVersion": 2,');
    const error = await checkpointError(loadCheckpoint(dir));
    expect(error.file).toBe(manifestFile);
    expect(error.message).toMatch(new RegExp(`^${escapeRegExp(manifestFile)}: invalid JSON: `));
  });

  it('unsupported format version, saying which versions are supported', async () => {
    await saveCheckpoint(dir, sample('a'));
    await editManifest((m) => {
      m.formatVersion = 3;
      m.shards = [{ file: 'tensors-0.bin' }]; // a layout this build does not know
    });
    expect((await checkpointError(loadCheckpoint(dir))).message).toBe(
      `${manifestFile}: formatVersion: unsupported version 3; this build reads format versions 1, 2 (written by a newer STEER Studio?)`,
    );
    await editManifest((m) => {
      delete m.formatVersion;
    });
    expect((await checkpointError(loadCheckpoint(dir))).message).toBe(
      `${manifestFile}: formatVersion: expected a number (this build reads format versions 1, 2), received undefined`,
    );
  });

  it('schema violations, one line per issue', async () => {
    await saveCheckpoint(dir, sample('a'));
    await editManifest((m) => {
      m.kind = 'pytorch';
      m.meta = [1, 2];
      m.tensors[1]!.dtype = 'float64';
      m.tensors[2]!.shape = [1.5];
      m.extra = true;
    });
    const error = await checkpointError(loadCheckpoint(dir));
    expect(error.file).toBe(manifestFile);
    expect(error.issues).toEqual([
      'kind: Invalid input: expected "steer-checkpoint"',
      'meta: Invalid input: expected record, received array',
      'tensors[1].dtype: Invalid input: expected "float32"',
      'tensors[2].shape[0]: Invalid input: expected int, received number',
      'Unrecognized key: "extra"',
    ]);
    expect(error.message.split('\n')[0]).toBe(
      `${manifestFile}: kind: Invalid input: expected "steer-checkpoint"`,
    );
  });

  it('shape that does not match the length, and offsets out of order', async () => {
    await saveCheckpoint(dir, sample('a'));
    await editManifest((m) => {
      m.tensors[0]!.shape = [2, 2];
      m.tensors[1]!.offset = 5;
    });
    const error = await checkpointError(loadCheckpoint(dir));
    expect(error.message).toBe(
      [
        `${manifestFile}: tensors[0].shape: expected product 4 to equal length 6`,
        `${manifestFile}: tensors[1].offset: expected 6 (tensors packed in table order), found 5`,
      ].join('\n'),
    );
  });

  it('duplicate tensor names', async () => {
    await saveCheckpoint(dir, sample('a'));
    await editManifest((m) => {
      m.tensors[2]!.name = 'policy.w';
    });
    expect((await checkpointError(loadCheckpoint(dir))).message).toBe(
      `${manifestFile}: tensors[2].name: duplicate name "policy.w" (also tensors[0])`,
    );
  });

  it('tensors.bin of the wrong size', async () => {
    await saveCheckpoint(dir, sample('a'));
    await truncate(tensorsFile, 42);
    expect((await checkpointError(loadCheckpoint(dir))).message).toBe(
      `${tensorsFile}: size: expected 44 bytes (tensorsFile.bytes in checkpoint.json), found 42 bytes`,
    );
  });

  it('non-finite values, naming the tensor', async () => {
    await saveCheckpoint(dir, sample('a'));
    const bytes = await readFile(tensorsFile);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    view.setFloat32((6 + 2) * 4, Number.NaN, true); // policy.b[2]
    await rewriteTensorsSealed(bytes); // a NaN saved with a valid checksum: the value check finds it
    const error = await checkpointError(loadCheckpoint(dir));
    expect(error.message).toBe(
      `${tensorsFile}: tensors[1] ("policy.b") value 2: expected a finite number, found NaN`,
    );
  });
});

/** A checkpoint whose fields a test may overwrite. */
interface MutableCheckpoint {
  meta: Record<string, unknown>;
  tensors: { name: string; shape: number[]; data: Float32Array }[];
}

describe('saveCheckpoint refuses bad input before writing anything', () => {
  it.each<[string, (c: MutableCheckpoint) => void, string]>([
    [
      'shape vs length',
      (c) => {
        c.tensors[0]!.shape = [4096];
        c.tensors[0]!.data = new Float32Array(4095);
      },
      'tensors[0].shape: expected product 4096 to equal length 4095',
    ],
    [
      'non-finite value',
      (c) => {
        c.tensors[1]!.data = Float32Array.of(0, Number.POSITIVE_INFINITY, 0, 0);
      },
      'tensors[1].data[1] ("policy.b"): expected a finite number, found Infinity',
    ],
    [
      'duplicate name',
      (c) => {
        c.tensors[1]!.name = 'policy.w';
      },
      'tensors[1].name: duplicate name "policy.w" (also tensors[0])',
    ],
    [
      'negative dimension',
      (c) => {
        c.tensors[0]!.shape = [-2, -3];
      },
      'tensors[0].shape: expected an array of non-negative integers, received [-2,-3]',
    ],
    [
      'non-finite meta number',
      (c) => {
        c.meta.counters = { step: Number.NaN };
      },
      'meta.counters.step: expected a finite number, received NaN',
    ],
    [
      'undefined in meta',
      (c) => {
        c.meta.config = { layers: [64, undefined] };
      },
      'meta.config.layers[1]: expected a JSON value, received undefined',
    ],
    [
      'class instance in meta',
      (c) => {
        c.meta.started = new Date(0);
      },
      'meta.started: expected a plain object or array, received an instance of Date',
    ],
  ])('%s', async (_, corrupt, issue) => {
    const checkpoint = sample('a') as MutableCheckpoint;
    checkpoint.tensors = checkpoint.tensors.map((t) => ({ ...t }));
    corrupt(checkpoint);
    const error = await checkpointError(saveCheckpoint(dir, checkpoint));
    expect(error.message).toBe(`${dir}: ${issue}`);
    await expect(readdir(join(root, 'runs'))).rejects.toThrow('ENOENT');
  });

  it('meta that is not an object', async () => {
    const error = await checkpointError(saveCheckpoint(dir, { meta: [1, 2], tensors: [] }));
    expect(error.message).toBe(`${dir}: meta: expected a JSON object, received an array`);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
