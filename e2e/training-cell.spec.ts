/**
 * The capstone's training cell, end to end on headless Chromium with SwiftShader WebGPU. SwiftShader runs
 * the GPU on the CPU (about 1 s per step for the 110k-parameter tiny preset), so the runs use a micro
 * configuration typed into the form: same code path, a few seconds of training.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';

const CHAPTER = 'chapters/capstone/';

const MICRO: Record<string, string> = {
  batchSize: '4',
  blockSize: '16',
  nEmbd: '16',
  nHead: '2',
  nLayer: '1',
  dropout: '0',
  learningRate: '0.01',
  maxIters: '30',
  evalInterval: '10',
  evalIters: '2',
  checkpointEvery: '10',
  sampleEvery: '20',
};

async function openCell(page: Page): Promise<void> {
  await page.goto(CHAPTER);
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const req = indexedDB.deleteDatabase('keyval-store');
        req.onsuccess = req.onerror = req.onblocked = () => resolve();
      }),
  );
  await page.reload();
  await page.locator('training-cell').scrollIntoViewIfNeeded();
}

async function fill(page: Page, values: Record<string, string>): Promise<void> {
  const cell = page.locator('training-cell');
  for (const [name, value] of Object.entries(values)) await cell.locator(`[name=${name}]`).fill(value);
  await cell.locator('[name=maxNewTokens]').fill('20');
}

function evalsOf(page: Page): Promise<{ step: number; train: number; val: number }[]> {
  return page.locator('training-cell').evaluate((el) => (el as unknown as { evals: never[] }).evals);
}

test.describe('training cell', () => {
  test.setTimeout(120_000);

  test('trains on WebGPU: loss falls, samples appear, a checkpoint survives a reload', async ({ page }) => {
    await openCell(page);
    const cell = page.locator('training-cell');
    await fill(page, MICRO);
    await cell.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(cell.locator('.backend')).toContainText('Backend: webgpu', { timeout: 30_000 });
    await expect(cell).toHaveAttribute('data-stopped', 'max-iters', { timeout: 90_000 });
    const evals = await evalsOf(page);
    expect(evals.length).toBeGreaterThanOrEqual(3);
    expect(evals.at(-1)!.train).toBeLessThan(evals[0].train);
    expect(evals.at(-1)!.val).toBeLessThan(evals[0].val);
    await expect(cell.locator('.samples figure')).toHaveCount(1);
    await expect(cell.locator('.log')).toContainText('step: 0, train loss:');
    await expect(cell.locator('.progress-text')).toContainText('Stopped at step 30');
    await expect(cell).toHaveAttribute('data-saved', '30');

    // Generation and the attention heatmap of the trained model.
    await cell.getByRole('button', { name: 'Generate' }).click();
    await expect(cell.locator('.generated')).toContainText('Hello! Can you see me?');
    await expect(cell.locator('.heatmap rect').first()).toBeAttached({ timeout: 20_000 });

    // Reload: the checkpoint is offered, and resuming continues from step 30 to the new max_iters.
    await page.reload();
    const resume = cell.getByRole('button', { name: 'Resume from step 30' });
    await expect(resume).toBeVisible();
    await cell.locator('[name=maxIters]').fill('36');
    await resume.click();
    await expect(cell.locator('.log')).toContainText('Resumed from step 30');
    await expect(cell).toHaveAttribute('data-stopped', 'max-iters', { timeout: 60_000 });
    await expect(cell.locator('.progress-text')).toContainText('Stopped at step 36');
  });

  test('the engine matches PyTorch on WebGPU (parity golden)', async ({ page }) => {
    await openCell(page);
    const golden: unknown = JSON.parse(readFileSync('tests/golden/model/gpt_tiny.json', 'utf8'));
    const res = await page
      .locator('training-cell')
      .evaluate(
        (el, g) =>
          (
            el as unknown as { parity(g: unknown): Promise<{ report: Record<string, number | string> }> }
          ).parity(g),
        golden,
      );
    const r = res.report;
    expect(r.backend).toBe('webgpu');
    expect(r.lossRelErr).toBeLessThan(1e-4);
    expect(r.stepOneMaxErr).toBeLessThan(1e-4);
    expect(r.logitsMaxErr).toBeLessThan(1e-4);
  });

  test('form validation names the bad fields', async ({ page }) => {
    await openCell(page);
    const cell = page.locator('training-cell');
    await cell.locator('[name=nEmbd]').fill('30');
    await cell.locator('[name=nHead]').fill('4');
    await cell.locator('[name=dropout]').fill('abc');
    await cell.locator('[name=batchSize]').fill('0');
    await cell.getByRole('button', { name: 'Train', exact: true }).click();
    const errors = cell.locator('.form-errors');
    await expect(errors).toContainText('n_head');
    await expect(errors).toContainText('divisible');
    await expect(errors).toContainText('dropout must be a finite number');
    await expect(errors).toContainText('batch_size must be between 1');
    await expect(cell.locator('[name=dropout]')).toHaveAttribute('aria-invalid', 'true');
    await expect(cell).toHaveAttribute('data-running', 'false');
  });

  test('without a WebGPU adapter it falls back and says why', async ({ page }) => {
    // Init scripts do not reach workers: patch the worker script itself so navigator.gpu is missing there.
    await page.route(/training\.worker-[^/]*\.js$/, async (route) => {
      const res = await route.fetch();
      const body =
        'Object.defineProperty(WorkerNavigator.prototype, "gpu", { get: () => undefined });\n' +
        (await res.text());
      await route.fulfill({ response: res, body });
    });
    await openCell(page);
    const cell = page.locator('training-cell');
    await fill(page, { ...MICRO, maxIters: '3', evalInterval: '3' });
    await cell.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(cell.locator('.backend')).toContainText('Skipped: webgpu: WebGPU is not available', {
      timeout: 30_000,
    });
    await expect(cell.locator('.backend')).toContainText(/Backend: (webgl|wasm|cpu)/);
    await expect(cell).toHaveAttribute('data-stopped', 'max-iters', { timeout: 60_000 });
  });

  test('a dropped-in file is checked first: empty and binary files are refused with a reason', async ({
    page,
  }) => {
    await openCell(page);
    const cell = page.locator('training-cell');
    await fill(page, { ...MICRO, maxIters: '3' });
    const input = cell.locator('input[name=file]');
    await input.setInputFiles({ name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) });
    await expect(cell.locator('.file-name')).toContainText('empty.txt');
    await cell.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(cell.locator('.log')).toContainText('The text is empty', { timeout: 30_000 });
    await expect(cell).toHaveAttribute('data-running', 'false');
    const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256));
    await input.setInputFiles({ name: 'data.bin', mimeType: 'application/octet-stream', buffer: binary });
    await cell.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(cell.locator('.progress-text')).toContainText('The file cannot be used', {
      timeout: 30_000,
    });
  });

  test.describe('faults', () => {
    // A fixture option that is an array must be passed as [value, options].
    test.use({ expectedConsoleErrors: [[/Simulated worker crash/, /lost|destroyed/i], { scope: 'test' }] });

    test('a worker crash and a lost GPU device recover from the last checkpoint', async ({ page }) => {
      await openCell(page);
      const cell = page.locator('training-cell');
      await fill(page, {
        ...MICRO,
        maxIters: '200',
        evalInterval: '50',
        checkpointEvery: '5',
        sampleEvery: '0',
      });
      await cell.getByRole('button', { name: 'Train', exact: true }).click();
      await expect(cell).toHaveAttribute('data-saved', /^(5|10|15)$/, { timeout: 60_000 });
      await cell.evaluate((el) => (el as unknown as { injectFault(k: string): void }).injectFault('crash'));
      await expect(cell.locator('.log')).toContainText('The training worker crashed');
      await expect(cell.locator('.log')).toContainText(/Resumed from step (5|10|15|20)/, { timeout: 30_000 });
      const saved = Number(await cell.getAttribute('data-saved'));
      await expect
        .poll(async () => Number(await cell.getAttribute('data-saved')), { timeout: 60_000 })
        .toBeGreaterThan(saved);
      await cell.evaluate((el) =>
        (el as unknown as { injectFault(k: string): void }).injectFault('device-lost'),
      );
      await expect(cell.locator('.log')).toContainText('The GPU device was lost', { timeout: 20_000 });
      await expect(cell.locator('.log div', { hasText: 'Resumed from step' })).toHaveCount(2, {
        timeout: 30_000,
      });
      await cell.getByRole('button', { name: 'Stop' }).click();
      await expect(cell).toHaveAttribute('data-stopped', 'stopped', { timeout: 30_000 });
    });

    test('IndexedDB failures are reported and training continues unsaved', async ({ page }) => {
      await openCell(page);
      const cell = page.locator('training-cell');
      await fill(page, { ...MICRO, maxIters: '30', checkpointEvery: '5', sampleEvery: '0' });
      await cell.getByRole('button', { name: 'Train', exact: true }).click();
      await expect(cell.locator('.backend')).toContainText('Backend:', { timeout: 30_000 });
      await cell.evaluate((el) => (el as unknown as { injectFault(k: string): void }).injectFault('idb'));
      await expect(cell.locator('.save-status')).toContainText('Training continues, unsaved', {
        timeout: 30_000,
      });
      await expect(cell).toHaveAttribute('data-stopped', 'max-iters', { timeout: 60_000 });
    });
  });
});
