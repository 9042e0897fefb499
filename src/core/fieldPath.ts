/**
 * A path into a JSON value as JavaScript would write it: `traffic.vehicles[3].positionM`,
 * `meta["odd key"]`; '' for the value itself. Every message that names a field of a file or a
 * request writes its path this way.
 */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}
