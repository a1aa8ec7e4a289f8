/**
 * Tensor count and GPU memory stay flat over 1,000 training steps in the browser (WebGPU on SwiftShader).
 * The worker reports tf.memory() every MEMORY_REPORT_EVERY steps (numTensors, numBytes, and WebGPU's
 * numBytesInGPU / numBytesAllocatedInGPU). 1,000 steps of the tiny preset take far too long on SwiftShader
 * (~1 s each), so this runs 1,000 steps of the micro configuration (~0.25 s each there: about four
 * minutes on a loaded two-core machine), with evaluations, samples and checkpoints in between; the tiny preset's own (shorter) run checks the same in training-cell.spec.ts.
 */
import { test, expect } from './fixtures';
import { MICRO, expectFlatMemory, fill, memoryOf, openCell } from './training-cell-helpers';

test('tensor count and GPU memory stay flat over 1,000 steps on WebGPU', async ({ page }) => {
  test.setTimeout(480_000);
  const cell = await openCell(page);
  await fill(page, {
    ...MICRO,
    maxIters: '1000',
    evalInterval: '250',
    checkpointEvery: '250',
    sampleEvery: '250',
  });
  const t0 = Date.now();
  await cell.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(cell.locator('.backend')).toContainText('Backend: webgpu', { timeout: 30_000 });
  await expect(cell).toHaveAttribute('data-stopped', 'max-iters', { timeout: 420_000 });
  const memory = await memoryOf(page);
  console.log(
    `1000 micro steps in ${(Date.now() - t0) / 1000} s; memory ${JSON.stringify(memory.filter((m) => m.step % 100 === 0))}`,
  );
  expect(memory.map((m) => m.step)).toEqual(Array.from({ length: 100 }, (_, i) => 10 * (i + 1)));
  expect(memory[0].numBytesInGPU, 'WebGPU reports GPU bytes').toBeGreaterThan(0);
  // Warm-up: the first evaluation, sample and checkpoint (step 250) fill the GPU buffer pool.
  expectFlatMemory(memory, 300);
});
