/**
 * Parsing of option values shared by the commands: integers, comma lists and `--set key=value`
 * training-config overrides (validated field by field against the config schema, so a typo is
 * named rather than ignored).
 */
import { InvalidArgumentError } from 'commander';
import type { z } from 'zod';
import { type TrainConfig, TrainConfigSchema } from '../../core/algos/config.js';
import { CliError } from './errors.js';

/** Commander parser for an integer ≥ `min`. */
export function integerAtLeast(min: number): (value: string) => number {
  return (value) => {
    const trimmed = value.trim().replaceAll('_', '');
    const n = /^[+-]?\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(`expected an integer ≥ ${min}, received "${value}"`);
    }
    return n;
  };
}

/**
 * Commander parser for an integer in [`min`, `max`] (max: a bound of TRAIN_LIMITS); above it:
 * "expected at most 100000, received 200000".
 */
export function integerInRange(min: number, max: number): (value: string) => number {
  const atLeast = integerAtLeast(min);
  return (value) => {
    const n = atLeast(value);
    if (n > max) throw new InvalidArgumentError(`expected at most ${max}, received ${n}`);
    return n;
  };
}

/** Commander collector for a repeatable option (`--set a=1 --set b=2`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Splits "a,b , c" into ["a", "b", "c"]. */
export function commaList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** Training-config keys `--set` may change; the seed has its own option. */
export function settableConfigKeys(): string[] {
  return Object.keys(TrainConfigSchema.shape).filter((key) => key !== 'seed');
}

/**
 * Reads one `--set` value: true/false/null, a number (underscores allowed: 10_000), else the text
 * itself (for enum fields such as valueLoss=mse).
 */
export function parseSetValue(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  if (trimmed === 'null') return null;
  const numeric = trimmed.replaceAll('_', '');
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(numeric)) return Number(numeric);
  return trimmed;
}

/**
 * Turns `--set key=value` strings into config overrides, each key checked against the training
 * config schema. Throws a CliError naming the argument, the key or the expected value.
 */
export function parseSetOverrides(items: readonly string[]): Partial<TrainConfig> {
  const shape: Record<string, z.ZodType> = TrainConfigSchema.shape;
  const overrides: Record<string, unknown> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    const key = eq < 0 ? '' : item.slice(0, eq).trim();
    if (key === '') throw new CliError(`--set ${item}: expected key=value, e.g. --set ppoEpochs=10`);
    if (key === 'seed') throw new CliError(`--set ${item}: the seed has its own option; use --seed`);
    if (!Object.hasOwn(shape, key)) {
      throw new CliError(
        `--set ${item}: unknown training config key "${key}"; valid keys: ${settableConfigKeys().join(', ')}`,
      );
    }
    const value = parseSetValue(item.slice(eq + 1));
    const parsed = shape[key]!.safeParse(value);
    if (!parsed.success) {
      const reason = parsed.error.issues.map((issue) => issue.message).join('; ');
      throw new CliError(`--set ${item}: ${key}: ${reason}`);
    }
    overrides[key] = parsed.data;
  }
  return overrides as Partial<TrainConfig>;
}
