/**
 * The MuJoCo engine's loader (src/core/envs/mujoco/mujocoModule.ts): one module per thread, and one
 * clear MujocoModelError naming the model for each way MuJoCo refuses MJCF.
 */
import { describe, expect, it } from 'vitest';
import {
  compileModel,
  loadedMujoco,
  loadMujoco,
  MujocoModelError,
} from '../../../../../src/core/envs/mujoco/index.js';

const TINY = `<mujoco><worldbody><body><joint type="hinge"/><geom size="0.1"/></body></worldbody></mujoco>`;

describe('MuJoCo module', () => {
  it('loads once per thread: MuJoCo 3.3.8, the same module on every call', async () => {
    const module = await loadMujoco();
    expect(await loadMujoco()).toBe(module);
    expect(loadedMujoco()).toBe(module);
    expect(module.mj_versionString()).toBe('3.3.8');
  });

  it('compiles MJCF text and leaves no file behind', async () => {
    const module = await loadMujoco();
    const model = compileModel(module, TINY, 'tiny');
    try {
      expect(model.nq).toBe(1);
      expect(module.FS.readdir('/models')).toEqual(['.', '..']);
    } finally {
      model.delete();
    }
  });

  it('names the model and the parser message for an XML syntax error', async () => {
    const module = await loadMujoco();
    const broken = () => compileModel(module, '<mujoco><worldbody>', 'broken.xml');
    expect(broken).toThrow(MujocoModelError);
    expect(broken).toThrow(/^broken\.xml: MJCF did not load: .*XML/i);
  });

  it('names the model for a schema error (MuJoCo says no more than mjXError)', async () => {
    const module = await loadMujoco();
    const global = TINY.replace('<mujoco>', '<mujoco><compiler coordinate="global"/>');
    expect(() => compileModel(module, global, 'hopper.xml')).toThrow(/^hopper\.xml: MJCF rejected by MuJoCo/);
    // the module is still usable afterwards
    compileModel(module, TINY, 'tiny').delete();
  });
});
