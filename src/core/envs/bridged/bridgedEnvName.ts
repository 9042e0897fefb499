/**
 * Names of the env families that run in Python servers behind the bridge
 * (docs/envs/bridge.md): `pettingzoo:<module>:<env>[?key=value&…]`, e.g.
 * `pettingzoo:mpe:simple_spread_v3` or `pettingzoo:mpe:simple_spread_v3?N=4&continuous_actions=true`.
 * Parsing is pure and platform-free; building the envs is the Node side's job (src/main/bridge/).
 */

export const PETTINGZOO_ENV_PREFIX = 'pettingzoo';

/** A constructor argument's value: what the query string can carry. */
export type BridgedKwarg = number | boolean | string;

/** What the Python server needs to build the env (docs/envs/bridge-protocol.md `make`). */
export interface BridgedEnvRequest {
  /** The server's env family. */
  readonly family: 'pettingzoo';
  /** PettingZoo's submodule: "mpe", "sisl", "butterfly", "classic", … */
  readonly module: string;
  /** The env's module name in it, with its version: "simple_spread_v3". */
  readonly env: string;
  /** Arguments of `parallel_env(**kwargs)`, keys sorted. */
  readonly kwargs: Readonly<Record<string, BridgedKwarg>>;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses the game part of `pettingzoo:<game>` ("mpe:simple_spread_v3?N=4"); throws an Error that
 * names the part that is wrong and shows the expected shape.
 */
export function parsePettingZooGame(game: string): BridgedEnvRequest {
  const name = `${PETTINGZOO_ENV_PREFIX}:${game}`;
  const shape = 'expected pettingzoo:<module>:<env>[?key=value&…], e.g. pettingzoo:mpe:simple_spread_v3';
  const query = game.indexOf('?');
  const path = query < 0 ? game : game.slice(0, query);
  const parts = path.split(':');
  if (parts.length !== 2) throw new Error(`${name}: ${shape}`);
  const [module, env] = parts as [string, string];
  for (const [what, value] of [
    ['module', module],
    ['env', env],
  ] as const) {
    if (!IDENTIFIER.test(value))
      throw new Error(`${name}: the ${what} "${value}" is not a Python name; ${shape}`);
  }
  const kwargs: Record<string, BridgedKwarg> = {};
  if (query >= 0) {
    for (const pair of game.slice(query + 1).split('&')) {
      const eq = pair.indexOf('=');
      const key = eq < 0 ? pair : pair.slice(0, eq);
      if (eq < 0 || !IDENTIFIER.test(key)) {
        throw new Error(`${name}: "${pair}" is not key=value with a Python name as key; ${shape}`);
      }
      if (Object.hasOwn(kwargs, key)) throw new Error(`${name}: "${key}" is given twice`);
      kwargs[key] = parseKwarg(name, key, pair.slice(eq + 1));
    }
  }
  const sorted = Object.fromEntries(Object.entries(kwargs).sort(([a], [b]) => (a < b ? -1 : 1)));
  return { family: 'pettingzoo', module, env, kwargs: sorted };
}

/** The canonical game of a request: kwargs sorted, booleans lower-case, numbers as JavaScript prints them. */
export function formatPettingZooGame(request: BridgedEnvRequest): string {
  const pairs = Object.entries(request.kwargs).map(([k, v]) => `${k}=${String(v)}`);
  return `${request.module}:${request.env}${pairs.length > 0 ? `?${pairs.join('&')}` : ''}`;
}

/** The canonical registry name of a PettingZoo env name. */
export function canonicalPettingZooGame(game: string): string {
  return formatPettingZooGame(parsePettingZooGame(game));
}

function parseKwarg(name: string, key: string, text: string): BridgedKwarg {
  if (text === 'true' || text === 'True') return true;
  if (text === 'false' || text === 'False') return false;
  if (/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(text)) return Number(text);
  if (/^[A-Za-z0-9_.-]+$/.test(text)) return text;
  throw new Error(`${name}: the value of ${key} ("${text}") is not a number, true/false or a plain word`);
}
