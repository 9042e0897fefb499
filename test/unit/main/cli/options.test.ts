import { describe, expect, it } from 'vitest';
import { formatJointActions, formatNumber } from '../../../../src/main/cli/format.js';
import { shellQuote } from '../../../../src/main/cli/invocation.js';
import { integerAtLeast, parseSetOverrides, parseSetValue } from '../../../../src/main/cli/options.js';

describe('parseSetOverrides', () => {
  it('reads numbers, booleans, null and enum text, each validated by the config schema', () => {
    expect(
      parseSetOverrides([
        'ppoEpochs=10',
        'totalEnvSteps=10_000',
        'lr=1e-3',
        'linearLrDecay=true',
        'maxGradNorm=null',
        'valueLoss=mse',
      ]),
    ).toEqual({
      ppoEpochs: 10,
      totalEnvSteps: 10_000,
      lr: 1e-3,
      linearLrDecay: true,
      maxGradNorm: null,
      valueLoss: 'mse',
    });
  });

  it('refuses unknown keys, the seed, bad values and missing "="', () => {
    expect(() => parseSetOverrides(['epochs=3'])).toThrow(
      /unknown training config key "epochs"; valid keys: .*ppoEpochs/,
    );
    expect(() => parseSetOverrides(['seed=3'])).toThrow(/use --seed/);
    expect(() => parseSetOverrides(['ppoEpochs=0'])).toThrow(/--set ppoEpochs=0: ppoEpochs: /);
    expect(() => parseSetOverrides(['ppoEpochs=2.5'])).toThrow(/ppoEpochs/);
    expect(() => parseSetOverrides(['valueLoss=l1'])).toThrow(/valueLoss/);
    expect(() => parseSetOverrides(['=3'])).toThrow(/expected key=value/);
  });

  it('keeps text that is not a number as text', () => {
    expect(parseSetValue(' 12 ')).toBe(12);
    expect(parseSetValue('.5')).toBe(0.5);
    expect(parseSetValue('1e')).toBe('1e');
    expect(parseSetValue('huber')).toBe('huber');
  });
});

describe('integerAtLeast', () => {
  it('accepts integers from the minimum, refuses the rest', () => {
    const parse = integerAtLeast(1);
    expect(parse('20')).toBe(20);
    expect(parse('1_000')).toBe(1000);
    expect(() => parse('0')).toThrow(/integer ≥ 1/);
    expect(() => parse('2.5')).toThrow(/integer ≥ 1/);
    expect(() => parse('x')).toThrow(/integer ≥ 1/);
  });
});

describe('formatting', () => {
  it('folds repeated joint actions', () => {
    const path = [...Array.from({ length: 9 }, () => [0, 0]), [2, 0]];
    expect(formatJointActions(path)).toBe('(0,0)×9 (2,0)');
    expect(formatJointActions([[0, 2]])).toBe('(0,2)');
  });

  it('prints continuous joint actions to 3 decimals', () => {
    expect(formatJointActions([[0.49987, -0.5, -0.123456, 1]])).toBe('(0.5,-0.5,-0.123,1)');
  });

  it('prints numbers briefly', () => {
    expect(formatNumber(10)).toBe('10');
    expect(formatNumber(9.87654)).toBe('9.877');
    expect(formatNumber(Number.NaN)).toBe('–');
  });

  it('quotes shell arguments only when needed', () => {
    expect(shellQuote('--games')).toBe('--games');
    expect(shellQuote('penalty0,penalty-100')).toBe('penalty0,penalty-100');
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });
});
