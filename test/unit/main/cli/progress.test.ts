import { describe, expect, it } from 'vitest';
import { BufferSink } from '../../../../src/main/cli/context.js';
import { batchProgress, createProgress, type Progress } from '../../../../src/main/cli/progress.js';

describe('createProgress without a terminal', () => {
  it('prints one plain line per ~10 % and the last one, with the detail', () => {
    const sink = new BufferSink();
    const progress = createProgress(sink, 'train');
    progress.start(25, 0);
    for (let done = 1; done <= 25; done++) progress.update(done, `return ${done}`);
    progress.update(25, 'again');
    progress.stop();
    const lines = sink.text().trim().split('\n');
    expect(lines.map((l) => l.split(' |')[0])).toEqual([
      'train 3/25 (12%)',
      'train 5/25 (20%)',
      'train 8/25 (32%)',
      'train 10/25 (40%)',
      'train 13/25 (52%)',
      'train 15/25 (60%)',
      'train 18/25 (72%)',
      'train 20/25 (80%)',
      'train 23/25 (92%)',
      'train 25/25 (100%)',
    ]);
    expect(lines[9]).toMatch(/^train 25\/25 \(100%\) \| return 25 \| \d+\.\d s$/);
  });

  it('a resumed run starts counting from where it was', () => {
    const sink = new BufferSink();
    const progress = createProgress(sink, 'train');
    progress.start(10, 6);
    progress.update(7);
    progress.update(8);
    expect(sink.text().split('\n')[0]).toMatch(/^train 7\/10 \(70%\)/);
  });
});

describe('batchProgress', () => {
  it('counts runs by how they ended, naming failures only once there is one', () => {
    const updates: [number, string | undefined][] = [];
    const progress: Progress = {
      start: (total) => updates.push([total, 'start']),
      update: (done, detail) => updates.push([done, detail]),
      stop: () => {},
    };
    const tally = batchProgress(progress, 4);
    tally.record({ status: 'done', action: 'trained' });
    tally.record({ status: 'ok', action: 'skipped' });
    tally.record({ status: 'failed', action: 'resumed' });
    tally.record({ status: 'done', action: 'resumed' });
    expect(updates).toEqual([
      [4, 'start'],
      [1, 'trained 1 | resumed 0 | skipped 0'],
      [2, 'trained 1 | resumed 0 | skipped 1'],
      [3, 'trained 1 | resumed 0 | skipped 1 | failed 1'],
      [4, 'trained 1 | resumed 1 | skipped 1 | failed 1'],
    ]);
  });
});
