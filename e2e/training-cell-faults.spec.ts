/**
 * A learning rate that makes the loss NaN, in the browser: the 'nan-lr' fault sets the running optimizer's
 * learning rate to 1e38, so the next AdamW update really overflows the weights and the following step's loss
 * is not a number (the form caps the rate at 1, where the post-LN model stays finite). Training must stop,
 * say why and what to do, and keep the last checkpoint whose weights gave a finite loss.
 */
import { test, expect } from './fixtures';
import { MICRO, fill, injectFault, openCell } from './training-cell-helpers';

test.describe('training cell faults', () => {
  test.setTimeout(180_000);

  test('a NaN loss stops training, says why, and keeps the last good checkpoint for resume', async ({
    page,
  }) => {
    const cell = await openCell(page);
    // A checkpoint after every step: the one of the step whose update blew up must never be written.
    await fill(page, {
      ...MICRO,
      maxIters: '400',
      evalInterval: '100',
      checkpointEvery: '1',
      sampleEvery: '0',
    });
    await cell.getByRole('button', { name: 'Train', exact: true }).click();
    await expect
      .poll(async () => Number(await cell.getAttribute('data-saved')), { timeout: 60_000 })
      .toBeGreaterThanOrEqual(3);
    await injectFault(cell, 'nan-lr');
    await expect(cell).toHaveAttribute('data-stopped', 'non-finite', { timeout: 60_000 });

    // The step whose update overflowed is the one training stopped at; the checkpoint before it is kept.
    const progress = (await cell.locator('.progress-text').textContent()) ?? '';
    const stoppedAt = Number(/Stopped: the loss is not a number at step (\d+)/.exec(progress)?.[1]);
    expect(stoppedAt, progress).toBeGreaterThanOrEqual(4);
    const good = stoppedAt - 1;
    await expect(cell).toHaveAttribute('data-saved', String(good));
    const log = cell.locator('.log');
    await expect(log).toContainText(/The loss became (NaN|-?Infinity) at step \d+/);
    await expect(log).toContainText('the learning rate is too high');
    await expect(log).toContainText(
      `The last good checkpoint (step ${good}) was kept, not the broken weights: lower learning_rate`,
    );
    await expect(cell).toHaveAttribute('data-running', 'false');
    const resume = cell.getByRole('button', { name: `Resume from step ${good}` });
    await expect(resume).toBeVisible();

    // The saved checkpoint is still the good one after a reload, and resuming at a lower rate trains on.
    await page.reload();
    await expect(resume).toBeVisible();
    await fill(page, { learningRate: '0.001', checkpointEvery: '1' });
    await resume.click();
    await expect(cell.locator('.log')).toContainText(`Resumed from step ${good}`, { timeout: 30_000 });
    await expect(cell.locator('.log')).toContainText('Learning rate 0.001 from the form');
    // Finite steps after the good one: each writes a checkpoint once the next loss proves it finite.
    await expect
      .poll(async () => Number(await cell.getAttribute('data-saved')), { timeout: 60_000 })
      .toBeGreaterThanOrEqual(good + 3);
    await cell.getByRole('button', { name: 'Stop' }).click();
    await expect(cell).toHaveAttribute('data-stopped', 'stopped', { timeout: 30_000 });

    // The checkpoints written since record the rate they trained at: resuming at it again is not a change.
    const saved = Number(await cell.getAttribute('data-saved'));
    await page.reload();
    await fill(page, { learningRate: '0.001' });
    await cell.getByRole('button', { name: `Resume from step ${saved}` }).click();
    await expect(cell.locator('.log')).toContainText(`Resumed from step ${saved}`, { timeout: 30_000 });
    await cell.getByRole('button', { name: 'Stop' }).click();
    await expect(cell).toHaveAttribute('data-stopped', 'stopped', { timeout: 30_000 });
    await expect(cell.locator('.log')).not.toContainText('from the form');
  });
});
