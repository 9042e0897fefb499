/**
 * `steer replay info` and `steer replay export --json` on recorded HORM episodes, and the file
 * layer under them (src/main/io/replayFile.ts): atomic writes, whole, random-access and streamed
 * reads. A bad file is one line on stderr, exit code 1, no stack trace.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeReplay,
  type ReplayFrame,
  type ReplayJson,
  ReplayStreamReader,
} from '../../../../src/core/replay/index.js';
import {
  openReplayFile,
  ReplayFileError,
  readReplayFile,
  streamReplayFile,
  writeReplayFile,
} from '../../../../src/main/io/replayFile.js';
import { plainFrame, type RecordedEpisode, recordEpisode } from '../../core/replay/fixtures.js';
import { steer } from '../cli/runCliInProcess.js';

let cwd: string;
let full: RecordedEpisode; // 100 decisions, no crash
let crash: RecordedEpisode; // ends in a crash of agents 1 and 2
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'steer-replay-'));
  full = recordEpisode({ density: 3, seed: 0, policy: 'random' });
  crash = recordEpisode({ density: 3, seed: 5, policy: 'random' });
  await writeReplayFile(join(cwd, 'full.replay'), full.bytes);
  await writeReplayFile(join(cwd, 'nested/dir/crash.replay'), crash.bytes);
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

/** No line of a stack trace ("    at f (file:1:2)"). */
function expectNoStack(text: string): void {
  expect(text).not.toMatch(/^\s+at /m);
}

describe('steer replay info', () => {
  it('summarises scenario, model, steps, vehicles, agents, crash, returns and size on disk', async () => {
    const run = await steer(['replay', 'info', 'full.replay'], cwd);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { summary } = decodeReplay(full.bytes).footer;
    const vehicles = full.expected[0]!.vehicleCount;
    const returns = summary.returns.map((r, j) => `agent ${j}: ${Number(r!.toFixed(3))}`).join(', ');
    const size = full.bytes.length.toLocaleString('en-US');
    expect(run.stdout.split('\n')).toEqual([
      `file      full.replay: ${size} bytes (${(full.bytes.length / 1024).toFixed(1)} KiB) on disk, format version 1`,
      'scenario  horm:density-3, density 3, seed 0',
      'model     random, seed 99',
      'created   2026-11-23T10:00:00.000Z',
      'steps     100 decisions, 101 frames, 20 s (0.2 s per step)',
      `vehicles  ${vehicles} (4 cav, ${vehicles - 4} hdv)`,
      `agents    4, priority rule index, regional rewards, supervisor on (${summary.supervisorChanges} actions changed)`,
      'crashed   no',
      `returns   ${returns}`,
      '',
    ]);
  });

  it('names the crashed agents and when they crashed', async () => {
    const run = await steer(['replay', 'info', 'nested/dir/crash.replay'], cwd);
    expect(run.code).toBe(0);
    const frame = crash.expected.length - 1;
    const agents = [0, 1, 2, 3].filter((j) => crash.expected.at(-1)!.crashed[j] === 1);
    expect(run.stdout).toContain(
      `crashed   yes: agents ${agents.join(', ')}, first at frame ${frame} (${Number((frame * 0.2).toFixed(3))} s)`,
    );
  });

  it('--json prints one object with the header, summary and counts', async () => {
    const run = await steer(['replay', 'info', 'full.replay', '--json'], cwd);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      file: 'full.replay',
      fileBytes: full.bytes.length,
      formatVersion: 1,
      frames: 101,
      durationS: 20,
      header: { env: 'horm:density-3', agents: 4, scenario: { seed: 0, density: 3 } },
      summary: decodeReplay(full.bytes).footer.summary,
    });
    expect(report.vehicles.cav).toBe(4);
  });
});

describe('steer replay export', () => {
  it('prints the whole episode as JSON, every value as stored', async () => {
    const run = await steer(['replay', 'export', 'nested/dir/crash.replay', '--json'], cwd);
    expect(run.code).toBe(0);
    expect(run.stdout.endsWith('\n')).toBe(true);
    const json = JSON.parse(run.stdout) as ReplayJson;
    const replay = decodeReplay(crash.bytes);
    expect(json.formatVersion).toBe(1);
    expect(json.header).toEqual(replay.header);
    expect(json.summary).toEqual(replay.footer.summary);
    expect(json.frames).toHaveLength(crash.expected.length);
    json.frames.forEach((frame, t) => {
      const expected = crash.expected[t]!;
      expect(frame.index).toBe(t);
      expect(frame.timeS).toBeCloseTo(t * 0.2, 12);
      expect(frame.vehicles.map((v) => [v.x, v.y, v.heading, v.speed])).toEqual(
        expected.x.map((x, i) => [x, expected.y[i], expected.heading[i], expected.speed[i]]),
      );
      expect(frame.vehicles.map((v) => v.kind)).toEqual(expected.kind.map((k) => ['cav', 'hdv'][k]));
      expect(frame.vehicles.map((v) => v.crashed)).toEqual(expected.crashed.map((c) => c === 1));
      if (expected.decision) {
        expect(frame.agents.map((a) => a.proposed)).toEqual(
          expected.proposed.map((a) => replay.header.actions[a]),
        );
        expect(frame.agents.map((a) => a.reward)).toEqual(expected.reward);
        expect(frame.agents.map((a) => a.value)).toEqual(expected.value);
        expect(frame.agents.map((a) => a.rank)).toEqual(expected.rank);
      }
    });
    const last = json.frames.at(-1)!;
    expect(last.decision).toBe(false);
    expect(last.agents[0]).toEqual({ proposed: null, executed: null, rank: null, reward: null, value: null });
    expect(last.vehicles[0]!.lane).toMatch(/^[a-z]-[a-z]-\d$/);
  });

  it('prints the same JSON without --json: it is the default (and only) format', async () => {
    const plain = await steer(['replay', 'export', 'full.replay'], cwd);
    const flagged = await steer(['replay', 'export', 'full.replay', '--json'], cwd);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toBe('');
    expect(plain.stdout).toBe(flagged.stdout);
    expect((JSON.parse(plain.stdout) as ReplayJson).formatVersion).toBe(1);
  });
});

describe('steer replay on bad files: one line, exit 1', () => {
  const cases: [string, () => Uint8Array | string, RegExp][] = [
    ['missing.replay', () => '', /^missing\.replay: file not found$/],
    [
      'scenario.replay',
      () => '{"version": 1, "name": "HORM easy"}',
      /^scenario\.replay: not a STEER replay: /,
    ],
    [
      'cut.replay',
      () => full.bytes.subarray(0, 3000),
      /^cut\.replay: truncated replay: chunk \d \(frames \d+–\d+\) at byte \d+: expected \d+ bytes of compressed frames/,
    ],
    [
      'flipped.replay',
      () => {
        const b = full.bytes.slice();
        b[b.length - 100]! ^= 0x01;
        return b;
      },
      /^flipped\.replay: corrupted replay: end block at byte \d+: CRC-32 expected 0x[0-9a-f]{8}, found 0x[0-9a-f]{8}$/,
    ],
    [
      'newer.replay',
      () => {
        const b = full.bytes.slice();
        b[8] = 9;
        return b;
      },
      /^newer\.replay: unknown replay format version: preamble at byte 8: expected format version 1 or 2, found 9 \(written by a newer STEER Studio\?\)$/,
    ],
  ];

  for (const [name, content, message] of cases) {
    it(`${name}`, async () => {
      const data = content();
      if (data !== '') await writeFile(join(cwd, name), data);
      for (const argv of [
        ['replay', 'info', name],
        ['replay', 'export', name, '--json'],
      ]) {
        const run = await steer(argv, cwd);
        expect(run.code).toBe(1);
        expect(run.stdout).toBe('');
        const lines = run.stderr.trimEnd().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]!.replace(/^steer: error: /, '')).toMatch(message);
        expectNoStack(run.stderr);
      }
    });
  }

  it('a directory', async () => {
    const run = await steer(['replay', 'info', 'nested'], cwd);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'steer: error: nested: is a directory, expected a replay file\n',
    });
  });
});

describe('replay files (src/main/io/replayFile.ts)', () => {
  it('writes atomically: overwrite in place, no temporary file left', async () => {
    const path = join(cwd, 'atomic/a.replay');
    await writeReplayFile(path, crash.bytes);
    await writeReplayFile(path, full.bytes);
    expect(await readdir(join(cwd, 'atomic'))).toEqual(['a.replay']);
    const read = await readReplayFile(path);
    expect(read.fileBytes).toBe(full.bytes.length);
    expect(read.frames.map(plainFrame)).toEqual(full.expected);
  });

  it('random access through openReplayFile', async () => {
    const reader = await openReplayFile(join(cwd, 'full.replay'));
    expect(plainFrame(reader.frame(57))).toEqual(full.expected[57]);
  });

  it('streams frames in small reads, the header first', async () => {
    const reader = new ReplayStreamReader();
    const frames: ReplayFrame[] = [];
    const stream = streamReplayFile(join(cwd, 'full.replay'), { readBytes: 333, reader });
    let next = await stream.next();
    while (!next.done) {
      expect(reader.header?.agents).toBe(4);
      frames.push(next.value);
      next = await stream.next();
    }
    expect(next.value.frames).toBe(101);
    expect(frames.map(plainFrame)).toEqual(full.expected);
  });

  it('a cut file streams its whole chunks, then fails naming the file', async () => {
    const path = join(cwd, 'cut-stream.replay');
    await writeFile(path, full.bytes.subarray(0, 3000));
    const frames: ReplayFrame[] = [];
    let failure: unknown;
    try {
      for await (const frame of streamReplayFile(path, { readBytes: 100 })) frames.push(frame);
    } catch (error) {
      failure = error;
    }
    expect(frames.length % 16).toBe(0);
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.map(plainFrame)).toEqual(full.expected.slice(0, frames.length));
    expect(failure).toBeInstanceOf(ReplayFileError);
    expect((failure as Error).message).toMatch(new RegExp(`^${path}: truncated replay: chunk`));
  });
});
