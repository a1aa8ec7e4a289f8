/**
 * The capstone's training cell, end to end on headless Chromium with SwiftShader WebGPU. SwiftShader runs
 * the GPU on the CPU (about 1 s per step for the 110k-parameter tiny preset): the main test trains the tiny
 * preset itself for a shortened run; the others type a micro configuration into the form (same code path,
 * a few seconds of training). Faults, files and memory have their own specs (training-cell-*.spec.ts).
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import {
  MICRO,
  evalsOf,
  expectFlatMemory,
  fill,
  injectFault,
  memoryOf,
  openCell,
} from './training-cell-helpers';

/** The tiny preset's model, as the form must show it after choosing the preset. */
const TINY_MODEL: Record<string, string> = {
  batchSize: '8',
  blockSize: '32',
  nEmbd: '32',
  nHead: '2',
  nLayer: '2',
  learningRate: '0.003',
};
const CONFIG_LABEL: Record<string, string> = {
  batchSize: 'batch_size',
  blockSize: 'block_size',
  nEmbd: 'n_embd',
  nHead: 'n_head',
  nLayer: 'n_layer',
  learningRate: 'learning_rate',
};
/** Only the run of the tiny preset is shortened (~0.5-1 s per step on SwiftShader). */
const TINY_RUN = {
  maxIters: '60',
  evalInterval: '20',
  evalIters: '4',
  sampleEvery: '20',
  checkpointEvery: '20',
};
const TINY_EVAL_STEPS = [0, 20, 40, 60];
/** How far (in nats) the last estimate must sit below the first. */
const TINY_MIN_DROP = 0.5;

/** A prelude for the worker script that hides WebGPU from it. */
const NO_WEBGPU = 'Object.defineProperty(WorkerNavigator.prototype, "gpu", { get: () => undefined });\n';

/** Init scripts do not reach workers: prepend `prelude` to the worker script itself. */
async function patchWorker(page: Page, prelude: string): Promise<void> {
  await page.route(/training\.worker-[^/]*\.js$/, async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res, body: prelude + (await res.text()) });
  });
}

test.describe('training cell', () => {
  test.setTimeout(120_000);

  test('trains the tiny preset on WebGPU: loss falls, a sample appears, a checkpoint survives a reload', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    await openCell(page);
    const cell = page.locator('training-cell');
    // Choose the preset the way a learner would; its model stays as it is, only the run is shortened.
    const preset = cell.getByLabel('Preset');
    await preset.selectOption('small');
    await expect(cell.getByRole('textbox', { name: /^n_embd\b/ })).toHaveValue('128');
    await preset.selectOption('tiny');
    for (const [name, value] of Object.entries(TINY_MODEL)) {
      await expect(cell.getByRole('textbox', { name: new RegExp(`^${CONFIG_LABEL[name]}\\b`) })).toHaveValue(
        value,
      );
    }
    await fill(page, TINY_RUN);
    await cell.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(cell.locator('.backend')).toContainText('Backend: webgpu', { timeout: 30_000 });
    await expect(cell.locator('.log')).toContainText(`${TINY_RUN.maxIters} steps`, { timeout: 30_000 });
    await expect(cell).toHaveAttribute('data-stopped', 'max-iters', { timeout: 180_000 });
    const evals = await evalsOf(page);
    console.log(`tiny: ${await cell.locator('.progress-text').textContent()} evals ${JSON.stringify(evals)}`);
    expect(evals.map((e) => e.step)).toEqual(TINY_EVAL_STEPS);
    const memory = await memoryOf(page);
    console.log(`tiny memory: ${JSON.stringify(memory)}`);
    expect(memory.map((m) => m.step)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(memory[0].numBytesInGPU, 'WebGPU reports GPU bytes').toBeGreaterThan(0);
    expectFlatMemory(memory, 30); // after the first evaluation, sample and checkpoint (step 20)
    expect(evals.at(-1)!.train).toBeLessThan(evals[0].train - TINY_MIN_DROP);
    expect(evals.at(-1)!.val).toBeLessThan(evals[0].val - TINY_MIN_DROP);
    await expect(cell.locator('.samples figure')).toHaveCount(2);
    await expect(cell.locator('.log')).toContainText('step: 0, train loss:');
    await expect(cell.locator('.progress-text')).toContainText(`Stopped at step ${TINY_RUN.maxIters}`);
    await expect(cell).toHaveAttribute('data-saved', TINY_RUN.maxIters);

    // Generation and the attention heatmap of the trained model.
    await cell.getByRole('button', { name: 'Generate' }).click();
    await expect(cell.locator('.generated')).toContainText('Hello! Can you see me?');
    await expect(cell.locator('.heatmap rect').first()).toBeAttached({ timeout: 30_000 });

    // Reload: the checkpoint is offered, and resuming continues from its step to the new max_iters.
    await page.reload();
    const resume = cell.getByRole('button', { name: `Resume from step ${TINY_RUN.maxIters}` });
    await expect(resume).toBeVisible();
    const more = String(Number(TINY_RUN.maxIters) + 4);
    await cell.locator('[name=maxIters]').fill(more);
    await resume.click();
    await expect(cell.locator('.log')).toContainText(`Resumed from step ${TINY_RUN.maxIters}`, {
      timeout: 30_000,
    });
    await expect(cell).toHaveAttribute('data-stopped', 'max-iters', { timeout: 60_000 });
    await expect(cell.locator('.progress-text')).toContainText(`Stopped at step ${more}`);
  });

  test('our WebAssembly engine trains the tiny preset: loss falls, samples, generation, a checkpoint resumes', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    const cell = await openCell(page, 'wasm');
    await cell.getByLabel('Preset').selectOption('tiny');
    await fill(page, { ...TINY_RUN, maxIters: '200', evalInterval: '100', sampleEvery: '50' });
    await cell.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(cell.locator('.backend')).toContainText('Backend: wasm', { timeout: 30_000 });
    await expect(cell.locator('.log')).toContainText(
      'Engine: WebAssembly SIMD kernels written for this model (src/model/wasm, one thread) on wasm.',
    );
    await expect(cell).toHaveAttribute('data-stopped', 'max-iters', { timeout: 180_000 });
    const evals = await evalsOf(page);
    console.log(`tiny on the WebAssembly engine: ${await cell.locator('.progress-text').textContent()}`);
    expect(evals.map((e) => e.step)).toEqual([0, 100, 200]);
    expect(evals.at(-1)!.train).toBeLessThan(evals[0].train - 0.8);
    expect(evals.at(-1)!.val).toBeLessThan(evals[0].val - 0.8);
    await expect(cell.locator('.samples figure')).toHaveCount(3); // steps 50, 100 and 150
    await cell.getByRole('button', { name: 'Generate' }).click();
    await expect(cell.locator('.generated')).toContainText('Hello! Can you see me?');
    await expect(cell.locator('.heatmap rect').first()).toBeAttached({ timeout: 30_000 });
    await page.reload();
    await cell.locator('[name=maxIters]').fill('210');
    await cell.getByRole('button', { name: 'Resume from step 200' }).click();
    await expect(cell.locator('.log')).toContainText('Resumed from step 200', { timeout: 30_000 });
    await expect(cell.locator('.progress-text')).toContainText('Stopped at step 210', { timeout: 60_000 });
  });

  test('our WebAssembly engine matches PyTorch in the browser (parity golden)', async ({ page }) => {
    await openCell(page, 'wasm');
    const golden: unknown = JSON.parse(readFileSync('tests/golden/model/gpt_tiny.json', 'utf8'));
    const { report: r } = await page.locator('training-cell').evaluate(
      (el, g) =>
        (
          el as unknown as {
            parity(g: unknown, e: string, b: string): Promise<{ report: Record<string, number | string> }>;
          }
        ).parity(g, 'wasm', 'wasm'),
      golden,
    );
    expect(r.engine).toBe('wasm');
    for (const k of ['lossRelErr', 'logitsMaxErr', 'gradMaxErr', 'stepOneMaxErr', 'stepTwoMaxErr'])
      expect(r[k], k).toBeLessThan(1e-4);
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
    await patchWorker(page, NO_WEBGPU);
    await openCell(page, 'auto'); // Automatic: every backend is tried, and WebGPU's reason is given
    const cell = page.locator('training-cell');
    await fill(page, { ...MICRO, maxIters: '3', evalInterval: '3' });
    await cell.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(cell.locator('.backend')).toContainText('WebGPU: not timed (WebGPU is not available', {
      timeout: 60_000,
    });
    await expect(cell.locator('.backend')).toContainText(/Backend: (webgl|wasm|cpu)/);
    await expect(cell).toHaveAttribute('data-stopped', 'max-iters', { timeout: 60_000 });
  });

  test('without WebGPU and WebGL TensorFlow.js learns on WebAssembly (its one-hot embeddings hold real ones)', async ({
    page,
  }) => {
    await patchWorker(page, NO_WEBGPU + 'OffscreenCanvas.prototype.getContext = () => null;\n');
    const cell = await openCell(page, 'auto');
    await fill(page, { ...MICRO, maxIters: '30', sampleEvery: '0' });
    await cell.getByLabel('Backend').selectOption('tfjs-wasm'); // Automatic might measure the CPU faster
    await cell.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(cell.locator('.backend')).toContainText('Backend: wasm', { timeout: 30_000 });
    await expect(cell.locator('.log')).toContainText('Engine: TensorFlow.js on wasm.');
    await expect(cell).toHaveAttribute('data-stopped', 'max-iters', { timeout: 90_000 });
    const evals = await evalsOf(page);
    expect(evals.at(-1)!.train).toBeLessThan(evals[0].train - 0.3);
    expect(evals.at(-1)!.val).toBeLessThan(evals[0].val - 0.3);
  });

  test.describe('faults', () => {
    // A fixture option that is an array must be passed as [value, options].
    test.use({ expectedConsoleErrors: [[/Simulated worker crash/, /lost|destroyed/i], { scope: 'test' }] });

    test('a worker crash and a lost GPU device recover from the last checkpoint', async ({ page }) => {
      await openCell(page);
      const cell = page.locator('training-cell');
      await fill(page, {
        ...MICRO,
        maxIters: '5000', // still running when the faults arrive, however fast the engine trains
        evalInterval: '50',
        checkpointEvery: '5',
        sampleEvery: '0',
      });
      await cell.getByRole('button', { name: 'Train', exact: true }).click();
      await expect(cell).toHaveAttribute('data-saved', /^\d+$/, { timeout: 60_000 });
      await injectFault(cell, 'crash');
      await expect(cell.locator('.log')).toContainText('The training worker crashed');
      await expect(cell.locator('.log')).toContainText(/Resumed from step \d+/, { timeout: 30_000 });
      const saved = Number(await cell.getAttribute('data-saved'));
      await expect
        .poll(async () => Number(await cell.getAttribute('data-saved')), { timeout: 60_000 })
        .toBeGreaterThan(saved);
      await injectFault(cell, 'device-lost');
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
      await injectFault(cell, 'idb');
      await expect(cell.locator('.save-status')).toContainText('Training continues, unsaved', {
        timeout: 30_000,
      });
      await expect(cell).toHaveAttribute('data-stopped', 'max-iters', { timeout: 60_000 });
    });
  });
});
