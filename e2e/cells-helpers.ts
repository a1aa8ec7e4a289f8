import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';

/** A notebook cell by its accessible name (its title). */
export function cell(page: Page, name: string | RegExp): Locator {
  return page.getByRole('group', { name });
}

/** Replace a cell's code the way a person would: click into the editor, select all, type. */
export async function typeCode(c: Locator, code: string): Promise<void> {
  await c.locator('[data-code-host]').click();
  const editor = c.getByRole('textbox', { name: /code editor/ });
  await expect(editor).toBeVisible({ timeout: 30_000 });
  await editor.click();
  await editor.press('ControlOrMeta+a');
  await c.page().keyboard.insertText(code);
}

/** Press Run and wait until the run ends (Run is enabled again). */
export async function run(c: Locator): Promise<Locator> {
  const runButton = c.getByRole('button', { name: 'Run' });
  await runButton.click();
  await expect(runButton)
    .toBeDisabled({ timeout: 5_000 })
    .catch(() => undefined);
  await expect(runButton).toBeEnabled({ timeout: 60_000 });
  return c.getByRole('log');
}
