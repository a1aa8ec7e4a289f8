import { test, expect, setTheme } from './fixtures';
import { axeViolations, openWidget } from './widget-helpers';
import type { Locator, Page } from '@playwright/test';
import * as act from '../src/lib/activations';
import { softmax } from '../src/lib/softmax';
import { describeIntervals, vanishingIntervals } from '../components/widgets/activation-explorer/model';
import { READOUT, fmt } from '../components/widgets/shared/parse';

const PAGE = './chapters/dropout-and-activations/';

function open(page: Page): Promise<Locator> {
  return openWidget(page, PAGE, 'activation-explorer', (w) =>
    expect(w.locator('svg.plot path.curve.f')).toHaveCount(1),
  );
}

/** Every activation of src/lib at x, in the order of the comparison table. */
function expectedRows(x: number, slope = 0.01): string[][] {
  return [
    ['ReLU', act.relu(x), act.reluDerivative(x)],
    [`Leaky ReLU (slope ${slope})`, act.leakyRelu(x, slope), act.leakyReluDerivative(x, slope)],
    ['Sigmoid', act.sigmoid(x), act.sigmoidDerivative(x)],
    ['Tanh', act.tanh(x), act.tanhDerivative(x)],
    ['GELU (exact)', act.gelu(x), act.geluDerivative(x)],
    ['GELU (tanh approximation)', act.gelu(x, 'tanh'), act.geluDerivative(x, 'tanh')],
  ].map(([name, f, df]) => [name as string, fmt(f as number, READOUT), fmt(df as number, READOUT)]);
}

async function compareRows(w: Locator): Promise<string[][]> {
  return w
    .locator('.compare tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent?.trim() ?? '')));
}

test('the cursor readout and the comparison table equal src/lib at x', async ({ page }) => {
  const w = await open(page);
  await expect(w.locator('.readout')).toContainText(
    `Sigmoid at x = 2: f(x) = ${fmt(act.sigmoid(2), READOUT)}, f′(x) = ${fmt(act.sigmoidDerivative(2), READOUT)}.`,
  );
  expect(await compareRows(w)).toEqual(expectedRows(2));
  // The chapter's table: GELU(−0.5) = −0.1543, GELU′(−0.5) = 0.1325.
  await w.getByRole('spinbutton', { name: 'x', exact: true }).fill('-0.5');
  expect(await compareRows(w)).toEqual(expectedRows(-0.5));
  expect((await compareRows(w))[4]).toEqual(['GELU (exact)', '-0.1543', '0.1325']);
});

test('the x slider works from the keyboard and moves the cursor', async ({ page }) => {
  const w = await open(page);
  const slider = w.getByRole('slider', { name: 'x, slider' });
  await slider.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await expect(w.getByRole('spinbutton', { name: 'x', exact: true })).toHaveValue('2.03');
  await expect(w.locator('.readout')).toContainText(`f(x) = ${fmt(act.sigmoid(2.03), READOUT)}`);
  await expect(w.locator('svg.plot .cursor-label')).toHaveText(
    `x = 2.03, f = ${fmt(act.sigmoid(2.03), READOUT)}`,
  );
  await page.keyboard.press('Home');
  await expect(w.locator('.readout')).toContainText(`x = -6: f(x) = ${fmt(act.sigmoid(-6), READOUT)}`);
  await expect(w.locator('.readout')).toContainText('The gradient vanishes here');
});

test('hovering over the plot reads the values under the pointer', async ({ page }) => {
  const w = await open(page);
  const box = (await w.locator('svg.plot').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  const x = Number(await w.getByRole('spinbutton', { name: 'x', exact: true }).inputValue());
  expect(x).toBeLessThan(0);
  await expect(w.locator('.readout')).toContainText(
    `f(x) = ${fmt(act.sigmoid(x), READOUT)}, f′(x) = ${fmt(act.sigmoidDerivative(x), READOUT)}`,
  );
});

test('functions, the derivative toggle, the Leaky ReLU slope and the vanishing regions', async ({ page }) => {
  const w = await open(page);
  const fn = w.getByRole('combobox', { name: 'Function' });
  // Sigmoid: both tails shaded, at the closed-form edges.
  await expect(w.locator('svg.plot .vanish rect')).toHaveCount(2);
  await expect(w.locator('.vanish-note')).toHaveText(
    `Sigmoid: ${describeIntervals(vanishingIntervals(act.sigmoidDerivative, 0.01), 0.01)}`,
  );
  await expect(w.locator('.vanish-note')).toContainText('x ≤ -4.58 and x ≥ 4.58');

  await w.getByLabel('Show derivative f′(x)').uncheck();
  await expect(w.locator('svg.plot path.curve.df')).toHaveCount(0);
  await w.getByLabel('Show derivative f′(x)').check();
  await expect(w.locator('svg.plot path.curve.df')).toHaveCount(1);

  await fn.selectOption('relu');
  await expect(w.locator('.vanish-note')).toContainText('x ≤ 0.00');
  await w.getByRole('spinbutton', { name: 'x', exact: true }).fill('-1');
  await expect(w.locator('.readout')).toContainText('ReLU at x = -1: f(x) = 0.0000, f′(x) = 0.0000');
  await expect(w.locator('.readout')).toContainText('vanishes here');

  await fn.selectOption('leaky-relu');
  await expect(w.locator('svg.plot .vanish rect')).toHaveCount(0);
  await w.getByRole('spinbutton', { name: 'Leaky ReLU slope' }).fill('0.2');
  await w.getByRole('spinbutton', { name: 'x', exact: true }).fill('-2');
  await expect(w.locator('.readout')).toContainText(
    `f(x) = ${fmt(act.leakyRelu(-2, 0.2), READOUT)}, f′(x) = ${fmt(act.leakyReluDerivative(-2, 0.2), READOUT)}`,
  );
  expect(await compareRows(w)).toEqual(expectedRows(-2, 0.2));
  await w.getByRole('spinbutton', { name: 'Leaky ReLU slope' }).fill('0.005');
  await expect(w.locator('svg.plot .vanish rect')).toHaveCount(1);

  await fn.selectOption('gelu');
  await w.getByRole('spinbutton', { name: 'Vanishing threshold' }).fill('0.05');
  await expect(w.locator('.vanish-note')).toHaveText(
    `GELU (exact): ${describeIntervals(
      vanishingIntervals((x) => act.geluDerivative(x), 0.05),
      0.05,
    )}`,
  );
});

test('softmax of the typed scores at a temperature equals src/lib softmax', async ({ page }) => {
  const w = await open(page);
  const probs = () => w.locator('.softmax-table tbody tr td:last-child').allTextContents();
  expect(await probs()).toEqual(softmax([2, 1, 0.1]).weights.map((p) => p.toFixed(4)));
  await w.getByLabel(/Scores z/).fill('3, -1, 0.5, 2');
  await w.getByRole('spinbutton', { name: 'Temperature' }).fill('0.5');
  expect(await probs()).toEqual(softmax([3, -1, 0.5, 2], 0.5).weights.map((p) => p.toFixed(4)));
  await expect(w.locator('svg.bars rect.bar')).toHaveCount(4);
  await expect(w.locator('.softmax-sum')).toContainText('sharpens');
  const slider = w.getByRole('slider', { name: 'Temperature, slider' });
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await expect(w.getByRole('spinbutton', { name: 'Temperature' })).toHaveValue('0.55');
  expect(await probs()).toEqual(softmax([3, -1, 0.5, 2], 0.55).weights.map((p) => p.toFixed(4)));
  await page.keyboard.press('End');
  await expect(w.locator('.softmax-sum')).toContainText('flattens');
});

test('bad input gets a clear inline message and never a crash', async ({ page }) => {
  const w = await open(page);
  const plotAlert = w.locator('.plot-message');
  const smAlert = w.locator('.softmax-message');
  const cases: [Locator, Locator, string, RegExp][] = [
    [
      w.getByRole('spinbutton', { name: 'x', exact: true }),
      plotAlert,
      '10',
      /x must be a number from -6 to 6 \(got “10”\)/,
    ],
    [
      w.getByRole('spinbutton', { name: 'x', exact: true }),
      plotAlert,
      '',
      /x must be a number from -6 to 6 \(it is empty\)/,
    ],
    [
      w.getByRole('spinbutton', { name: 'Leaky ReLU slope' }),
      plotAlert,
      '-1',
      /Leaky ReLU slope must be a number from 0 to 1/,
    ],
    [
      w.getByRole('spinbutton', { name: 'Vanishing threshold' }),
      plotAlert,
      '0',
      /Vanishing threshold must be a number from/,
    ],
    [w.getByLabel(/Scores z/), smAlert, '', /Scores: enter at least one number/],
    [w.getByLabel(/Scores z/), smAlert, '1, NaN', /Scores: entry 2 .* is not a finite number/],
    [w.getByLabel(/Scores z/), smAlert, '1, 1e6', /between −1000 and 1000/],
    [w.getByLabel(/Scores z/), smAlert, '1,2,3,4,5,6,7,8,9,10,11', /at most 10 numbers/],
    [
      w.getByRole('spinbutton', { name: 'Temperature' }),
      smAlert,
      '0',
      /Temperature must be a number from 0.05 to 10/,
    ],
    [w.getByRole('spinbutton', { name: 'Temperature' }), smAlert, '', /Temperature must be a number/],
  ];
  for (const [field, alert, value, message] of cases) {
    const before = await field.inputValue();
    await field.fill(value);
    await expect(alert).toBeVisible();
    await expect(alert).toHaveText(message);
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await field.fill(before);
    await expect(alert).toBeHidden();
  }
});

test('axe passes in the widget’s states, light and dark, and at 360 px', async ({ page }) => {
  const w = await open(page);
  await w.getByRole('combobox', { name: 'Function' }).selectOption('gelu');
  await w.getByRole('spinbutton', { name: 'x', exact: true }).fill('-0.75');
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme);
    expect(await axeViolations(page, 'activation-explorer'), theme).toEqual([]);
  }
  await w.getByLabel(/Scores z/).fill('1, oops');
  expect(await axeViolations(page, 'activation-explorer'), 'bad input').toEqual([]);
  await page.setViewportSize({ width: 360, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  expect(await axeViolations(page, 'activation-explorer'), '360 px').toEqual([]);
});
