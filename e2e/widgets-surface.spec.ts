import { test, expect } from './fixtures';
import { framesAfterRemoving, openWidget } from './widget-helpers';
import type { Locator, Page } from '@playwright/test';
import { createDemo, initialState, recoveryLr, step } from '../components/widgets/surface-fitting/model';
import { fmt } from '../components/widgets/shared/parse';

const PAGE = './chapters/learning-as-refinement/';

function open(page: Page): Promise<Locator> {
  return openWidget(page, PAGE, 'surface-fitting', (w) =>
    expect(w.getByRole('button', { name: 'Step' })).toBeEnabled(),
  );
}

async function iteration(w: Locator): Promise<number> {
  const text = (await w.locator('.status').textContent()) ?? '';
  return Number(/Iteration (\d+)/.exec(text)?.[1] ?? NaN);
}

test('Step runs src/lib gradient-descent iterations: the shown error equals surfaceStep’s', async ({
  page,
}) => {
  const w = await open(page);
  const demo = createDemo('sin-cos');
  let s = initialState(demo);
  await expect(w.locator('.status')).toContainText(
    `Iteration 0: error (MSE over 441 grid points) ${fmt(s.error, { digits: 6, scientific: true })}`,
  );
  await expect(w.locator('.stable')).toHaveText(fmt(demo.stableLr, { digits: 3, scientific: true }));
  for (let i = 0; i < 3; i++) {
    await w.getByRole('button', { name: 'Step' }).click();
    s = step(demo, s, 0.5);
  }
  await expect(w.locator('.status')).toContainText(
    `Iteration 3: error (MSE over 441 grid points) ${fmt(s.error, { digits: 6, scientific: true })}`,
  );
  await expect(w.locator('svg.heatmaps g.model rect')).toHaveCount(441);

  // another target resets to the rough initial surface of that problem
  await w.getByRole('combobox', { name: /^Target surface/ }).selectOption('saddle');
  const saddle = initialState(createDemo('saddle'));
  await expect(w.locator('.status')).toContainText(
    `Iteration 0: error (MSE over 441 grid points) ${fmt(saddle.error, { digits: 6, scientific: true })}`,
  );
});

test('Play, Pause and Reset; the loop pauses off-screen and stops when the widget is removed', async ({
  page,
}) => {
  const w = await open(page);
  await w.getByLabel('Speed').selectOption('60');
  const play = w.getByRole('button', { name: 'Play' });
  await play.click();
  await expect(w.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => iteration(w)).toBeGreaterThan(5);
  // scrolled out of view: no more iterations
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(300);
  const away = await iteration(w);
  await page.waitForTimeout(500);
  expect(await iteration(w)).toBe(away);
  await w.scrollIntoViewIfNeeded();
  await expect.poll(() => iteration(w)).toBeGreaterThan(away);
  // a hidden tab: no more iterations until it is visible again
  const setHidden = (hidden: boolean) =>
    page.evaluate((h) => {
      Object.defineProperty(document, 'visibilityState', {
        value: h ? 'hidden' : 'visible',
        configurable: true,
      });
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);
  await setHidden(true);
  await page.waitForTimeout(200);
  const hiddenAt = await iteration(w);
  await page.waitForTimeout(500);
  expect(await iteration(w)).toBe(hiddenAt);
  await setHidden(false);
  await expect.poll(() => iteration(w)).toBeGreaterThan(hiddenAt);
  await w.getByRole('button', { name: 'Pause' }).click();
  const paused = await iteration(w);
  await page.waitForTimeout(400);
  expect(await iteration(w)).toBe(paused);
  // the error went down
  const demo = createDemo('sin-cos');
  let s = initialState(demo);
  for (let i = 0; i < paused; i++) s = step(demo, s, 0.5);
  await expect(w.locator('.status')).toContainText(fmt(s.error, { digits: 6, scientific: true }));
  await w.getByRole('button', { name: 'Reset' }).click();
  await expect(w.locator('.status')).toContainText('Iteration 0:');

  // removed while playing: no animation frames keep running
  await w.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => iteration(w)).toBeGreaterThan(0);
  const frames = await framesAfterRemoving(page, 'surface-fitting', 400);
  expect(frames).toBe(0);
});

test('too large a learning rate diverges, says so, and recovers with a smaller one', async ({ page }) => {
  const w = await open(page);
  const demo = createDemo('sin-cos');
  await w.getByLabel('Learning rate').fill('1.2');
  let s = initialState(demo);
  while (s.status === 'ready') s = step(demo, s, 1.2);
  for (let i = 0; i < s.iteration; i++) await w.getByRole('button', { name: 'Step' }).click();
  const box = w.locator('.diverged');
  await expect(box).toBeVisible();
  await expect(box).toContainText(`Diverged at iteration ${s.divergedAt}`);
  await expect(box).toContainText(
    `The learning rate 1.2 is too large: this model needs less than 2/λmax = ${fmt(demo.stableLr, { digits: 3, scientific: true })}.`,
  );
  await expect(w.locator('svg.errors .diverged-line')).toHaveCount(1);
  // Play cannot continue a diverged run
  await w.getByRole('button', { name: 'Play' }).click();
  await expect(w.getByRole('button', { name: 'Play' })).toHaveAttribute('aria-pressed', 'false');
  const lr = recoveryLr(1.2, demo.stableLr);
  await w.getByRole('button', { name: `Reset with learning rate ${lr}` }).click();
  await expect(w.getByLabel('Learning rate')).toHaveValue(String(lr));
  await expect(box).toBeHidden();
  await w.getByRole('button', { name: 'Step' }).click();
  await expect(w.locator('.status')).toContainText(
    `Iteration 1: error (MSE over 441 grid points) ${fmt(step(demo, initialState(demo), lr).error, { digits: 6, scientific: true })}`,
  );
});

test('bad learning rates are refused with a message', async ({ page }) => {
  const w = await open(page);
  const lr = w.getByLabel('Learning rate');
  for (const bad of ['', '-1', '0', '1000']) {
    await lr.fill(bad);
    await expect(w.locator('.message')).toHaveText(
      `The learning rate must be a number above 0 and at most 100 (${bad === '' ? 'it is empty' : `got “${bad}”`}).`,
    );
    await expect(lr).toHaveAttribute('aria-invalid', 'true');
  }
  await w.getByRole('button', { name: 'Step' }).click();
  await expect(w.locator('.status')).toContainText('Iteration 0:');
  await lr.fill('0.3');
  await expect(w.locator('.message')).toBeHidden();
});

test.describe('with prefers-reduced-motion', () => {
  test.use({ reducedMotion: 'reduce' });
  test('nothing plays by itself; Step still works', async ({ page }) => {
    const w = await open(page);
    await page.waitForTimeout(500);
    expect(await iteration(w)).toBe(0);
    await w.getByRole('button', { name: 'Step' }).click();
    await expect(w.locator('.status')).toContainText('Iteration 1:');
  });
});
