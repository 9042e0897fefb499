/**
 * The vehicles the editor's road draws (`canvasVehicles`, src/renderer/editor/editorCanvas.ts), on
 * a bundled scenario as the editor loads it: one marker per vehicle of the file, where the file puts
 * it, CAVs numbered as agents, and a red frame exactly on the vehicles the validator has something
 * to say about.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canvasVehicles } from '../../../../src/renderer/editor/editorCanvas.js';
import {
  agentNumbers,
  draftFromDocument,
  validateDraft,
} from '../../../../src/renderer/editor/scenarioDraft.js';

type FileVehicle = { kind: string; lane: string; positionM: number; priority?: number };

function bundled(name: string) {
  const document = JSON.parse(
    readFileSync(new URL(`../../../../scenarios/${name}`, import.meta.url), 'utf8'),
  ) as Record<string, unknown> & { traffic: { vehicles?: FileVehicle[] } };
  return { draft: draftFromDocument(document), vehicles: document.traffic.vehicles ?? [] };
}

describe('canvasVehicles', () => {
  it('draws each vehicle of the file on its lane at its position; CAVs by agent, by priority', () => {
    const { draft, vehicles } = bundled('two-ramp-vehicles.json');
    const drawn = canvasVehicles(draft, validateDraft(draft));
    expect(drawn.map(({ lane, positionM, cav }) => ({ lane, positionM, cav }))).toEqual(
      vehicles.map((v) => ({ lane: v.lane, positionM: v.positionM, cav: v.kind === 'cav' })),
    );
    expect(drawn.every((v) => !v.bad)).toBe(true);
    // The file's priorities number the agents (lowest first); HDVs are no agent.
    for (const [i, v] of vehicles.entries()) {
      expect(drawn[i]!.agent, `vehicle ${i}`).toBe(v.kind === 'cav' ? v.priority : -1);
    }
    expect(drawn.map((v) => v.agent)).toEqual(agentNumbers(draft.vehicles));
  });

  it('frames exactly the vehicles with a problem, and leaves out one whose position is not a number', () => {
    const { draft } = bundled('two-ramp-vehicles.json');
    draft.vehicles[2]!.speedMps = 'fast';
    draft.vehicles[4]!.positionM = 'far';
    const drawn = canvasVehicles(draft, validateDraft(draft));
    expect(drawn.length).toBe(draft.vehicles.length - 1);
    expect(drawn.map((v) => v.bad)).toEqual([false, false, true, false]);
    expect(drawn.map((v) => v.positionM)).not.toContain('far');
  });

  it('draws no vehicles for density traffic (they spawn at random each episode)', () => {
    const { draft } = bundled('two-ramp-vehicles.json');
    draft.trafficMode = 'density';
    expect(canvasVehicles(draft, validateDraft(draft))).toEqual([]);
    expect(canvasVehicles(bundled('horm-easy.json').draft, [])).toEqual([]);
  });
});
