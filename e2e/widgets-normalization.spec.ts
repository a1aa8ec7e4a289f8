import { test, expect } from './fixtures';
import { openWidget } from './widget-helpers';
import type { Locator, Page } from '@playwright/test';
import {
  batchNorm,
  createBatchNormState,
  layerNorm,
  minMaxNormalize,
  zScore,
} from '../src/lib/normalization';
import { earlyStopping } from '../src/lib/regularization';
import {
  fitRidge,
  generateData,
  lambdaFromSlider,
  ridgeData,
} from '../components/widgets/normalization-lab/model';
import { fmt } from '../components/widgets/shared/parse';

const PAGE = './chapters/normalization-and-regularization/';

function open(page: Page): Promise<Locator> {
  return openWidget(page, PAGE, 'normalization-lab', (w) =>
    expect(w.locator('table.scaling tbody tr')).toHaveCount(8),
  );
}

async function cells(table: Locator, part = 'tbody'): Promise<string[][]> {
  return table
    .locator(`${part} tr`)
    .evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent?.trim() ?? '')));
}

const cols = (rows: number[][]) => [0, 1, 2].map((j) => rows.map((r) => r[j]));

test('min-max and z-score of the seeded data set equal src/lib', async ({ page }) => {
  const w = await open(page);
  const data = generateData(1, 8);
  const mm = cols(data).map((c) => minMaxNormalize(c).output);
  const zs = cols(data).map((c) => zScore(c).output);
  const expected = data.map((r, i) => [
    String(i + 1),
    ...r.map(String),
    ...mm.map((m) => fmt(m[i])),
    ...zs.map((z) => fmt(z[i])),
  ]);
  expect(await cells(w.locator('table.scaling'))).toEqual(expected);
  await expect(w.getByRole('img', { name: /Scatter plot/ }).locator('circle')).toHaveCount(16);

  // a new seed and row count regenerate the table
  await w.getByLabel('Seed').fill('42');
  await w.getByLabel('Rows', { exact: true }).fill('12');
  await w.getByRole('button', { name: 'Generate data' }).click();
  await expect(w.locator('table.scaling tbody tr')).toHaveCount(12);
  const d2 = generateData(42, 12);
  expect((await cells(w.locator('table.scaling')))[11].slice(7)).toEqual(
    cols(d2).map((c) => fmt(zScore(c).output[11])),
  );
});

test('batch norm: training uses the batch, a training step updates running statistics, eval uses them', async ({
  page,
}) => {
  const w = await open(page);
  const data = generateData(1, 8);
  const b1 = data.slice(0, 4);
  const b2 = data.slice(4, 8);
  const bn = w.locator('table.bn');
  const s0 = createBatchNormState(3);
  const train1 = batchNorm(b1, s0, { training: true });
  expect((await cells(bn))[0]).toEqual(['1', ...train1.output[0].map((v) => fmt(v))]);
  expect((await cells(bn, 'tfoot'))[0]).toEqual(['batch mean', ...train1.mean.map((v) => fmt(v, 4))]);
  // layer norm: per-row statistics of the same batch
  const ln = layerNorm(b1);
  expect((await cells(w.locator('table.ln')))[2]).toEqual([
    '3',
    ...ln.output[2].map((v) => fmt(v)),
    fmt(ln.mean[2], 4),
    fmt(ln.variance[2], 4),
  ]);

  await w.getByRole('button', { name: /Training step on this batch/ }).click();
  const s1 = train1.state;
  await expect(w.locator('.batch-status')).toContainText(
    `Batch 2 of 2 (rows 5–8), training mode. Running mean (${s1.runningMean.map((v) => fmt(v, 4)).join(', ')})`,
  );
  await w.getByRole('button', { name: /Training step on this batch/ }).click();
  const s2 = batchNorm(b2, s1, { training: true }).state;
  await expect(w.locator('.batch-status')).toContainText(`after 2 training batches`);

  await w.getByLabel('eval').check();
  const ev = batchNorm(b1, s2, { training: false });
  await expect(bn.locator('tfoot tr').first()).toHaveText(
    ['running mean', ...ev.mean.map((v) => fmt(v, 4))].join(''),
  );
  expect((await cells(bn))[0]).toEqual(['1', ...ev.output[0].map((v) => fmt(v))]);

  // γ and β change the output
  await w.getByLabel('γ of x₁').fill('2');
  await w.getByLabel('β of x₁').fill('0.5');
  const g = batchNorm(b1, s2, { training: false, gamma: [2, 1, 1], beta: [0.5, 0, 0] });
  expect((await cells(bn))[0][1]).toBe(fmt(g.output[0][0]));

  await w.getByRole('button', { name: 'Reset running statistics' }).click();
  await expect(w.locator('.batch-status')).toContainText('after 0 training batches');
});

test('L2 slider: weights equal the ridge fit and shrink as λ grows', async ({ page }) => {
  const w = await open(page);
  const d = ridgeData(7);
  const weights = async () => (await cells(w.locator('table.l2-weights'))).map((r) => r[1]);
  expect(await weights()).toEqual(fitRidge(d.x, d.y, 8, 0).weights.map((v) => fmt(v, 4)));
  const slider = w.getByLabel(/λ \(slider/);
  await slider.focus();
  await page.keyboard.press('End');
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowLeft');
  const lambda = lambdaFromSlider(90);
  await expect(w.getByLabel('or type λ')).toHaveValue(String(lambda));
  const fit = fitRidge(d.x, d.y, 8, lambda);
  expect(await weights()).toEqual(fit.weights.map((v) => fmt(v, 4)));
  await expect(w.locator('.l2-summary')).toContainText(`Σ w_k² = ${fmt(fit.sumSquares, 4)}`);
  expect(fit.sumSquares).toBeLessThan(fitRidge(d.x, d.y, 8, 0).sumSquares / 10);

  await w.getByLabel('Polynomial degree').selectOption('5');
  await expect(w.locator('table.l2-weights tbody tr')).toHaveCount(6);
});

test('early stopping marks the best epoch and where training stops', async ({ page }) => {
  const w = await open(page);
  await w.getByRole('button', { name: 'The chapter’s example' }).click();
  await expect(w.locator('.es-summary')).toContainText(
    'Best epoch 4 (validation loss 1.68). Epochs 5–7 did not improve on it by more than min_delta = 0: that is 3 = patience, so training stops after epoch 7',
  );
  await w.getByLabel('Patience').fill('4');
  await expect(w.locator('.es-summary')).toContainText('No stop');
  await w.getByRole('button', { name: 'Synthetic run (seeded)' }).click();
  const val = (await w.getByLabel(/Validation loss per epoch/).inputValue()).split(',').map(Number);
  const es = earlyStopping(val, { patience: 4 });
  await expect(w.locator('.es-summary')).toContainText(
    `Best epoch ${es.bestEpoch + 1} (validation loss ${es.bestValue})`,
  );
  await expect(w.locator('svg.curves .stop-line')).toHaveCount(1);
  await expect(w.locator('svg.curves .train-path')).toHaveCount(1);
});

test('early stopping never takes its best epoch from after the stop', async ({ page }) => {
  const w = await open(page);
  await w.getByLabel(/Validation loss per epoch/).fill('3, 2.9, 2.8, 1, 0.5');
  await w.getByLabel('Patience').fill('2');
  await w.getByLabel('min_delta').fill('0.5');
  await expect(w.locator('.es-summary')).toHaveText(
    'Best epoch 1 (validation loss 3). Epochs 2–3 did not improve on it by more than min_delta = 0.5: that is 2 = patience, so training stops after epoch 3 and restores the weights of epoch 1.',
  );
  // the default curve, as reported: the best dot sits left of the stop line, not in the greyed region
  await w.getByRole('button', { name: 'Synthetic run (seeded)' }).click();
  await expect(w.locator('.es-summary')).toContainText('training stops after epoch 5');
  await expect(w.locator('svg.curves .mark-label').last()).toHaveText('best (3)');
  const bestX = Number(await w.locator('svg.curves .best-dot').getAttribute('cx'));
  const stopX = Number(await w.locator('svg.curves .stop-line').getAttribute('x1'));
  expect(bestX).toBeLessThan(stopX);
});

test('bad input gets a clear inline message, never a crash', async ({ page }) => {
  const w = await open(page);
  const alert = (part: string) => w.locator(`.message[data-for="${part}"]`);
  const data = w.getByLabel(/Data set/);
  await data.fill('');
  await expect(alert('data')).toHaveText('Enter at least one row, one per line, e.g. 120, 3, 0.05.');
  await expect(w.locator('.batch-status')).toHaveText('No data: fix the data set above.');
  await data.fill('1, 2, 3\n4, NaN, 6');
  await expect(alert('data')).toContainText('Row 2: entry 2 (“NaN”) is not a finite number.');
  await data.fill('1, 2, 3\n4, 5, 6\n7, 8, 9');
  await expect(alert('data')).toBeHidden();
  await w.getByLabel('Batch size').fill('2');
  await w.getByRole('button', { name: /Training step on this batch/ }).click();
  await expect(alert('norm')).toContainText('Batch 2 has a single row');
  await w.getByLabel('Momentum').fill('5');
  await expect(alert('norm')).toHaveText('Momentum must be a number from 0 to 1 (got “5”).');
  await expect(w.getByLabel('Momentum')).toHaveAttribute('aria-invalid', 'true');
  await w.getByLabel('Rows', { exact: true }).fill('50');
  await expect(alert('data')).toContainText('Rows must be a whole number from 2 to 32 (got “50”).');
  await w.getByRole('button', { name: 'Generate data' }).click();
  await expect(alert('data')).toContainText('Rows must be a whole number from 2 to 32');
  await expect(w.locator('table.scaling tbody tr')).toHaveCount(3);
  await w.getByLabel('Seed').fill('');
  await expect(alert('data')).toContainText('Seed must be a whole number from 0 to 999999');
  await w.getByLabel('or type λ').fill('-1');
  await expect(alert('l2')).toContainText('λ must be a number from 0 to 10');
  await w.getByLabel('Patience').fill('0');
  await expect(alert('es')).toContainText('Patience must be a whole number from 1 to 100');
  await w.getByLabel(/Validation loss per epoch/).fill('');
  await expect(alert('es')).toContainText('enter at least one number');
});
