/** The renderer worker's drawing cap on software WebGL (drawPacing.ts). */
import { describe, expect, it } from 'vitest';
import {
  DrawPacer,
  isSoftwareRenderer,
  maxDrawFps,
  SOFTWARE_WEBGL_MAX_FPS,
} from '../../../../src/renderer/scene/drawPacing.js';

/** Draws a pacer allows over `seconds` of animation frames at `hz`, with ±`jitter` ms on each. */
function drawsPerSecond(pacer: DrawPacer, hz: number, seconds: number, jitter = 0): number {
  let draws = 0;
  const frames = Math.round(hz * seconds);
  for (let i = 0; i < frames; i++) {
    const now = (i * 1000) / hz + (i % 2 === 0 ? jitter : -jitter);
    if (pacer.due(now)) {
      pacer.drew(now);
      draws++;
    }
  }
  return draws / seconds;
}

describe('isSoftwareRenderer / maxDrawFps', () => {
  it('knows the CPU-only renderers by name', () => {
    const software = [
      'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
      'Google SwiftShader',
      'llvmpipe (LLVM 15.0.6, 256 bits)',
      'ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0, D3D11)',
    ];
    for (const name of software) {
      expect(isSoftwareRenderer(name), name).toBe(true);
      expect(maxDrawFps(name)).toBe(SOFTWARE_WEBGL_MAX_FPS);
    }
  });

  it('leaves GPUs uncapped', () => {
    const gpus = [
      'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)',
      'ANGLE (Apple, ANGLE Metal Renderer: Apple M2, Unspecified Version)',
      'Mesa Intel(R) UHD Graphics 620 (KBL GT2)',
      'WebKit WebGL',
    ];
    for (const name of gpus) {
      expect(isSoftwareRenderer(name), name).toBe(false);
      expect(maxDrawFps(name)).toBeNull();
    }
  });
});

describe('DrawPacer', () => {
  it('draws every other frame of a 60 Hz display at 30 frames/s, jitter or not', () => {
    expect(drawsPerSecond(new DrawPacer(30), 60, 10)).toBe(30);
    expect(drawsPerSecond(new DrawPacer(30), 60, 10, 1.5)).toBe(30);
  });

  it('never goes over the cap on faster displays', () => {
    for (const hz of [75, 120, 144, 240]) {
      const fps = drawsPerSecond(new DrawPacer(30), hz, 10);
      expect(fps, `${hz} Hz`).toBeLessThanOrEqual(30 / 0.9);
      expect(fps, `${hz} Hz`).toBeGreaterThan(24);
    }
  });

  it('draws on every frame without a cap, and the first frame always', () => {
    expect(drawsPerSecond(new DrawPacer(null), 60, 2)).toBe(60);
    expect(new DrawPacer(30).due(0)).toBe(true);
  });

  it('is due again only once the interval has passed since the last draw', () => {
    const pacer = new DrawPacer(30);
    pacer.drew(100);
    expect(pacer.due(110)).toBe(false);
    expect(pacer.due(129)).toBe(false);
    expect(pacer.due(130)).toBe(true);
  });

  it('refuses a cap that is not a positive number', () => {
    expect(() => new DrawPacer(0)).toThrow(/maxFps/);
    expect(() => new DrawPacer(Number.NaN)).toThrow(/maxFps/);
  });
});
