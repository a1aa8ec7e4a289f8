import { test, expect, setTheme } from './fixtures';
import { axeViolations, framesAfterRemoving, openWidget } from './widget-helpers';
import type { Locator, Page } from '@playwright/test';
import {
  MODELS,
  createTrainer,
  readData,
  runSteps,
  type ModelId,
  type OptimizerId,
} from '../components/widgets/training-stepper/model';
import { READOUT, fmt } from '../components/widgets/shared/parse';
import { crossEntropy } from '../src/lib/loss';
import { sgdStep, createSgdState } from '../src/lib/optimizers';

const PAGE = './chapters/training-and-inference/';

function open(page: Page): Promise<Locator> {
  return openWidget(page, PAGE, 'training-stepper', (w) =>
    expect(w.getByRole('button', { name: /^Next phase/ })).toBeEnabled(),
  );
}

/** The parameter table as rows of cell texts: [name, value, .grad, old → new]. */
async function params(w: Locator): Promise<string[][]> {
  return w
    .locator('.params tbody tr')
    .evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent?.trim() ?? '')));
}

async function phaseStates(w: Locator): Promise<string[]> {
  return w.locator('.phase').evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.state ?? ''));
}

function data(id: ModelId) {
  const r = readData(MODELS[id], MODELS[id].defaultData);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

test('steps through the chapter’s example one phase at a time, with the PyTorch line for each', async ({
  page,
}) => {
  const w = await open(page);
  const next = w.getByRole('button', { name: /^Next phase/ });
  const lines = await w.locator('.phase code').allTextContents();
  expect(lines).toEqual([
    'optimizer.zero_grad()',
    'outputs = model(inputs)',
    'loss = criterion(outputs, labels)',
    'loss.backward()',
    'optimizer.step()',
  ]);
  await expect(next).toHaveText('Next phase: optimizer.zero_grad()');

  await next.click(); // zero_grad
  await expect(w.locator('.status')).toContainText('every .grad is now None');
  expect((await params(w))[0]).toEqual(['w', '0.5000', 'None', '–']);
  expect(await phaseStates(w)).toEqual(['done', 'next', 'to-do', 'to-do', 'to-do']);

  await next.click(); // forward: ŷ = 0.5 · 2
  await expect(w.locator('.examples tbody tr').first()).toContainText('1.0000');

  await next.click(); // loss
  // Squared error computed here vs by hand: (1 − 3)² = 4.
  await expect(w.locator('.status')).toContainText(`= ${fmt((0.5 * 2 - 3) ** 2, READOUT)}`);

  await next.click(); // backward
  expect((await params(w))[0]).toEqual(['w', '0.5000', fmt(2 * (0.5 * 2 - 3) * 2, READOUT), '–']);
  await expect(w.locator('.status')).toContainText('w.grad = -8.0000');

  await next.click(); // step: src/lib SGD
  const stepped = sgdStep([0.5], [-8], createSgdState(), { lr: 0.01 }).params[0];
  expect((await params(w))[0]).toEqual([
    'w',
    fmt(stepped, READOUT),
    '-8.0000',
    `0.5000 → ${fmt(stepped, READOUT)}`,
  ]);
  await expect(w.locator('.loss-line')).toContainText('Loss at step 1: 4.0000');
  await expect(next).toHaveText('Next phase: optimizer.zero_grad()');

  // Two more steps reproduce the chapter's 0.6536 and 0.7213.
  await w.getByRole('button', { name: 'Finish this step' }).click();
  await w.getByRole('button', { name: 'Finish this step' }).click();
  const expected = runSteps(createTrainer(MODELS.w, data('w'), 'sgd', 0.01), 3);
  expect((await params(w))[0][1]).toBe(fmt(expected.params[0], READOUT));
  expect(fmt(expected.params[0], READOUT)).toBe('0.7213');
  await expect(w.locator('.loss-line')).toContainText(`Loss at step 3: ${fmt(expected.history[2], READOUT)}`);
});

test('every optimizer matches src/lib on the 2 → 2 classifier with cross-entropy', async ({ page }) => {
  const w = await open(page);
  await w.getByRole('combobox', { name: /^Model/ }).selectOption('classifier');
  await expect(w.getByLabel(/Training data/)).toHaveValue(MODELS.classifier.defaultData);
  // The first forward + loss equal src/lib crossEntropy of W·x + b.
  for (let i = 0; i < 3; i++) await w.getByRole('button', { name: /^Next phase/ }).click();
  const ex = data('classifier');
  const [w00, w01, w10, w11, b0, b1] = MODELS.classifier.init;
  const logits = ex.map((e) => [w00 * e.x[0] + w01 * e.x[1] + b0, w10 * e.x[0] + w11 * e.x[1] + b1]);
  const ce = crossEntropy(
    logits,
    ex.map((e) => e.y),
  );
  await expect(w.locator('.status')).toContainText(`= ${fmt(ce.loss, READOUT)}`);
  const perExample = await w.locator('.examples tbody tr td:last-child').allTextContents();
  expect(perExample).toEqual(ce.losses.map((x) => fmt(x, READOUT)));

  for (const opt of ['sgd', 'momentum', 'adam', 'adamw'] as OptimizerId[]) {
    await w.getByRole('button', { name: 'Reset', exact: true }).click();
    await w.getByRole('combobox', { name: /^Optimizer/ }).selectOption(opt);
    await w.getByLabel('Learning rate').fill('0.1');
    await w.getByRole('button', { name: 'Run 10 steps' }).click();
    const want = runSteps(createTrainer(MODELS.classifier, ex, opt, 0.1), 10);
    const rows = await params(w);
    expect(
      rows.map((r) => r[1]),
      opt,
    ).toEqual(want.params.map((x) => fmt(x, READOUT)));
    expect(rows.map((r) => r[2])).toEqual(want.grad!.map((x) => fmt(x, READOUT)));
    await expect(w.locator('.setup')).toContainText(
      opt === 'adamw' ? 'torch.optim.AdamW(model.parameters(), lr=0.1, weight_decay=0.01)' : 'lr=0.1',
    );
  }
});

test('skipping zero_grad makes the gradients accumulate', async ({ page }) => {
  const w = await open(page);
  await w.getByLabel(/Skip/).check();
  expect((await phaseStates(w))[0]).toBe('skipped');
  await expect(w.getByRole('button', { name: /^Next phase/ })).toHaveText(
    'Next phase: outputs = model(inputs)',
  );
  await w.getByRole('button', { name: 'Finish this step' }).click();
  for (let i = 0; i < 3; i++) await w.getByRole('button', { name: /^Next phase/ }).click();
  // −8 from step 1 plus −7.36 at w = 0.58.
  await expect(w.locator('.status')).toContainText('added to the old .grad');
  const want = runSteps(createTrainer(MODELS.w, data('w'), 'sgd', 0.01, { skipZeroGrad: true }), 2);
  expect(fmt(want.grad![0], READOUT)).toBe('-15.3600');
  expect((await params(w))[0][2]).toBe('-15.3600');
});

test('inference mode greys out zero_grad, loss, backward and step, and says why', async ({ page }) => {
  const w = await open(page);
  await w.getByRole('button', { name: 'Run 10 steps' }).click();
  const before = await params(w);
  await w.getByLabel(/Inference mode/).check();
  expect(await phaseStates(w)).toEqual([
    'not-at-inference',
    'runs',
    'not-at-inference',
    'not-at-inference',
    'not-at-inference',
  ]);
  await expect(w.locator('.phase').nth(2)).toContainText('no labels');
  await expect(w.locator('.phase').nth(3)).toContainText('no gradient is needed');
  await expect(w.locator('.phase').nth(4)).toContainText('changes nothing');
  await expect(w.locator('.setup')).toContainText('model.eval()');
  await expect(w.getByRole('button', { name: 'Run 10 steps' })).toBeHidden();
  await w.getByRole('button', { name: 'Next phase: forward pass' }).click();
  await w.getByRole('button', { name: 'Next phase: forward pass' }).click();
  expect((await params(w)).map((r) => r[1])).toEqual(before.map((r) => r[1]));
  const trained = runSteps(createTrainer(MODELS.w, data('w'), 'sgd', 0.01), 10).params[0];
  await expect(w.locator('.examples tbody td').last()).toHaveText(fmt(trained * 2, READOUT));
  await w.getByLabel(/Inference mode/).uncheck();
  await expect(w.getByRole('button', { name: /^Next phase/ })).toHaveText(
    'Next phase: optimizer.zero_grad()',
  );
});

test('bad input: learning rate and data get inline messages, and buttons wait', async ({ page }) => {
  const w = await open(page);
  const alert = w.locator('.message');
  const lr = w.getByLabel('Learning rate');
  for (const bad of ['', '-1', '0', '500']) {
    await lr.fill(bad);
    await expect(alert).toBeVisible();
    await expect(alert).toContainText('Learning rate must be');
    await expect(lr).toHaveAttribute('aria-invalid', 'true');
    await expect(w.getByRole('button', { name: /^Next phase/ })).toBeDisabled();
  }
  await lr.fill('0.01');
  await expect(alert).toBeHidden();
  const dataBox = w.getByLabel(/Training data/);
  await dataBox.fill('');
  await expect(alert).toContainText('Enter at least one example');
  await dataBox.fill('2, NaN');
  await expect(alert).toContainText('Example 1: entry 2 (“NaN”) is not a finite number.');
  await dataBox.fill('2');
  await expect(alert).toContainText('Example 1: enter exactly two numbers (got 1).');
  await dataBox.fill('2, 3\n4, 5');
  await expect(alert).toBeHidden();
  await expect(w.locator('.examples tbody tr')).toHaveCount(2);
});

test('a too-high learning rate diverges: the widget says so and offers a reset', async ({ page }) => {
  const w = await open(page);
  await w.getByRole('combobox', { name: /^Model/ }).selectOption('wb');
  await w.getByLabel('Learning rate').fill('0.5');
  await w.getByRole('button', { name: 'Run 10 steps' }).click();
  const banner = w.locator('.diverged');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('loss is exploding');
  await expect(banner).toContainText('learning rate (0.5) is too high');
  // the exploding losses are drawn on a log axis, so the first steps do not lie flat
  await expect(w.locator('svg.loss-chart')).toContainText('loss (log scale)');
  await expect(w.getByRole('button', { name: /^Next phase/ })).toBeDisabled();
  await w.getByLabel('Learning rate').fill('0.05');
  await banner.getByRole('button', { name: 'Reset the weights' }).click();
  await expect(banner).toBeHidden();
  expect((await params(w)).map((r) => r[1])).toEqual(['0.5000', '0.0000']);
  await w.getByRole('button', { name: 'Run 10 steps' }).click();
  await expect(banner).toBeHidden();
  const want = runSteps(createTrainer(MODELS.wb, data('wb'), 'sgd', 0.05), 10);
  expect((await params(w)).map((r) => r[1])).toEqual(want.params.map((x) => fmt(x, READOUT)));
});

test('play advances phase by phase, pauses off-screen and stops when the widget leaves the page', async ({
  page,
}) => {
  const w = await open(page);
  await w.getByRole('button', { name: 'Play' }).click();
  await expect(w.locator('.phase[data-state="done"]')).not.toHaveCount(0);
  await expect(w.getByRole('button', { name: 'Pause' })).toBeVisible();
  // Off-screen: nothing advances.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(300);
  const frozen = await w.locator('.status').textContent();
  await page.waitForTimeout(1600);
  expect(await w.locator('.status').textContent()).toBe(frozen);
  // Back on screen it continues; then remove the widget and count animation frames requested.
  await w.scrollIntoViewIfNeeded();
  await expect(w.locator('.status')).not.toHaveText(frozen ?? '');
  const frames = await framesAfterRemoving(page, 'training-stepper', 1000);
  expect(frames).toBe(0);
});

test('axe passes in the widget’s states, light and dark, and at 360 px', async ({ page }) => {
  const w = await open(page);
  await w.getByRole('combobox', { name: /^Model/ }).selectOption('classifier');
  await w.getByRole('button', { name: 'Run 10 steps' }).click();
  await w.getByRole('button', { name: /^Next phase/ }).click();
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme);
    expect(await axeViolations(page, 'training-stepper'), theme).toEqual([]);
  }
  await w.getByLabel(/Inference mode/).check();
  await w.getByRole('button', { name: /^Next phase/ }).click();
  expect(await axeViolations(page, 'training-stepper'), 'inference').toEqual([]);
  await w.getByLabel(/Inference mode/).uncheck();
  await w.getByRole('combobox', { name: /^Model/ }).selectOption('wb');
  await w.getByLabel('Learning rate').fill('0.5');
  await w.getByRole('button', { name: 'Run 10 steps' }).click();
  await expect(w.locator('.diverged')).toBeVisible();
  await w.getByLabel('Learning rate').fill('-1');
  expect(await axeViolations(page, 'training-stepper'), 'diverged + bad input').toEqual([]);
  await page.setViewportSize({ width: 360, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(overflow).toBeLessThanOrEqual(360);
  expect(await axeViolations(page, 'training-stepper'), '360 px').toEqual([]);
});
