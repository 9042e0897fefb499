/**
 * A trained run's replays name the algorithm that played them (src/main/train/replayObserver.ts
 * `runModel`): the header written for an episode carries the run's config.json `train.algo`, not a
 * fixed "steer", for every recorder of a run's policy (`steer eval --record`, the app's Evaluate,
 * the editor's Run). The algorithm names here are only labels: nothing is trained.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baselinePolicy } from '../../../../src/core/envs/horm/baselinePolicies.js';
import { openScenario } from '../../../../src/core/envs/horm/index.js';
import { decodeReplay } from '../../../../src/core/replay/index.js';
import { evaluateHormBaseline } from '../../../../src/main/train/hormEvaluate.js';
import { replayObserver, runModel } from '../../../../src/main/train/replayObserver.js';
import { planNewRun } from '../../../../src/main/train/runPlan.js';
import { REPOSITORY_ROOT } from '../../../../src/main/web/browserHarness.js';

const text = readFileSync(join(REPOSITORY_ROOT, 'scenarios', 'horm-easy.json'), 'utf8');
const gate = openScenario(text, 'scenarios/horm-easy.json');
if (!gate.ok) throw new Error('horm-easy does not open');
const scenario = gate.opened;

describe('runModel', () => {
  it("names the run's algorithm in the replay header, with the run, checkpoint and update", () => {
    const planned = planNewRun({ env: scenario }).run;
    for (const algo of ['steer', 'mappo', 'steer-itb-only']) {
      const run = { ...planned, train: { ...planned.train, algo } };
      const model = runModel(run, { label: 'runs/x', checkpoint: 'runs/x/checkpoints/latest', update: 7 });
      const out: { file: string; bytes: Uint8Array }[] = [];
      evaluateHormBaseline(() => baselinePolicy('idle'), scenario.makeEnv, {
        episodes: 1,
        seed: 3,
        observe: (env, _episode, seed) =>
          replayObserver(env, { file: 'x.replay', seed, scenario, model, out }),
      });
      const { header } = decodeReplay(out[0]!.bytes);
      expect(header.model).toEqual({
        name: algo,
        run: 'runs/x',
        checkpoint: 'runs/x/checkpoints/latest',
        update: 7,
        deterministic: true,
      });
    }
  });

  it('is what every recorder of a trained policy uses: no model name is written by hand', () => {
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
      );
    const handWritten = sources(join(REPOSITORY_ROOT, 'src', 'main')).filter((file) =>
      /name: 'steer'/.test(readFileSync(file, 'utf8')),
    );
    expect(handWritten).toEqual([]);
  });
});
