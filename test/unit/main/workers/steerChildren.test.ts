import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  childCommand,
  childFailure,
  lastJsonLine,
  ONE_CORE_NODE_FLAGS,
  runBounded,
  STEER_BIN,
  STEER_EXIT_WITH_PARENT_ENV,
  STEER_PARENT_ENV,
  threadsPerJob,
} from '../../../../src/main/workers/steerChildren.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('runBounded', () => {
  it('keeps at most `jobs` calls in flight and returns results in item order', async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    const results = await runBounded(
      [5, 1, 3, 2, 4],
      2,
      async (item) => {
        running += 1;
        most = Math.max(most, running);
        for (let i = 0; i < item; i++) await tick(); // finish out of order
        running -= 1;
        return item * 10;
      },
      { onResult: (r) => seen.push(r) },
    );
    expect(results).toEqual([50, 10, 30, 20, 40]);
    expect(most).toBe(2);
    expect(seen.sort()).toEqual([10, 20, 30, 40, 50]);
  });

  it('starts nothing once aborted and leaves out interrupted calls (null)', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const results = await runBounded(
      [1, 2, 3, 4],
      1,
      async (item) => {
        started.push(item);
        if (item === 2) {
          controller.abort();
          return null;
        }
        return item;
      },
      { signal: controller.signal },
    );
    expect(started).toEqual([1, 2]);
    expect(results).toEqual([1]);
  });
});

describe('childCommand', () => {
  it('gives a one-core child the single-thread V8 flags, before the launcher, and others none', () => {
    const [program, args] = childCommand(['train', '--update-threads', '1'], { oneCore: true });
    expect(program).toBe(process.execPath);
    expect(args).toEqual([...ONE_CORE_NODE_FLAGS, STEER_BIN, 'train', '--update-threads', '1']);
    expect(childCommand(['eval', 'runs/x'], {})[1]).toEqual([STEER_BIN, 'eval', 'runs/x']);
  });

  it('keeps the flags after setpriv when the child dies with its parent', () => {
    const [, args] = childCommand(['worker'], { oneCore: true, exitWithParent: true });
    const node = args.indexOf(process.execPath);
    if (node >= 0)
      expect(args.slice(node + 1, node + 1 + ONE_CORE_NODE_FLAGS.length)).toEqual(ONE_CORE_NODE_FLAGS);
    else expect(args.slice(0, ONE_CORE_NODE_FLAGS.length)).toEqual(ONE_CORE_NODE_FLAGS); // no setpriv here
  });

  it('uses flags this Node accepts, silently', () => {
    const run = spawnSync(
      process.execPath,
      [...ONE_CORE_NODE_FLAGS, '-e', 'console.log(JSON.stringify(process.execArgv))'],
      {
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect((JSON.parse(run.stdout) as string[]).slice(0, ONE_CORE_NODE_FLAGS.length)).toEqual(
      ONE_CORE_NODE_FLAGS,
    );
  });
});

describe('child output', () => {
  it('reads the last stdout line as JSON, and reports a failure with the last stderr line', () => {
    expect(lastJsonLine('progress\n{"status":"completed"}\n')).toEqual({ status: 'completed' });
    expect(lastJsonLine('not json')).toBeNull();
    expect(childFailure({ code: 1, stdout: '', stderr: 'x\nsteer: error: bad\n' })).toBe(
      'exit code 1: steer: error: bad',
    );
    expect(childFailure({ code: 143, stdout: '', stderr: '' })).toBe('exit code 143');
  });

  it('threadsPerJob splits the cores', () => {
    expect(threadsPerJob(2, 2)).toBe(1);
    expect(threadsPerJob(1, 4)).toBe(4);
  });
});

describe('watchParent', () => {
  /** A node process that runs watchParent with `env` and then idles 3 s; how it ended. */
  function watched(env: Record<string, string>): Promise<{ code: number | null; signal: string | null }> {
    const module = new URL('../../../../src/main/workers/steerChildren.ts', import.meta.url).href;
    const script = `const { watchParent } = await import(${JSON.stringify(module)}); watchParent(); setTimeout(() => {}, 3000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, ...env },
      stdio: 'ignore',
    });
    return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  it('kills a child started with exitWithParent whose parent is gone, and leaves the others alone', async () => {
    const orphan = watched({ [STEER_EXIT_WITH_PARENT_ENV]: '1', [STEER_PARENT_ENV]: '999999999' });
    const kept = watched({ [STEER_EXIT_WITH_PARENT_ENV]: '1', [STEER_PARENT_ENV]: String(process.pid) });
    const unwatched = watched({ [STEER_PARENT_ENV]: '999999999' });
    expect(await orphan).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await kept).toEqual({ code: 0, signal: null });
    expect(await unwatched).toEqual({ code: 0, signal: null });
  }, 30_000);
});
