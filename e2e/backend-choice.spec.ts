/**
 * Issue 13 §5 in the browser: on "Automatic" the training cell times a step or two of the learner's
 * configuration on every backend before Train, names SwiftShader's WebGPU as the software adapter it is,
 * trains on the fastest and says why; forcing a backend skips the timing; Stop during the timing ends it.
 * Screenshots (light, dark, 360 px; while choosing and after): SCREENSHOTS=1.
 */
import type { Locator, Page } from '@playwright/test';
import { test, expect, setTheme } from './fixtures';
import { MICRO, fill, openCell } from './training-cell-helpers';

/** The learner-facing backend names of the why sentence, by the worker's backend name. */
const LABELS: Record<string, string> = {
  WebGPU: 'webgpu',
  WebGL: 'webgl',
  WebAssembly: 'wasm',
  JavaScript: 'cpu',
};

/** A screenshot from the Backend select down to the progress line, when SCREENSHOTS is set. */
async function shot(page: Page, cell: Locator, path: string): Promise<void> {
  if (!process.env.SCREENSHOTS) return;
  await cell
    .locator('label.preset')
    .last()
    .evaluate((el) => el.scrollIntoView({ block: 'start' }));
  const top = (await cell.locator('label.preset').last().boundingBox())!;
  const end = (await cell.locator('.progress-text').boundingBox())!;
  const box = (await cell.boundingBox())!;
  const clip = { x: box.x, y: top.y, width: box.width, height: end.y + end.height - top.y };
  // A screenshot waits for the GPU process, which SwiftShader may keep busy: a missed one only logs.
  await page
    .screenshot({ path: `test-results/shots/${path}.png`, clip, timeout: 30_000 })
    .catch((err: Error) => console.log(`screenshot ${path} skipped: ${err.message.split('\n')[0]}`));
}

test.describe('choosing the fastest backend', () => {
  test.setTimeout(180_000);

  test('Automatic times every backend, names SwiftShader as a software adapter, trains on the fastest', async ({
    page,
  }) => {
    const cell = await openCell(page, 'auto');
    await expect(cell.getByLabel('Backend')).toHaveValue('auto');
    await fill(page, { ...MICRO, maxIters: '20' });
    await cell.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(cell.locator('.progress-text')).toContainText('Choosing the fastest backend…', {
      timeout: 30_000,
    });
    await expect(cell.locator('.progress-text')).toContainText('at most 1 s each');
    await expect(cell).toHaveAttribute('data-choosing', 'true');

    const why = cell.locator('.backend');
    await expect(why).toContainText(/ — using (WebGPU|WebGL|WebAssembly|JavaScript)\./, { timeout: 90_000 });
    await expect(why).toContainText('WebGPU is a software adapter here (SwiftShader)');
    const sentence = (await why.textContent()) ?? '';
    const chosen = LABELS[/ — using (\w+)\./.exec(sentence)![1]];
    console.log(`why: ${sentence}`);
    // Every backend this browser has was timed (or said why not), and the log says so too.
    for (const label of ['WebGPU', 'WebGL', 'WebAssembly', 'JavaScript'])
      await expect(cell.locator('.log')).toContainText(`Timing ${label}…`);
    await expect(cell.locator('.log')).toContainText(`— using`);
    // Training runs on the chosen backend.
    await expect(cell.locator('.log')).toContainText(` on ${chosen}.`, { timeout: 60_000 });
    await expect(cell).toHaveAttribute('data-backend', chosen);
    await expect(cell).toHaveAttribute('data-stopped', 'max-iters', { timeout: 120_000 });
    await expect(cell).not.toHaveAttribute('data-choosing', /.*/);
    await expect(why).toContainText(`Backend: ${chosen} (`);
    await expect(why).toContainText('WebGPU is a software adapter here (SwiftShader)');

    // Resuming the same configuration trains on the backend measured before, without timing again.
    await fill(page, { ...MICRO, maxIters: '30' });
    const timings = await cell.locator('.log').getByText('Timing WebGPU…').count();
    await cell.getByRole('button', { name: 'Resume from step 20' }).click();
    await expect(cell.locator('.log')).toContainText('measured the fastest for this step size before');
    await expect(cell.locator('.progress-text')).toContainText('Stopped at step 30', { timeout: 120_000 });
    expect(await cell.locator('.log').getByText('Timing WebGPU…').count()).toBe(timings);
    await expect(cell).toHaveAttribute('data-backend', chosen);
  });

  test('a forced backend skips the timing, and the choice is kept across a reload', async ({ page }) => {
    const cell = await openCell(page, 'wasm');
    await fill(page, { ...MICRO, maxIters: '10' });
    await cell.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(cell.locator('.log')).toContainText(
      'Engine: WebAssembly SIMD kernels written for this model',
      {
        timeout: 60_000,
      },
    );
    await expect(cell).toHaveAttribute('data-backend', 'wasm');
    await expect(cell).toHaveAttribute('data-stopped', 'max-iters', { timeout: 120_000 });
    await expect(cell.locator('.log')).not.toContainText('Timing ');
    await expect(cell.locator('.backend')).not.toContainText('Choosing');
    await page.reload();
    await expect(page.locator('training-cell').getByLabel('Backend')).toHaveValue('wasm');
  });

  test('Stop while the backends are timed ends it before training starts', async ({ page }) => {
    const cell = await openCell(page, 'auto');
    await fill(page, MICRO);
    await cell.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(cell).toHaveAttribute('data-choosing', 'true', { timeout: 30_000 });
    await cell.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect(cell.locator('.progress-text')).toHaveText(
      'Stopped before training: no backend was chosen.',
      {
        timeout: 30_000,
      },
    );
    await expect(cell).toHaveAttribute('data-running', 'false');
    await expect(cell.locator('.backend')).toContainText('Stopped while timing the backends.');
    await expect(cell.locator('.log')).not.toContainText('Engine:');
    await expect(cell.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
  });

  test('at 360 px the Backend select fits and the why sentence wraps', async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 800 });
    const cell = await openCell(page, 'auto');
    await fill(page, { ...MICRO, maxIters: '5' });
    await cell.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(cell.locator('.progress-text')).toContainText('Choosing the fastest backend…', {
      timeout: 30_000,
    });
    await expect(cell.locator('.backend')).toContainText(' — using ', { timeout: 90_000 });
    await expect(cell).toHaveAttribute('data-stopped', 'max-iters', { timeout: 120_000 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    expect(overflow, 'the page scrolls sideways').toBeLessThanOrEqual(0);
  });

  // SwiftShader's WebGPU work holds up page screenshots until it ends, so these hide WebGPU from the worker
  // (the timing then covers WebGL, WebAssembly and the CPU) to catch the cell while it chooses.
  test('screenshots while choosing and after (light, dark, 360 px)', async ({ page }) => {
    test.skip(!process.env.SCREENSHOTS, 'set SCREENSHOTS=1 to write test-results/shots/backend-*.png');
    const noGpu = 'Object.defineProperty(WorkerNavigator.prototype, "gpu", { get: () => undefined });\n';
    // The WebAssembly binary arrives 15 s late, so the cell is caught while it chooses.
    await page.route(/\.wasm$/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 15_000));
      await route.continue();
    });
    await page.route(/training\.worker-[^/]*\.js$/, async (route) => {
      const res = await route.fetch();
      await route.fulfill({ response: res, body: noGpu + (await res.text()) });
    });
    for (const [width, names] of [
      [1280, ['light', 'dark']],
      [360, ['360']],
    ] as const) {
      await page.setViewportSize({ width, height: width > 600 ? 1700 : 3000 });
      const cell = await openCell(page, 'auto');
      await fill(page, { ...MICRO, maxIters: '5' });
      await cell.getByRole('button', { name: 'Train', exact: true }).click();
      await expect(cell).toHaveAttribute('data-choosing', 'true', { timeout: 30_000 });
      for (const name of names) {
        if (name !== '360') await setTheme(page, name);
        await shot(page, cell, `backend-choosing-${name}`);
      }
      await expect(cell).toHaveAttribute('data-stopped', 'max-iters', { timeout: 120_000 });
      for (const name of names) {
        if (name !== '360') await setTheme(page, name);
        await shot(page, cell, `backend-chosen-${name}`);
      }
      await setTheme(page, 'light');
    }
  });
});
