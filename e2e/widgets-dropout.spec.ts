import { test, expect, setTheme } from './fixtures';
import { axeViolations, framesAfterRemoving, openWidget } from './widget-helpers';
import type { Locator, Page } from '@playwright/test';
import { dropout } from '../src/lib/dropout';
import { matVec } from '../src/lib/matrix';
import { createRng } from '../src/lib/rng';
import { layerWeights } from '../components/widgets/dropout-visualizer/model';
import { fmt } from '../components/widgets/shared/parse';

const PAGE = './chapters/dropout-and-activations/';

const X = [1, 0.5, -0.8, 2];
const H = matVec(layerWeights(6, X.length), X);

function open(page: Page): Promise<Locator> {
  return openWidget(page, PAGE, 'dropout-visualizer', (w) =>
    expect(w.getByRole('button', { name: 'Draw next mask' })).toBeEnabled(),
  );
}

async function rows(w: Locator, table: string): Promise<string[][]> {
  return w
    .locator(`${table} tbody tr`)
    .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent?.trim() ?? '')));
}

/** Replay the page's mask stream with src/lib: k masks from createRng(seed), with running sums. */
function replay(h: number[], p: number, seed: number, k: number) {
  const rng = createRng(seed);
  const sums = h.map(() => 0);
  let last = dropout(h, p, { rng });
  last.output.forEach((v, i) => (sums[i] += v));
  for (let i = 1; i < k; i++) {
    last = dropout(h, p, { rng });
    last.output.forEach((v, i2) => (sums[i2] += v));
  }
  return { last, means: sums.map((s) => s / k) };
}

test('the first mask, its scale 1/(1 − p) and the greyed units equal src/lib dropout', async ({ page }) => {
  const w = await open(page);
  const { last } = replay(H, 0.5, 1, 1);
  await expect(w.locator('.scale')).toHaveText(
    'Survivors are multiplied by 1/(1 − p) = 1/(1 − 0.5) = 2.000.',
  );
  expect(await rows(w, '.mask-table')).toEqual(
    H.map((h, j) => [`h${j + 1}`, fmt(h), last.mask[j] ? 'kept' : 'dropped', fmt(last.output[j])]),
  );
  const dropped = last.mask.filter((m) => !m).length;
  await expect(w.locator('svg.diagram .outputs .node.dropped')).toHaveCount(dropped);
  await expect(w.locator('svg.diagram .factor:not(.muted)').first()).toHaveText('×2.00');
  await expect(w.locator('svg.diagram')).toHaveAttribute('role', 'img');
  await expect(w.locator('svg.diagram')).toHaveAttribute('aria-label', /units kept/);
});

test('drawing masks continues the seeded stream; 1,000 masks average to the eval output', async ({
  page,
}) => {
  const w = await open(page);
  await w.getByRole('button', { name: 'Draw next mask' }).click();
  await expect(w.locator('.mask-table caption')).toContainText('Mask 2 (seed 1)');
  const two = replay(H, 0.5, 1, 2);
  expect((await rows(w, '.mask-table')).map((r) => r[3])).toEqual(two.last.output.map((x) => fmt(x)));

  await w.getByRole('button', { name: 'Draw 1,000 more' }).click();
  await expect(w.locator('.mean-table caption')).toContainText('averaged over 1,002 masks');
  const many = replay(H, 0.5, 1, 1002);
  const table = await rows(w, '.mean-table');
  expect(table.map((r) => r[1])).toEqual(H.map((x) => fmt(x))); // eval output = h
  expect(table.map((r) => r[2])).toEqual(many.means.map((x) => fmt(x))); // mean of training outputs
  // In expectation they match: every gap is within 4 standard errors |h|·√(p/(1−p))/√k.
  many.means.forEach((m, j) =>
    expect(Math.abs(m - H[j])).toBeLessThan((4 * Math.abs(H[j])) / Math.sqrt(1002)),
  );
  await expect(w.locator('.mean-note')).toContainText('matches eval mode in expectation');

  await w.getByRole('button', { name: 'Restart masks' }).click();
  await expect(w.locator('.mask-table caption')).toContainText('Mask 1 (seed 1)');
});

test('eval mode passes every unit through unchanged', async ({ page }) => {
  const w = await open(page);
  await w.getByRole('radio', { name: 'eval' }).check();
  await expect(w.locator('.scale')).toContainText('dropout is the identity');
  expect(await rows(w, '.mask-table')).toEqual(H.map((h, j) => [`h${j + 1}`, fmt(h), 'kept', fmt(h)]));
  await expect(w.locator('svg.diagram .outputs .node.dropped')).toHaveCount(0);
  // the column titles fit inside the picture ("eval: unchanged" was clipped at the right edge)
  await expect(w.locator('svg.diagram .titles text').last()).toHaveText('eval: unchanged');
  const outside = await w.locator('svg.diagram').evaluate((svg: SVGSVGElement) => {
    const width = svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll<SVGTextElement>('.titles text')]
      .map((t) => t.getBBox())
      .filter((b) => b.x < 0 || b.x + b.width > width).length;
  });
  expect(outside).toBe(0);
  await w.getByRole('radio', { name: 'training' }).check();
  await expect(w.locator('.scale')).toContainText('2.000');
});

test('the rate: typed or moved with the keyboard, slider and box stay in step', async ({ page }) => {
  const w = await open(page);
  const box = w.getByRole('spinbutton', { name: 'Dropout rate p' });
  const slider = w.getByRole('slider', { name: 'Dropout rate p, slider' });
  await box.fill('0.14');
  await expect(slider).toHaveValue('0.14');
  await expect(w.locator('.scale')).toContainText(`= ${(1 / 0.86).toFixed(3)}`);
  const { last } = replay(H, 0.14, 1, 1);
  expect((await rows(w, '.mask-table')).map((r) => r[3])).toEqual(last.output.map((x) => fmt(x)));
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await expect(box).toHaveValue('0.15');
  await page.keyboard.press('End');
  await expect(box).toHaveValue('1');
  await expect(w.locator('.scale')).toContainText('p = 1 drops every unit');
  expect((await rows(w, '.mask-table')).every((r) => r[2] === 'dropped' && r[3] === '0.000')).toBe(true);
  await page.keyboard.press('Home');
  await expect(box).toHaveValue('0');
  await expect(w.locator('.mean-note')).toContainText('nothing is dropped');
  // A new seed gives the mask src/lib draws from that seed.
  await box.fill('0.5');
  await w.getByLabel('Mask seed').fill('99');
  const s99 = replay(H, 0.5, 99, 1);
  expect((await rows(w, '.mask-table')).map((r) => r[2])).toEqual(
    s99.last.mask.map((m) => (m ? 'kept' : 'dropped')),
  );
});

test('bad input gets an inline message and the buttons wait', async ({ page }) => {
  const w = await open(page);
  const alert = w.getByRole('alert');
  const cases: [Locator, string, RegExp][] = [
    [
      w.getByRole('spinbutton', { name: 'Dropout rate p' }),
      '1.5',
      /Dropout rate p must be a number from 0 to 1 \(got “1\.5”\)/,
    ],
    [
      w.getByRole('spinbutton', { name: 'Dropout rate p' }),
      '-0.2',
      /must be a number from 0 to 1 \(got “-0\.2”\)/,
    ],
    [
      w.getByRole('spinbutton', { name: 'Dropout rate p' }),
      '',
      /must be a number from 0 to 1 \(it is empty\)/,
    ],
    [w.getByLabel(/Inputs x/), '', /Inputs x: enter at least one number/],
    [w.getByLabel(/Inputs x/), '1, abc', /Inputs x: entry 2 .* is not a finite number/],
    [w.getByLabel(/Inputs x/), '1, NaN', /is not a finite number/],
    [w.getByLabel(/Inputs x/), '1,2,3,4,5,6,7', /at most 6 numbers/],
    [
      w.getByRole('spinbutton', { name: 'Hidden units' }),
      '9',
      /Hidden units must be a whole number from 1 to 8/,
    ],
    [w.getByLabel('Mask seed'), '-1', /Mask seed must be a whole number/],
  ];
  for (const [field, value, message] of cases) {
    const before = await field.inputValue();
    await field.fill(value);
    await expect(alert).toBeVisible();
    await expect(alert).toHaveText(message);
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(w.getByRole('button', { name: 'Draw next mask' })).toBeDisabled();
    await field.fill(before);
    await expect(alert).toBeHidden();
  }
  // Fewer inputs and units redraw the diagram to match.
  await w.getByLabel(/Inputs x/).fill('0.8, -1.2');
  await w.getByRole('spinbutton', { name: 'Hidden units' }).fill('3');
  await expect(w.locator('svg.diagram .inputs .node')).toHaveCount(2);
  await expect(w.locator('svg.diagram .hidden .node')).toHaveCount(3);
  await expect(w.locator('svg.diagram .weights line')).toHaveCount(6);
});

test('play draws masks, pauses off-screen and leaves nothing running when removed', async ({ page }) => {
  const w = await open(page);
  await w.getByRole('button', { name: 'Play' }).click();
  await expect(w.locator('.mask-table caption')).not.toContainText('Mask 1 ');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(300);
  const frozen = await w.locator('.mask-table caption').textContent();
  await page.waitForTimeout(800);
  expect(await w.locator('.mask-table caption').textContent()).toBe(frozen);
  await w.scrollIntoViewIfNeeded();
  await w.getByRole('button', { name: 'Pause' }).click();
  await w.getByRole('button', { name: 'Play' }).click();
  const frames = await framesAfterRemoving(page, 'dropout-visualizer', 800);
  expect(frames).toBe(0);
});

test('axe passes in the widget’s states, light and dark, and at 360 px', async ({ page }) => {
  const w = await open(page);
  await w.getByRole('button', { name: 'Draw 1,000 more' }).click();
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme);
    expect(await axeViolations(page, 'dropout-visualizer'), theme).toEqual([]);
  }
  await w.getByRole('radio', { name: 'eval' }).check();
  await w.getByLabel('Mask seed').fill('1.5');
  expect(await axeViolations(page, 'dropout-visualizer'), 'eval + bad input').toEqual([]);
  await page.setViewportSize({ width: 360, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  expect(await axeViolations(page, 'dropout-visualizer'), '360 px').toEqual([]);
});
