/** Looking tasks up by scenario and partition label, and the MJCF writer the models share. */
import { describe, expect, it } from 'vitest';
import {
  formatNumber,
  MUJOCO_SCENARIOS,
  manyagentSegments,
  mjcf,
  mujocoTask,
  renderMjcf,
} from '../../../../../src/core/envs/mujoco/tasks/index.js';

describe('mujocoTask', () => {
  it('builds every listed scenario under its own name', () => {
    for (const scenario of MUJOCO_SCENARIOS) expect(mujocoTask(scenario, '2x2').scenario).toBe(scenario);
  });

  it('refuses an unknown scenario and lists the valid ones', () => {
    expect(() => mujocoTask('Humanoid-v2', '9|8')).toThrow(
      'unknown MuJoCo scenario "Humanoid-v2"; expected one of: HalfCheetah-v2, Ant-v2, Hopper-v2, Walker2d-v2, Swimmer-v2, manyagent_swimmer, manyagent_ant',
    );
  });

  it('reads s = N·M segments from a manyagent "NxM" label and refuses anything else', () => {
    expect(manyagentSegments('manyagent_ant', '2x3')).toBe(6);
    expect(manyagentSegments('manyagent_swimmer', '10x2')).toBe(20);
    for (const bad of ['2x', 'x3', '2*3', '0x3', '2x3x1', '', '2 x 3', '-1x2']) {
      expect(() => mujocoTask('manyagent_ant', bad)).toThrow(/manyagent_ant: agent_conf must be "NxM"/);
    }
    expect(() => mujocoTask('manyagent_swimmer', '1x1')).toThrow(/at least 2 segments/);
    expect(mujocoTask('manyagent_ant', '1x1').sizes.nbody).toBe(8);
  });

  it('ignores the partition label for the single-agent models', () => {
    expect(mujocoTask('HalfCheetah-v2', 'anything').xml).toBe(mujocoTask('HalfCheetah-v2', '6x1').xml);
  });

  it('writes local coordinates and an explicit arena into every model', () => {
    for (const scenario of MUJOCO_SCENARIOS) {
      const { xml } = mujocoTask(scenario, '2x2');
      expect(xml).toContain('coordinate="local"');
      expect(xml).not.toContain('global');
      expect(xml).toMatch(/<size memory="\d+[KM]"\/>/);
    }
  });
});

describe('MJCF writer', () => {
  it('formats numbers as short decimals, never -0 or float noise', () => {
    expect(formatNumber(1.05 - 1.25)).toBe('-0.2');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(150)).toBe('150');
    expect(formatNumber(1e-4)).toBe('0.0001');
    expect(() => formatNumber(Number.NaN)).toThrow('MJCF: expected a finite number, received NaN');
  });

  it('renders nested elements, vectors, flags and skips undefined attributes', () => {
    const xml = renderMjcf(
      mjcf('body', { name: 'a&b', pos: [0, -0, 0.5] }, [
        mjcf('joint', { limited: true, range: undefined }),
        mjcf('geom', { size: [0.1] }),
      ]),
    );
    expect(xml).toBe(
      '<body name="a&amp;b" pos="0 0 0.5">\n  <joint limited="true"/>\n  <geom size="0.1"/>\n</body>\n',
    );
  });
});
