/**
 * The fused WGSL kernels (src/model/tfjs/kernels/webgpu) against their portable twins, on SwiftShader WebGPU in
 * the training cell's worker: same values and gradients within tolerance, and fewer kernel launches.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import type { KernelCheckResult } from '../src/model/tfjs/kernels/check';

async function kernelCheck(page: Page): Promise<KernelCheckResult[]> {
  await page.goto('chapters/capstone/');
  const cell = page.locator('training-cell');
  const reply = await cell.evaluate((el) =>
    (el as unknown as { kernelCheck(): Promise<{ results: unknown }> }).kernelCheck(),
  );
  return reply.results as KernelCheckResult[];
}

for (const kernel of ['dropout', 'layerNorm', 'causalSoftmax', 'adamwUpdate'] as const) {
  test(`the WebGPU ${kernel} kernel matches its portable twin and launches fewer kernels`, async ({
    page,
  }) => {
    test.setTimeout(90_000);
    const results = (await kernelCheck(page)).filter((r) => r.kernel === kernel);
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expect(r.backend, r.name).toBe('webgpu');
      expect(r.fused, `${r.name} has a WebGPU kernel`).toBe(true);
      expect(r.maxAbsErr, r.name).toBeLessThanOrEqual(r.tol);
      expect(r.kernelsActive, r.name).toBeLessThan(r.kernelsPortable);
    }
  });
}
