/**
 * An error as the window shows it: the host's messages are written for API callers
 * ("jobs.start: request.seed: Too small: expected number to be >=0", "resume it (jobs.resume)"),
 * so the method prefix, method names in parentheses and the request's field paths are turned into
 * the words of the form ("Seed: must be at least 0"). What the host says about files, scenarios
 * and runs is kept as it is. Plain TypeScript, no DOM.
 */
import { API_METHOD_NAMES } from '../../shared/api/contract.js';

/** The contract's method names as a regular expression ("jobs\.start|jobs\.resume|…"). */
const METHODS = API_METHOD_NAMES.map((name) => name.replace('.', '\\.')).join('|');
/** "jobs.start: " at the start of a message: the API method that answered (not "mine.json: "). */
const METHOD_PREFIX = new RegExp(`^(?:${METHODS}): `);
/** " (jobs.resume)": a method named for API callers. */
const METHOD_MENTION = new RegExp(` \\((?:${METHODS})\\)`, 'g');
/** "request.seed: …": one issue of a refused request. */
const REQUEST_ISSUE = /^request\.([\w.[\]]+): (.*)$/;

/** How the forms name a request's fields. */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  algo: 'Algorithm',
  backend: 'Backend',
  checkpointEvery: 'Checkpoint every',
  env: 'Train on',
  episodes: 'Episodes',
  model: 'Model',
  runId: 'Run id',
  scenario: 'Scenario',
  seed: 'Seed',
  updates: 'Updates',
};

/** zod's own wording, in plain words. */
const PLAIN_WORDING: readonly (readonly [RegExp, string])[] = [
  [/^Too small: expected number to be >=(\S+)$/, 'must be at least $1'],
  [/^Too small: expected number to be >(\S+)$/, 'must be more than $1'],
  [/^Too big: expected number to be <=(\S+)$/, 'must be at most $1'],
  [/^Too big: expected number to be <(\S+)$/, 'must be less than $1'],
  [/^Too small: expected string to have >=(\d+) characters?$/, 'must have at least $1 characters'],
  [/^Too big: expected string to have <=(\d+) characters?$/, 'must have at most $1 characters'],
  [/^Invalid input: expected int, received number$/, 'must be a whole number'],
  [/^Invalid input: expected (int|number), received (\w+)$/, 'must be a number'],
];

/** One issue "request.seed: Too small: …" as "Seed: must be at least 0"; other text unchanged. */
function plainIssue(issue: string): string {
  const match = REQUEST_ISSUE.exec(issue);
  if (match === null) return issue;
  const [, path, text] = match as unknown as [string, string, string];
  let wording = text;
  for (const [pattern, plain] of PLAIN_WORDING) {
    if (pattern.test(text)) {
      wording = text.replace(pattern, plain);
      break;
    }
  }
  return `${FIELD_LABELS[path] ?? path}: ${wording}`;
}

/** The message of `error` for the window (see the file comment). */
export function userMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const text = raw.replace(METHOD_PREFIX, '').replace(METHOD_MENTION, '');
  return text.split('; ').map(plainIssue).join('; ');
}
