/**
 * Problems with a sweep file, located as the scenario files' are: a field path (`algos[2]`,
 * `overrides.ppoEpochs`, `(root)`) and what was expected and what was found, printed one per line as
 * `<file>: <path>: <message>` (formatIssues of src/core/scenario).
 */
import type { z } from 'zod';
import { formatIssuePath, formatIssues } from '../../core/scenario/index.js';

/** One problem with a sweep file. */
export interface SweepIssue {
  /** Where: a field path such as `scenarios[0].density`, or `(root)`; '' for the file itself. */
  readonly path: string;
  /** What was expected and what was found. */
  readonly message: string;
}

/** A sweep file that cannot be used; `lines` are its problems, one `file: path: message` each. */
export class SweepFileError extends Error {
  override readonly name = 'SweepFileError';

  constructor(
    readonly file: string,
    readonly issues: readonly SweepIssue[],
  ) {
    super(formatIssues(file, issues).join('\n'));
  }

  /** One line per problem. */
  get lines(): string[] {
    return formatIssues(this.file, this.issues);
  }
}

/** An issue at `path` (keys and indices). */
export function issueAt(path: readonly PropertyKey[], message: string): SweepIssue {
  return { path: formatIssuePath(path), message };
}

/** zod's issues as sweep issues: one per unknown key (zod lists them in one), as scenario files do. */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[]): SweepIssue[] {
  const out = issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => issueAt([...issue.path, key], `unknown field "${key}"; ${issue.message}`))
      : [issueAt(issue.path, issue.message)],
  );
  const seen = new Set<string>();
  return out.filter((issue) => {
    const key = `${issue.path}\n${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
