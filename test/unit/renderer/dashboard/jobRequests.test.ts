/**
 * The job form as data (src/renderer/dashboard/jobRequests.ts), on the choices the host offers (the
 * bundled scenario files, the env registry, the algorithm registry, the backends): every choice
 * makes a request the API contract accepts, the chosen algorithm is sent as jobs.start's `algo`
 * and its summary is the hint, empty fields are left to the host's defaults, and a resume with
 * "auto" keeps the run on its own backend.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALGORITHM_NAMES, algorithmNamed } from '../../../../src/core/algos/registry.js';
import { listEnvNames } from '../../../../src/core/envs/registry.js';
import { AUTO_BACKEND, BACKEND_NAMES } from '../../../../src/core/nn/backend.js';
import {
  algorithmChoices,
  algorithmHint,
  type JobFormValues,
  jobResumeRequest,
  jobStartRequest,
  sourceChoices,
} from '../../../../src/renderer/dashboard/jobRequests.js';
import { API_METHODS, type ApiResponse } from '../../../../src/shared/api/contract.js';

const scenarioDir = new URL('../../../../scenarios/', import.meta.url);

/** `jobs.options` as the host answers it for this repository. */
const OPTIONS: ApiResponse<'jobs.options'> = API_METHODS['jobs.options'].response.parse({
  scenarios: readdirSync(scenarioDir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => ({
      path: `scenarios/${name}`,
      name: (JSON.parse(readFileSync(new URL(name, scenarioDir), 'utf8')) as { name: string }).name,
    })),
  envs: listEnvNames(),
  algorithms: ALGORITHM_NAMES.map((name) => ({ name, summary: algorithmNamed(name).summary })),
  backends: [AUTO_BACKEND, ...BACKEND_NAMES],
});

const startSchema = API_METHODS['jobs.start'].request;
const resumeSchema = API_METHODS['jobs.resume'].request;
const blank: JobFormValues = { source: '', algo: '', seed: '', updates: '', runId: '', backend: 'auto' };

describe('sourceChoices', () => {
  it('lists every scenario file, then every registry env, and starts on HORM easy', () => {
    const { groups, initial } = sourceChoices(OPTIONS);
    expect(groups.map((g) => g.label)).toEqual(['Scenario files (HORM)', 'Registry envs']);
    expect(groups[0]!.options.map(([, value]) => value)).toEqual(
      OPTIONS.scenarios.map((s) => `scenario:${s.path}`),
    );
    expect(groups[1]!.options.map(([, value]) => value)).toEqual(OPTIONS.envs.map((e) => `env:${e}`));
    // Each scenario is shown by its name and its path.
    for (const [[text], s] of groups[0]!.options.map((o, i) => [o, OPTIONS.scenarios[i]!] as const)) {
      expect(text).toContain(s.name);
      expect(text).toContain(s.path);
    }
    expect(initial).toBe('scenario:scenarios/horm-easy.json');
  });

  it('without HORM easy starts on the first choice, and on nothing without choices', () => {
    const others = OPTIONS.scenarios.filter((s) => s.path !== 'scenarios/horm-easy.json');
    expect(sourceChoices({ ...OPTIONS, scenarios: others }).initial).toBe(`scenario:${others[0]!.path}`);
    expect(sourceChoices({ ...OPTIONS, scenarios: [] }).initial).toBe(`env:${OPTIONS.envs[0]}`);
    expect(sourceChoices({ ...OPTIONS, scenarios: [], envs: [] }).initial).toBe('');
  });
});

describe('algorithmChoices', () => {
  it('lists every algorithm of the registry in its order, each with its own summary, and starts on steer', () => {
    const { choices, initial } = algorithmChoices(OPTIONS);
    expect(choices.map((c) => c.name)).toEqual([...ALGORITHM_NAMES]);
    expect(choices.map((c) => c.name)).toEqual(expect.arrayContaining(['steer', 'mappo']));
    for (const { name, summary } of choices) {
      expect(summary).toBe(algorithmNamed(name).summary);
      expect(summary.length).toBeGreaterThan(0);
      expect(algorithmHint(choices, name)).toBe(summary);
    }
    // the summaries tell the algorithms apart: a hint that showed one for all would fail here
    expect(new Set(choices.map((c) => c.summary)).size).toBe(choices.length);
    expect(initial).toBe('steer');
  });

  it('without steer starts on the first algorithm, on nothing without any; an unlisted name has no hint', () => {
    const others = OPTIONS.algorithms.filter((a) => a.name !== 'steer');
    expect(algorithmChoices({ ...OPTIONS, algorithms: others }).initial).toBe(others[0]!.name);
    expect(algorithmChoices({ ...OPTIONS, algorithms: [] })).toEqual({ choices: [], initial: '' });
    expect(algorithmHint(algorithmChoices(OPTIONS).choices, 'nope')).toBe('');
  });
});

describe('jobStartRequest', () => {
  it('every choice, with every backend, makes a request the contract accepts: exactly one of env and scenario', () => {
    const { groups } = sourceChoices(OPTIONS);
    for (const [, source] of groups.flatMap((g) => g.options)) {
      for (const backend of OPTIONS.backends) {
        const request = jobStartRequest({ ...blank, source, backend });
        const parsed = startSchema.safeParse(request);
        expect(parsed.success, `${source} ${backend}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
        expect([request.env, request.scenario].filter((v) => v !== undefined)).toEqual([
          source.slice(source.indexOf(':') + 1),
        ]);
      }
    }
  });

  it('sends every listed algorithm as `algo`, which the contract accepts; none before the host listed them', () => {
    for (const { name } of algorithmChoices(OPTIONS).choices) {
      const request = jobStartRequest({ ...blank, source: 'env:matrix:penalty0', algo: name });
      expect(request.algo).toBe(name);
      expect(startSchema.parse(request).algo).toBe(name);
    }
    expect('algo' in jobStartRequest({ ...blank, source: 'env:matrix:penalty0' })).toBe(false);
  });

  it("keeps an env name's own colons", () => {
    expect(jobStartRequest({ ...blank, source: 'env:matrix:penalty0' })).toEqual({
      env: 'matrix:penalty0',
      backend: 'auto',
    });
  });

  it("leaves empty fields out (the host's defaults apply) and sends typed ones as numbers and a trimmed id", () => {
    const request = jobStartRequest({
      source: 'env:matrix:penalty0',
      algo: 'mappo',
      seed: '7',
      updates: '40',
      runId: '  e2e-matrix ',
      backend: 'cpu',
    });
    expect(request).toEqual({
      env: 'matrix:penalty0',
      algo: 'mappo',
      seed: 7,
      updates: 40,
      runId: 'e2e-matrix',
      backend: 'cpu',
    });
    expect(startSchema.safeParse(request).success).toBe(true);
    expect(Object.keys(jobStartRequest({ ...blank, source: 'scenario:scenarios/horm-easy.json' }))).toEqual([
      'scenario',
      'backend',
    ]);
  });

  it('passes a bad value on, so the host refuses it naming the field', () => {
    const request = jobStartRequest({ ...blank, source: 'env:matrix:penalty0', seed: '-1' });
    const parsed = startSchema.safeParse(request);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((issue) => issue.path.join('.'))).toEqual(['seed']);
  });
});

describe('jobResumeRequest', () => {
  it('"auto" names no backend (the run keeps its own); a named backend switches it', () => {
    expect(jobResumeRequest('horm-easy', 'auto')).toEqual({ runId: 'horm-easy' });
    for (const backend of BACKEND_NAMES) {
      const request = jobResumeRequest('horm-easy', backend);
      expect(request).toEqual({ runId: 'horm-easy', backend });
      expect(resumeSchema.safeParse(request).success).toBe(true);
    }
  });
});
