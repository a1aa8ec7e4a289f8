/**
 * What the training cell's e2e specs share: the chapter, a micro configuration that trains in seconds on
 * SwiftShader, and the learner's moves (open the cell on a fresh IndexedDB, fill the form).
 */
import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';

export const CHAPTER = 'chapters/capstone/';

/** A micro configuration of the tiny preset's shape: same code path as any run, a few seconds of training. */
export const MICRO: Record<string, string> = {
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

/**
 * Open the chapter with no checkpoint saved and bring the cell into view, on a forced backend: our WebGPU
 * engine unless told otherwise ('auto' times every backend before Train: e2e/backend-choice.spec.ts).
 */
export async function openCell(page: Page, backend = 'webgpu'): Promise<Locator> {
  await page.goto(CHAPTER);
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const req = indexedDB.deleteDatabase('keyval-store');
        req.onsuccess = req.onerror = req.onblocked = () => resolve();
      }),
  );
  await page.reload();
  const cell = page.locator('training-cell');
  await cell.getByLabel('Backend').selectOption(backend);
  await cell.scrollIntoViewIfNeeded();
  return cell;
}

/** Type values into the form's fields (by name), and keep generated samples short. */
export async function fill(page: Page, values: Record<string, string>): Promise<void> {
  const cell = page.locator('training-cell');
  for (const [name, value] of Object.entries(values)) await cell.locator(`[name=${name}]`).fill(value);
  await cell.locator('[name=maxNewTokens]').fill('20');
}

/** The loss estimates the cell has drawn so far. */
export function evalsOf(page: Page): Promise<{ step: number; train: number; val: number }[]> {
  return page.locator('training-cell').evaluate((el) => (el as unknown as { evals: never[] }).evals);
}

/** A tf.memory() report of the worker (see MemoryReport in src/workers/protocol.ts). */
export interface Memory {
  step: number;
  numTensors: number;
  numBytes: number;
  numBytesInGPU?: number;
  numBytesAllocatedInGPU?: number;
}

/** The worker's tf.memory() reports of the current run. */
export function memoryOf(page: Page): Promise<Memory[]> {
  return page.locator('training-cell').evaluate((el) => (el as unknown as { memory: Memory[] }).memory);
}

/** Inject a fault through the cell's test hook. */
export async function injectFault(cell: Locator, kind: string): Promise<void> {
  await cell.evaluate((el, k) => (el as unknown as { injectFault(k: string): void }).injectFault(k), kind);
}

/**
 * Assert a run's memory reports are flat after `warmUp` steps: the same tensor count and bytes at every
 * report, and GPU bytes (in use, and allocated by the buffer pool) within `gpuSlack` of the first report.
 */
export function expectFlatMemory(reports: Memory[], warmUp: number, gpuSlack = 0.02): void {
  const after = reports.filter((r) => r.step >= warmUp);
  expect(after.length, 'memory reports after the warm-up').toBeGreaterThanOrEqual(3);
  const [first] = after;
  for (const r of after) {
    expect.soft(r.numTensors, `tensors at step ${r.step}`).toBe(first.numTensors);
    expect.soft(r.numBytes, `bytes at step ${r.step}`).toBe(first.numBytes);
    for (const key of ['numBytesInGPU', 'numBytesAllocatedInGPU'] as const) {
      expect.soft(r[key], `${key} at step ${r.step}`).toEqual(expect.any(Number));
      expect
        .soft(r[key] ?? Infinity, `${key} at step ${r.step}`)
        .toBeLessThanOrEqual((first[key] ?? 0) * (1 + gpuSlack));
    }
  }
}
