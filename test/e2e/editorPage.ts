/**
 * What the editor's end-to-end tests share (editor.test.ts, editorFiles.test.ts): a project folder
 * of their own for the web host, opening the Editor tab, and reading the editor's state through the
 * page's `window.steerEditor` test hooks.
 */
import { cp, mkdir, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { REPOSITORY_ROOT } from '../../src/main/web/browserHarness.js';

/**
 * A fresh project folder under the system temp folder: the repository's samples and scenarios
 * linked in, an empty runs/scenarios, and the bundled models named in `models` copied into models/
 * (a model folder linked from elsewhere would be refused: its real path leaves models/).
 */
export async function makeEditorProject(label: string, models: readonly string[] = []): Promise<string> {
  const root = join(tmpdir(), `steer-e2e-${label}-${process.pid}-${Date.now().toString(36)}`);
  await mkdir(join(root, 'runs', 'scenarios'), { recursive: true });
  for (const name of ['samples', 'scenarios']) {
    await symlink(join(REPOSITORY_ROOT, name), join(root, name), 'dir');
  }
  if (models.length > 0) await mkdir(join(root, 'models'));
  for (const model of models) {
    await cp(join(REPOSITORY_ROOT, 'models', model), join(root, 'models', model), { recursive: true });
  }
  return root;
}

/** Loads the app at `url`, opens the Editor tab and waits for the host's scenario list. */
export async function openEditor(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
  await page.click('button[data-tab="Editor"]');
  await expect.poll(() => page.isVisible('#editor-canvas')).toBe(true);
  // The list is filled from the host: wait for it before choosing from it.
  await expect.poll(() => page.isEnabled('#editor-scenario-list'), { timeout: 20_000 }).toBe(true);
}

/** The editor's scenario document. */
export async function editorDocument(page: Page): Promise<Record<string, unknown>> {
  return (await page.evaluate('JSON.parse(JSON.stringify(window.steerEditor.document()))')) as Record<
    string,
    unknown
  >;
}

/** Client point of world (x, y) [m] on the editor's road. */
export async function worldPoint(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  return (await page.evaluate(`window.steerEditor.worldScreenPoint(${x}, ${y})`)) as { x: number; y: number };
}

/** Client point of editor vehicle `index`. */
export async function vehiclePoint(page: Page, index: number): Promise<{ x: number; y: number }> {
  return (await page.evaluate(`window.steerEditor.vehicleScreenPoint(${index})`)) as { x: number; y: number };
}

/** Rows of the editor's vehicle list. */
export const vehicleRows = (page: Page): Promise<number> =>
  page.locator('#editor-vehicle-list button[data-vehicle]').count();
