/**
 * Turning validation issues into the lines the CLI and UI print:
 * `<file>: <field path>: <what was expected, what was found>`.
 */
import type { z } from 'zod';

/** A field path as JavaScript would write it: `tensors[3].shape`, `meta["odd key"]`; '' for the root. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** One `path: message` line per zod issue (just `message` for an issue at the root). */
export function zodIssueLines(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = formatIssuePath(issue.path);
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
}
