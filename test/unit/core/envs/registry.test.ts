/** The env registry: names, aliases and errors (docs/spec/steer.md §c.1–§c.4). */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bridgedEnvRequest,
  canonicalEnvName,
  listEnvNames,
  makeEnv,
  prepareEnv,
} from '../../../../src/core/envs/registry.js';

describe('env registry', () => {
  beforeAll(async () => {
    await prepareEnv('mujoco:HalfCheetah-6x1'); // loads the MuJoCo engine for the mujoco names
  });

  it('lists every single-step game of §c.2 (with the extras) and both multi-step games of §c.3', () => {
    const names = listEnvNames();
    expect(names).toContain('matrix:penalty0');
    expect(names).toContain('matrix:penalty-100');
    expect(names).toContain('matrix:penalty-1000');
    expect(names).toContain('matrix:penalty-10000');
    expect(names).toContain('matrix:penalty');
    expect(names).toContain('matrix:different_order');
    expect(names).toContain('matrix:matching_pennies_3');
    expect(names).toContain('nstep:coordination');
    expect(names).toContain('nstep:cooperation');
    expect(names).toContain('cont:target');
    expect(names).toContain('mujoco:HalfCheetah-6x1');
    expect(names).toContain('mujoco:manyagent_ant-2x3');
    // 22 reference games + 2 extras + 2 multi-step games + 3 HORM densities + 1 continuous-action game
    // + 16 MA-MuJoCo partitions + 2 PettingZoo envs (the bridge's tested ones)
    expect(names).toContain('pettingzoo:mpe:simple_spread_v3');
    expect(names).toHaveLength(48);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(listEnvNames().filter((name) => bridgedEnvRequest(name) === null))(
    '%s builds an env whose spec.name is its registry name',
    (name) => {
      const env = makeEnv(name);
      expect(env.spec.name).toBe(name);
      const start = env.reset(0);
      expect(start.obs).toHaveLength(env.spec.numAgents * env.spec.obsDim);
      expect(start.state).toHaveLength(env.spec.stateDim);
      expect(canonicalEnvName(name)).toBe(name);
      env.close?.();
    },
  );

  it('gives the canonical name without building the env, with the same errors as makeEnv', () => {
    expect(canonicalEnvName('matrix:penalty-0')).toBe('matrix:penalty0');
    expect(canonicalEnvName('mujoco:Ant-4x2-k2')).toBe('mujoco:Ant-4x2-k2');
    expect(() => canonicalEnvName('mujoco:Ant-3x3')).toThrow(/mujoco:Ant-3x3: .*3x3/);
    expect(() => canonicalEnvName('mujoco:Robot-2x3')).toThrow(/Unknown env "mujoco:Robot-2x3"/);
  });

  it('names PettingZoo envs (built behind the bridge, not here): module, env and sorted kwargs', () => {
    expect(bridgedEnvRequest('pettingzoo:mpe:simple_spread_v3?N=4&continuous_actions=true')).toEqual({
      family: 'pettingzoo',
      module: 'mpe',
      env: 'simple_spread_v3',
      kwargs: { N: 4, continuous_actions: true },
    });
    expect(canonicalEnvName('pettingzoo:mpe:simple_spread_v3?max_cycles=50&N=4&local_ratio=0.5')).toBe(
      'pettingzoo:mpe:simple_spread_v3?N=4&local_ratio=0.5&max_cycles=50',
    );
    expect(bridgedEnvRequest('matrix:penalty0')).toBeNull();
    expect(() => makeEnv('pettingzoo:mpe:simple_spread_v3')).toThrow(/runs in a Python server/);
    for (const bad of [
      'pettingzoo:mpe',
      'pettingzoo:mpe:simple-spread',
      'pettingzoo:mpe:x?N',
      'pettingzoo:a:b?N=1&N=2',
    ]) {
      expect(() => canonicalEnvName(bad), bad).toThrow(`${bad}: `);
    }
    expect(() => canonicalEnvName('pettingzoo:mpe')).toThrow(/expected pettingzoo:<module>:<env>/);
    expect(() => bridgedEnvRequest('pettingzoo:mpe:x?N=a b')).toThrow(/the value of N \("a b"\)/);
    expect(() => canonicalEnvName('pettingzoo:a:b?N=1&N=2')).toThrow('"N" is given twice');
  });

  it('accepts the aliases and reports the canonical name', () => {
    expect(makeEnv('matrix:penalty-0').spec.name).toBe('matrix:penalty0');
    expect(makeEnv('matrix:mixing').spec.name).toBe('matrix:different_order');
  });

  it.each([
    'matrix:nope',
    'nstep:penalty0',
    'matrix:coordination',
    'penalty-100',
    'horm:easy',
    'cont:follow',
    '',
    'matrix:',
  ])('refuses %j and lists the valid names', (name) => {
    expect(() => makeEnv(name)).toThrow(`Unknown env "${name}"`);
    expect(() => makeEnv(name)).toThrow(/Valid names: .*matrix:penalty-100.*nstep:cooperation/);
    expect(() => makeEnv(name)).toThrow(/matrix:mixing → matrix:different_order/);
  });
});
