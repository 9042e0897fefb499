/**
 * Corrupted checkpoints are refused, and a refusal changes nothing. One tiny run (matrix game, cpu
 * backend, stopped at update 2 of 4) is copied once per case; the copy's checkpoint is damaged (a
 * truncation, a bit flip, a wrong size or format version, a missing file, `latest` being a file, a
 * counter out of range, a manifest field changed with or without its checksum recomputed), and the
 * damaged run is then
 *
 *   - resumed the way `steer train --resume` does it (in process, the real command),
 *   - evaluated with `steer eval`,
 *   - restored with `restoreTrainerCheckpoint` (the loader eval, the app's jobs and the editor use).
 *
 * Each must fail with the same one-line message naming the file and the field, and every file of
 * the run folder must be byte-identical afterwards (argv.json not appended, metrics.jsonl not
 * truncated, no checkpoint written).
 */
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Trainer } from '../../src/core/algos/ppo/trainer.js';
import { initBackend } from '../../src/core/nn/node/backends.js';
import { manifestSha256 } from '../../src/main/io/checkpoint.js';
import { readRunConfig, runPaths } from '../../src/main/train/runDir.js';
import { loadRunEnvironment } from '../../src/main/train/runEnvironment.js';
import { restoreTrainerCheckpoint } from '../../src/main/train/trainerCheckpoint.js';
import { steer } from '../unit/main/cli/runCliInProcess.js';

/** A tiny run: 4 updates of 2 envs × 5 steps, one thread (no gradient helpers to start). */
const TINY = [
  '--backend',
  'cpu',
  '--quiet',
  '--update-threads',
  '1',
  '--set',
  'numEnvs=2',
  '--set',
  'episodeLength=5',
  '--set',
  'ppoEpochs=1',
];
/** The flags of a resume of that run: same backend, quiet (stderr is then only the error line). */
const RESUME = ['--backend', 'cpu', '--quiet', '--update-threads', '1'];
const TOTAL_UPDATES = 4;
const SAVED_AT_UPDATE = 2;

let cwd: string;
/** The intact run every case copies. */
let pristine: string;

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'steer-ckpt-matrix-'));
  // Stopped after update 2 as SIGINT stops it: checkpoint at 2, metrics lines 1–2, a resume to do.
  const controller = new AbortController();
  const stopped = await steer(
    [
      'train',
      '--env',
      'matrix:penalty0',
      '--out',
      'runs/pristine',
      '--updates',
      String(TOTAL_UPDATES),
      ...TINY,
    ],
    cwd,
    {
      signal: controller.signal,
      onTrainingUpdate: (update) => {
        if (update === SAVED_AT_UPDATE) controller.abort();
      },
    },
  );
  expect(stopped.code, stopped.stderr).toBe(130);
  pristine = join(cwd, 'runs', 'pristine');
  await initBackend('cpu', () => {});
});

afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

/** The files a case damages, in its own copy of the run. */
interface CaseFiles {
  readonly run: string;
  readonly latest: string;
  readonly manifest: string;
  readonly tensors: string;
}

/** A way to damage a checkpoint and the refusal it must get (the message after `steer: error: `). */
interface Case {
  readonly name: string;
  corrupt(files: CaseFiles): Promise<void>;
  refusal(files: CaseFiles): string | RegExp;
}

let copies = 0;
async function copyOfPristine(): Promise<CaseFiles> {
  const run = join(cwd, 'runs', `case-${++copies}`);
  await cp(pristine, run, { recursive: true });
  const latest = runPaths(run).checkpoint;
  return { run, latest, manifest: join(latest, 'checkpoint.json'), tensors: join(latest, 'tensors.bin') };
}

/** Every file under `dir` (recursively) with the SHA-256 of its bytes; directories listed too. */
async function fingerprint(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    const key = relative(dir, path);
    out[key] = entry.isDirectory()
      ? 'directory'
      : createHash('sha256')
          .update(await readFile(path))
          .digest('hex');
  }
  return out;
}

// --- ways to damage a file ---

async function flipBit(file: string, position: number, bit: number): Promise<void> {
  const bytes = await readFile(file);
  bytes[position] = bytes[position]! ^ (1 << bit);
  await writeFile(file, bytes);
}

async function truncateBy(file: string, fraction: number | null, bytesLess = 0): Promise<void> {
  const size = (await readFile(file)).length;
  await truncate(file, fraction === null ? size - bytesLess : Math.floor(size * fraction));
}

// biome-ignore lint/suspicious/noExplicitAny: the cases write arbitrary (also ill-typed) JSON into it
type ManifestJson = Record<string, any>;

/** Edits checkpoint.json; `seal` recomputes its checksum (a buggy writer), else it is left stale. */
async function editManifest(
  file: string,
  edit: (manifest: ManifestJson) => void,
  seal: boolean,
): Promise<void> {
  const manifest = JSON.parse(await readFile(file, 'utf8'));
  edit(manifest);
  if (seal) manifest.manifestSha256 = manifestSha256(manifest);
  await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

/** The manifest as format 1 wrote it (no checksums), after `edit`. */
async function asFormat1(file: string, edit: (manifest: ManifestJson) => void): Promise<void> {
  const { manifestSha256: _seal, tensorsFile: _tensors, ...rest } = JSON.parse(await readFile(file, 'utf8'));
  const manifest = { ...rest, formatVersion: 1 };
  edit(manifest);
  await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Any refusal of checkpoint.json: invalid JSON, its checksum, or a field checked before it. */
const manifestRefused = (f: CaseFiles) =>
  new RegExp(`^${escapeRegExp(f.manifest)}: (invalid JSON: |manifestSha256: expected |formatVersion: )`);
const staleChecksum = (f: CaseFiles) =>
  new RegExp(
    `^${escapeRegExp(f.manifest)}: manifestSha256: expected [0-9a-f]{16}… \\(the SHA-256 of the manifest's content\\), found [0-9a-f]{16}…; checkpoint.json was changed after it was saved$`,
  );
const tensorsChecksum = (f: CaseFiles) =>
  new RegExp(
    `^${escapeRegExp(f.tensors)}: sha256: expected [0-9a-f]{16}… \\(tensorsFile.sha256 in checkpoint.json\\), found [0-9a-f]{16}…$`,
  );
const tensorsSize = (f: CaseFiles) =>
  new RegExp(
    `^${escapeRegExp(f.tensors)}: size: expected \\d+ bytes \\(tensorsFile.bytes in checkpoint.json\\), found \\d+ bytes$`,
  );

/** A manifest field changed after saving, its checksum left as it was. */
function staleEdit(field: string, edit: (manifest: ManifestJson) => void): Case {
  return {
    name: `${field} changed, checksum stale`,
    corrupt: (f) => editManifest(f.manifest, edit, false),
    refusal: staleChecksum,
  };
}

/** A manifest field changed and the checksum recomputed: the field's own check must refuse it. */
function sealedEdit(name: string, edit: (manifest: ManifestJson) => void, refusal: Case['refusal']): Case {
  return { name: `${name} (checksum valid)`, corrupt: (f) => editManifest(f.manifest, edit, true), refusal };
}

const TENSOR_FLIPS: [string, number, number][] = [
  ['first byte', 0, 0],
  ['a third in', 1 / 3, 3],
  ['middle', 1 / 2, 7],
  ['two thirds in', 2 / 3, 5],
  ['last byte', 1, 6],
];
const MANIFEST_FLIPS = [0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.97];

const CASES: Case[] = [
  // --- tensors.bin ---
  ...[0, 0.5].map(
    (fraction): Case => ({
      name: `tensors.bin truncated to ${fraction * 100}%`,
      corrupt: (f) => truncateBy(f.tensors, fraction),
      refusal: tensorsSize,
    }),
  ),
  ...[1, 4].map(
    (less): Case => ({
      name: `tensors.bin ${less} byte(s) short`,
      corrupt: (f) => truncateBy(f.tensors, null, less),
      refusal: tensorsSize,
    }),
  ),
  {
    name: 'tensors.bin 4 bytes longer',
    corrupt: async (f) => writeFile(f.tensors, Buffer.concat([await readFile(f.tensors), Buffer.alloc(4)])),
    refusal: tensorsSize,
  },
  ...TENSOR_FLIPS.map(
    ([where, at, bit]): Case => ({
      name: `tensors.bin bit ${bit} flipped at the ${where}`,
      corrupt: async (f) => {
        const size = (await readFile(f.tensors)).length;
        await flipBit(f.tensors, Math.min(Math.floor(size * at), size - 1), bit);
      },
      refusal: tensorsChecksum,
    }),
  ),
  {
    name: 'tensors.bin: 4 bytes overwritten with a finite float (the issue)',
    corrupt: async (f) => {
      const bytes = await readFile(f.tensors);
      bytes.writeFloatLE(0.5, 8);
      await writeFile(f.tensors, bytes);
    },
    refusal: tensorsChecksum,
  },
  {
    name: 'tensors.bin: a NaN written',
    corrupt: async (f) => {
      const bytes = await readFile(f.tensors);
      bytes.writeFloatLE(Number.NaN, 16);
      await writeFile(f.tensors, bytes);
    },
    refusal: tensorsChecksum,
  },
  {
    name: 'tensors.bin missing',
    corrupt: (f) => rm(f.tensors),
    refusal: (f) => `${f.tensors}: file not found`,
  },

  // --- checkpoint.json ---
  ...[0, 0.5].map(
    (fraction): Case => ({
      name: `checkpoint.json truncated to ${fraction * 100}%`,
      corrupt: (f) => truncateBy(f.manifest, fraction),
      refusal: (f) => new RegExp(`^${escapeRegExp(f.manifest)}: invalid JSON: `),
    }),
  ),
  {
    // (dropping only the final newline leaves the same JSON content, which is not damage)
    name: 'checkpoint.json 2 bytes short',
    corrupt: (f) => truncateBy(f.manifest, null, 2),
    refusal: (f) => new RegExp(`^${escapeRegExp(f.manifest)}: invalid JSON: `),
  },
  ...MANIFEST_FLIPS.map(
    (at, i): Case => ({
      name: `checkpoint.json bit ${i % 8} flipped ${Math.round(at * 100)}% in`,
      corrupt: async (f) => {
        const size = (await readFile(f.manifest)).length;
        await flipBit(f.manifest, Math.floor(size * at), i % 8);
      },
      refusal: manifestRefused,
    }),
  ),
  {
    name: 'checkpoint.json: one bit of meta.update flipped (2 → 3)',
    corrupt: async (f) => {
      const text = await readFile(f.manifest, 'utf8');
      await flipBit(f.manifest, Buffer.byteLength(text.slice(0, text.indexOf('"update": 2') + 10)), 0);
    },
    refusal: staleChecksum,
  },
  {
    name: 'checkpoint.json missing',
    corrupt: (f) => rm(f.manifest),
    refusal: (f) => `${f.manifest}: file not found`,
  },
  {
    name: 'checkpoints/latest empty',
    corrupt: async (f) => {
      await rm(f.manifest);
      await rm(f.tensors);
    },
    refusal: (f) => `${f.manifest}: file not found`,
  },
  {
    name: 'checkpoints/latest is a file',
    corrupt: async (f) => {
      await rm(f.latest, { recursive: true });
      await writeFile(f.latest, 'latest\n');
    },
    refusal: (f) => `${f.latest}: expected a checkpoint directory, found a file`,
  },

  // --- format versions ---
  ...[0, 3, 99, '2', null].map(
    (version): Case => ({
      name: `formatVersion ${JSON.stringify(version)}`,
      corrupt: (f) =>
        editManifest(
          f.manifest,
          (m) => {
            m.formatVersion = version;
          },
          false,
        ),
      refusal: (f) =>
        new RegExp(`^${escapeRegExp(f.manifest)}: formatVersion: (unsupported version|expected a number)`),
    }),
  ),
  {
    name: 'formatVersion missing',
    corrupt: (f) =>
      editManifest(
        f.manifest,
        (m) => {
          delete m.formatVersion;
        },
        false,
      ),
    refusal: (f) =>
      `${f.manifest}: formatVersion: expected a number (this build reads format versions 1, 2), received undefined`,
  },
  {
    name: 'a format 2 manifest relabelled as format 1 (would skip the checksums)',
    corrupt: (f) =>
      editManifest(
        f.manifest,
        (m) => {
          m.formatVersion = 1;
        },
        true,
      ),
    refusal: (f) =>
      `${f.manifest}: formatVersion: expected 2 (the manifest has format 2's manifestSha256 and tensorsFile), found 1`,
  },

  // --- fields changed after saving: the stale checksum gives them away ---
  staleEdit('meta.update = 9999', (m) => {
    m.meta.update = 9999;
  }),
  staleEdit('meta.envSteps', (m) => {
    m.meta.envSteps += 1;
  }),
  staleEdit('meta.rng[0]', (m) => {
    m.meta.rng[0] ^= 1;
  }),
  staleEdit('meta.valueNorm.mean', (m) => {
    m.meta.valueNorm.mean += 1e-9;
  }),
  staleEdit('tensorsFile.sha256', (m) => {
    m.tensorsFile.sha256 = '0'.repeat(64);
  }),
  staleEdit('tensors[0].shape (same product)', (m) => {
    m.tensors[0].shape.push(1);
  }),
  staleEdit('createdAt', (m) => {
    m.createdAt = '2020-01-01T00:00:00.000Z';
  }),
  staleEdit('manifestSha256 itself', (m) => {
    m.manifestSha256 = 'f'.repeat(64);
  }),

  // --- fields changed with a valid checksum (a buggy writer): each field's own check ---
  sealedEdit(
    'meta.update 9999 in a run of 4 updates',
    (m) => {
      m.meta.update = 9999;
    },
    (f) => `${f.manifest}: meta.update: expected at most 4 (totalUpdates in config.json), found 9999`,
  ),
  sealedEdit(
    'meta.update one past the end',
    (m) => {
      m.meta.update = TOTAL_UPDATES + 1;
    },
    (f) => `${f.manifest}: meta.update: expected at most 4 (totalUpdates in config.json), found 5`,
  ),
  sealedEdit(
    'meta.update negative',
    (m) => {
      m.meta.update = -1;
    },
    (f) => `${f.manifest}: meta.update: Too small: expected number to be >=0`,
  ),
  sealedEdit(
    'meta.envSteps not update × episodeLength × numEnvs',
    (m) => {
      m.meta.envSteps = 21;
    },
    (f) => `${f.manifest}: meta.envSteps: expected 20 (update 2 × episodeLength 5 × numEnvs 2), found 21`,
  ),
  sealedEdit(
    'meta.adamStep not update × ppoEpochs × numMinibatches',
    (m) => {
      m.meta.adamStep = 7;
    },
    (f) => `${f.manifest}: meta.adamStep: expected 2 (update 2 × ppoEpochs 1 × numMinibatches 1), found 7`,
  ),
  sealedEdit(
    'meta.episodeLengths for another number of envs',
    (m) => {
      m.meta.episodeLengths.push(0);
    },
    (f) => `${f.manifest}: meta.episodeLengths: expected 2 entries (numEnvs), found 3`,
  ),
  sealedEdit(
    'meta.envName of another env',
    (m) => {
      m.meta.envName = 'matrix:penalty-100';
    },
    (f) =>
      `${f.manifest}: meta.envName: expected "matrix:penalty0" (config.json), found "matrix:penalty-100"`,
  ),
  sealedEdit(
    'meta.config.lr not the run config',
    (m) => {
      m.meta.config.lr = 0.5;
    },
    (f) =>
      new RegExp(
        `^${escapeRegExp(f.manifest)}: meta\\.config\\.lr: expected [\\d.e-]+ \\(config.json\\), found 0\\.5$`,
      ),
  ),
  sealedEdit(
    'kind',
    (m) => {
      m.kind = 'pytorch';
    },
    (f) => `${f.manifest}: kind: Invalid input: expected "steer-checkpoint"`,
  ),
  sealedEdit(
    'tensorsFile.bytes not the tensor table',
    (m) => {
      m.tensorsFile.bytes += 4;
    },
    (f) =>
      new RegExp(
        `^${escapeRegExp(f.manifest)}: tensorsFile\\.bytes: expected \\d+ \\(\\d+ float32 values in the tensor table\\), found \\d+$`,
      ),
  ),
  sealedEdit(
    'tensorsFile.sha256 not the file',
    (m) => {
      m.tensorsFile.sha256 = '0'.repeat(64);
    },
    tensorsChecksum,
  ),
  sealedEdit(
    'tensors[1].offset',
    (m) => {
      m.tensors[1].offset += 1;
    },
    (f) =>
      new RegExp(
        `^${escapeRegExp(f.manifest)}: tensors\\[1\\]\\.offset: expected \\d+ \\(tensors packed in table order\\), found \\d+$`,
      ),
  ),
  sealedEdit(
    'tensors[0].shape with another product',
    (m) => {
      m.tensors[0].shape.push(2);
    },
    (f) =>
      new RegExp(
        `^${escapeRegExp(f.manifest)}: tensors\\[0\\]\\.shape: expected product \\d+ to equal length \\d+$`,
      ),
  ),
  sealedEdit(
    "a tensor renamed (not one of the model's)",
    (m) => {
      m.tensors[0].name = 'model.nothing';
    },
    (f) =>
      new RegExp(
        `^${escapeRegExp(f.manifest)}: does not fit this run's model: checkpoint has no tensor "model\\.`,
      ),
  ),
  sealedEdit(
    'meta.modelConfig.embedDim',
    (m) => {
      m.meta.modelConfig.embedDim = 8;
    },
    (f) =>
      new RegExp(
        `^${escapeRegExp(f.manifest)}: does not fit this run's model: checkpoint modelConfig\\.embedDim is 8`,
      ),
  ),

  // --- format 1 (no checksums): still verified structurally ---
  {
    name: 'format 1 with meta.update out of range',
    corrupt: (f) =>
      asFormat1(f.manifest, (m) => {
        m.meta.update = 9999;
      }),
    refusal: (f) =>
      `${f.manifest}: meta.update: expected at most 4 (totalUpdates in config.json), found 9999`,
  },
  {
    name: 'format 1 with tensors.bin 4 bytes short',
    corrupt: async (f) => {
      await asFormat1(f.manifest, () => {});
      await truncateBy(f.tensors, null, 4);
    },
    refusal: (f) =>
      new RegExp(
        `^${escapeRegExp(f.tensors)}: size: expected \\d+ bytes \\(\\d+ float32 values listed in checkpoint.json\\), found \\d+ bytes$`,
      ),
  },
];

describe('a damaged checkpoint is refused, and the run folder is left byte for byte as it was', () => {
  it('an intact copy resumes (so the fingerprint below would see a change)', async () => {
    const f = await copyOfPristine();
    const before = await fingerprint(f.run);
    const resumed = await steer(['train', '--resume', f.run, ...RESUME], cwd);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(await fingerprint(f.run)).not.toEqual(before);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const f = await copyOfPristine();
    await c.corrupt(f);
    const before = await fingerprint(f.run);
    const expected = c.refusal(f);
    const check = (message: string) => {
      if (typeof expected === 'string') expect(message).toBe(expected);
      else expect(message).toMatch(expected);
    };

    // 1. the resume path: `steer train --resume` (quiet, so stderr is only the error line)
    const resumed = await steer(['train', '--resume', f.run, ...RESUME], cwd);
    expect(resumed.code).toBe(1);
    expect(resumed.stdout).toBe('');
    const prefix = 'steer: error: ';
    expect(resumed.stderr).toMatch(/^steer: error: [^\n]+\n$/); // one line
    const message = resumed.stderr.slice(prefix.length, -1);
    check(message);
    expect(await fingerprint(f.run)).toEqual(before);

    // 2. `steer eval`: the same message
    const evaluated = await steer(['eval', f.run, '--backend', 'cpu'], cwd);
    expect(evaluated.code).toBe(1);
    expect(evaluated.stderr).toContain(`${prefix}${message}\n`);

    // 3. the loader every other reader uses
    const run = await readRunConfig(f.run);
    const environment = await loadRunEnvironment(f.run, run);
    const trainer = new Trainer(run.env, environment.makeEnv, run.train);
    try {
      await expect(restoreTrainerCheckpoint(f.latest, trainer, run)).rejects.toThrow(message);
    } finally {
      trainer.dispose();
    }
    expect(await fingerprint(f.run)).toEqual(before);
  });
});
