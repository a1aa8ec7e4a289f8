/**
 * Issue 14's training-cell robustness, in the browser: a .safetensors file cannot replace the engine a run
 * is training (the import control is disabled until Stop, which saves a checkpoint), and Stop answers during
 * the first loss estimate, whose progress the cell shows ("estimating loss i/n").
 */
import { test, expect } from './fixtures';
import { MICRO, fill, openCell } from './training-cell-helpers';

test.describe('training cell robustness', () => {
  test.setTimeout(180_000);

  test('import is disabled while a run trains; Stop during the first estimate saves and re-enables it', async ({
    page,
  }) => {
    const cell = await openCell(page);
    const importer = cell.locator('input[name=import]');
    await expect(importer).toBeEnabled();
    // A long first estimate (200 batches a split), so Stop arrives while it runs.
    await fill(page, { ...MICRO, maxIters: '1000', evalIters: '200', sampleEvery: '0' });
    await cell.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(importer).toBeDisabled();
    await expect(cell.locator('.progress-text')).toContainText(/estimating loss \d+\/400/, {
      timeout: 60_000,
    });
    await cell.getByRole('button', { name: 'Stop' }).click();
    await expect(cell).toHaveAttribute('data-stopped', 'stopped', { timeout: 30_000 });
    await expect(cell.locator('.progress-text')).toContainText('Stopped at step 0');
    await expect(cell).toHaveAttribute('data-saved', '0');
    await expect(importer).toBeEnabled();
  });
});
