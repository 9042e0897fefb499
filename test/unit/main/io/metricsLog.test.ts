import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MetricsError, MetricsLog, readLastRecord, readMetrics } from '../../../../src/main/io/metricsLog.js';

let root: string;
let path: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'steer-metrics-'));
  path = join(root, 'runs', 'r1', 'metrics.jsonl');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('MetricsLog', () => {
  it('appends one JSON line per record and reads them back', async () => {
    const log = MetricsLog.open(path);
    log.append({ step: 4096, 'loss/policy': 0.013, 'loss/value': 0.41 });
    log.append({ step: 8192, 'charts/env': 'horm:easy', 'eval/done': true, 'loss/kl': null });
    log.close();
    expect(readFileSync(path, 'utf8')).toBe(
      '{"step":4096,"loss/policy":0.013,"loss/value":0.41}\n' +
        '{"step":8192,"charts/env":"horm:easy","eval/done":true,"loss/kl":null}\n',
    );
    expect(await readMetrics(path)).toEqual({
      records: [
        { step: 4096, 'loss/policy': 0.013, 'loss/value': 0.41 },
        { step: 8192, 'charts/env': 'horm:easy', 'eval/done': true, 'loss/kl': null },
      ],
      truncatedLastLine: false,
    });
  });

  it('writes non-finite numbers as null', async () => {
    const log = MetricsLog.open(path);
    log.append({ step: 1, 'loss/value': Number.NaN, 'grad/norm': Number.POSITIVE_INFINITY });
    log.close();
    expect((await readMetrics(path)).records).toEqual([{ step: 1, 'loss/value': null, 'grad/norm': null }]);
  });

  it('refuses a nested value or an empty key, naming the file and key', () => {
    const log = MetricsLog.open(path);
    expect(() => log.append({ step: 1, config: { lr: 1 } as never })).toThrow(
      `${path}: "config": expected a number, string, boolean or null, found an object`,
    );
    expect(() => log.append({ '': 1 })).toThrow(`${path}: "": expected a non-empty key`);
    log.close();
    expect(() => log.append({ step: 2 })).toThrow(MetricsError);
    expect(readFileSync(path, 'utf8')).toBe('');
  });

  it('cuts a truncated last line when reopened, so appends start on a fresh line', async () => {
    const log = MetricsLog.open(path);
    log.append({ step: 1 });
    log.close();
    appendFileSync(path, '{"step":2,"loss/po'); // the run was killed mid-write
    const resumed = MetricsLog.open(path);
    resumed.append({ step: 2 });
    resumed.close();
    expect(await readMetrics(path)).toEqual({
      records: [{ step: 1 }, { step: 2 }],
      truncatedLastLine: false,
    });
  });
});

describe('readMetrics', () => {
  it('skips a truncated last line left by a killed run', async () => {
    const log = MetricsLog.open(path);
    log.append({ step: 1 });
    log.append({ step: 2 });
    log.close();
    appendFileSync(path, '{"step":3,"loss/val');
    expect(await readMetrics(path)).toEqual({ records: [{ step: 1 }, { step: 2 }], truncatedLastLine: true });
  });

  it('accepts a complete last record that lacks only its newline', async () => {
    const file = join(root, 'no-final-newline.jsonl');
    writeFileSync(file, '{"step":1}\n{"step":2}');
    expect(await readMetrics(file)).toEqual({
      records: [{ step: 1 }, { step: 2 }],
      truncatedLastLine: false,
    });
  });

  it('reports the line number of a bad line that is not the last', async () => {
    const file = join(root, 'bad.jsonl');
    writeFileSync(file, '{"step":1}\n{"step":2,\n{"step":3}\n');
    await expect(readMetrics(file)).rejects.toThrow(new RegExp(`^${escapeRegExp(file)}:2: invalid JSON: `));
  });

  it('reports a bad last line that was finished with a newline', async () => {
    const file = join(root, 'bad-last.jsonl');
    writeFileSync(file, '{"step":1}\n{"step":\n');
    await expect(readMetrics(file)).rejects.toThrow(new RegExp(`^${escapeRegExp(file)}:2: invalid JSON: `));
  });

  it('reports a line that is not a flat record', async () => {
    const file = join(root, 'nested.jsonl');
    writeFileSync(file, '{"step":1}\n[1,2]\n');
    await expect(readMetrics(file)).rejects.toThrow(`${file}:2: expected a JSON object, found [1,2]`);
    writeFileSync(file, '{"step":1}\n{"step":2}\n{"step":3,"cfg":{"lr":1}}\n');
    await expect(readMetrics(file)).rejects.toThrow(
      `${file}:3: "cfg": expected a number, string, boolean or null, found an object`,
    );
  });

  it('names a missing file', async () => {
    const file = join(root, 'missing.jsonl');
    await expect(readMetrics(file)).rejects.toThrow(`${file}: file not found`);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('readLastRecord', () => {
  it('reads the last complete record from the end of a long file, skipping an unfinished line', async () => {
    expect(await readLastRecord(path)).toBeNull(); // no file yet
    MetricsLog.open(path).close(); // makes the folder and an empty file
    const line = (update: number) =>
      `${JSON.stringify({ update, 'loss/policy': 0.5, pad: 'x'.repeat(200) })}\n`;
    writeFileSync(path, Array.from({ length: 2000 }, (_, i) => line(i + 1)).join('')); // ~450 kB
    expect(await readLastRecord(path)).toMatchObject({ update: 2000 });
    appendFileSync(path, '{"update":2001,"loss/po');
    expect(await readLastRecord(path)).toMatchObject({ update: 2000 });
    writeFileSync(path, '');
    expect(await readLastRecord(path)).toBeNull();
  });
});
