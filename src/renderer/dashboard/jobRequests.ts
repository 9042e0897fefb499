/**
 * The job form as data: the choices of "Train on" (`jobs.options`: scenario files, then registry
 * envs) and of "Algorithm" (`jobs.options`: the registry's algorithms, each with its summary), and
 * the `jobs.start` / `jobs.resume` requests made from what the form holds. Empty fields
 * are left out, so the host's defaults apply (docs/app.md "Training dashboard"). Plain TypeScript,
 * no DOM: unit-tested on its own (test/unit/renderer/dashboard/jobRequests.test.ts).
 */
import type { ApiRequest, ApiResponse } from '../../shared/api/contract.js';

/** The form's fields as the user left them (the values of its controls). */
export interface JobFormValues {
  /** "scenario:<path>" or "env:<registry name>" (a name may hold colons: "env:matrix:penalty0"). */
  readonly source: string;
  /** An algorithm's registry name ("steer", "mappo", …); "" before the host listed them. */
  readonly algo: string;
  readonly seed: string;
  readonly updates: string;
  readonly runId: string;
  /** A backend name, or "auto". */
  readonly backend: string;
}

/** A backend a job may ask for ("auto" included). */
type JobBackend = NonNullable<ApiRequest<'jobs.resume'>['backend']>;

/** One group of the "Train on" select: its label and its options as [text, value]. */
export interface SourceGroup {
  readonly label: string;
  readonly options: readonly (readonly [text: string, value: string])[];
}

/** The scenario the form picks at first when it is listed. */
const PREFERRED_SCENARIO = 'scenarios/horm-easy.json';

/** The "Train on" choices and the one selected at first (the HORM-easy scenario, else the first choice). */
export function sourceChoices(options: ApiResponse<'jobs.options'>): {
  groups: SourceGroup[];
  initial: string;
} {
  const groups: SourceGroup[] = [
    {
      label: 'Scenario files (HORM)',
      options: options.scenarios.map((s) => [`${s.name} — ${s.path}`, `scenario:${s.path}`] as const),
    },
    { label: 'Registry envs', options: options.envs.map((name) => [name, `env:${name}`] as const) },
  ];
  const preferred = options.scenarios.find((s) => s.path === PREFERRED_SCENARIO);
  const first = groups.flatMap((g) => g.options)[0]?.[1] ?? '';
  return { groups, initial: preferred !== undefined ? `scenario:${preferred.path}` : first };
}

/** One choice of the "Algorithm" select: the registry name, shown and sent, and its one-line summary as the hint. */
export interface AlgorithmChoice {
  readonly name: string;
  readonly summary: string;
}

/** The algorithm the form picks at first: STEER, the app's own, when the host lists it. */
const PREFERRED_ALGORITHM = 'steer';

/** The "Algorithm" choices in the host's (the registry's) order, and the one selected at first (steer, else the first). */
export function algorithmChoices(options: ApiResponse<'jobs.options'>): {
  choices: AlgorithmChoice[];
  initial: string;
} {
  const choices = options.algorithms.map(({ name, summary }) => ({ name, summary }));
  const preferred = choices.some((c) => c.name === PREFERRED_ALGORITHM);
  return { choices, initial: preferred ? PREFERRED_ALGORITHM : (choices[0]?.name ?? '') };
}

/** The hint under the select: the summary of algorithm `name`, "" for a name not listed. */
export function algorithmHint(choices: readonly AlgorithmChoice[], name: string): string {
  return choices.find((c) => c.name === name)?.summary ?? '';
}

/**
 * The `jobs.start` request for the form's values (algorithm, seed, updates and run id only when
 * given; the algorithm is always given once the host listed them).
 */
export function jobStartRequest(values: JobFormValues): ApiRequest<'jobs.start'> {
  const [kind, ...rest] = values.source.split(':');
  const value = rest.join(':');
  const request: Record<string, unknown> = kind === 'scenario' ? { scenario: value } : { env: value };
  if (values.algo !== '') request.algo = values.algo;
  if (values.seed !== '') request.seed = Number(values.seed);
  if (values.updates !== '') request.updates = Number(values.updates);
  if (values.runId.trim() !== '') request.runId = values.runId.trim();
  request.backend = values.backend;
  return request as ApiRequest<'jobs.start'>;
}

/**
 * The `jobs.resume` request for run `runId` with the form's backend: "auto" there is no choice, so
 * the run goes on on its own backend (jobs.resume's default), never silently on another one; a
 * named backend switches it.
 */
export function jobResumeRequest(runId: string, backend: string): ApiRequest<'jobs.resume'> {
  return backend === 'auto' ? { runId } : { runId, backend: backend as JobBackend };
}
