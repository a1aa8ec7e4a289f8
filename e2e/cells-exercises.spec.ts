import { test, expect } from './fixtures';
import { cell, run, typeCode } from './cells-helpers';
import { exercises } from '../src/exercises';

test('an exercise fails with its TODO, passes with its solution, and is remembered on the sidebar and home page', async ({
  page,
}) => {
  const ex = exercises['attention/causal-attention'];
  await page.goto('chapters/attention/');
  const c = cell(page, `Exercise: ${ex.title}`);
  let out = await run(c);
  await expect(out.getByRole('status')).toContainText('Not yet');
  // The feedback names what failed, e.g. "row 0 of the weights sums to 0.9…, not 1".
  await expect(out.getByRole('listitem').first()).toContainText(
    /row \d+ of the weights sums to [\d.]+, not 1/,
  );

  await c.getByText('Show a solution').click();
  await expect(c.locator('details pre')).toContainText('const masked = scores.map');

  await typeCode(c, ex.solution);
  out = await run(c);
  await expect(out.getByRole('status')).toContainText(/Solved: all \d+ checks pass/);
  await expect(page.locator('#exercise-causal-attention [data-solved-badge]')).toBeVisible();
  const sidebar = page.getByRole('navigation', { name: 'Chapters' });
  await expect(sidebar.getByText('1/1 exercises solved')).toBeVisible();

  await page.goto('./');
  const item = page.locator('[data-solved-item="attention/causal-attention"]');
  await expect(item).toContainText('✓ solved');
  await expect(page.locator('[data-solved-item="start-here/softmax"] [data-solved-mark]')).toBeHidden();
  await expect(page.locator('[data-solved-summary]')).toContainText('You have solved 1 of');
});

test('a cell that imports TensorFlow.js loads it in the sandbox and prints tensors with shape and dtype', async ({
  page,
}) => {
  await page.goto('chapters/training-and-inference/');
  const c = cell(page, /training steps on a tiny model in TensorFlow.js/);
  const out = await run(c);
  await expect(out).toContainText('Loading TensorFlow.js into the sandbox');
  await expect(out.getByRole('table')).toContainText('Tensor shape [4, 1] dtype float32');
  await expect(out.locator('svg[role="img"]')).toHaveAttribute('aria-label', /training loss/);
  // The page itself never loaded TensorFlow.js as a script: only the sandbox evaluated it.
  const scripts = await page.evaluate(() =>
    [...document.scripts].map((s) => s.src).filter((s) => s.includes('tf-')),
  );
  expect(scripts).toEqual([]);
});
