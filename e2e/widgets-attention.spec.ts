import type { Locator, Page } from '@playwright/test';
import { test, expect, setTheme } from './fixtures';
import { axeViolations } from './widget-helpers';
// The seeded inputs (embeddings, projection matrices) are reproduced with the widget's own generator;
// every attention number is then computed here, in Node, by src/lib and compared with the page.
import {
  embeddingMatrix,
  makeParams,
  type CalcConfig,
  type Edits,
} from '../components/widgets/attention-calculator/model';
import { START_CONFIG } from '../components/widgets/attention-calculator/config';
import { scaledDotProductAttention } from '../src/lib/attention/scaled-dot';
import { additiveAttention } from '../src/lib/attention/additive';
import { multiplicativeAttention } from '../src/lib/attention/multiplicative';
import { localAttention } from '../src/lib/attention/local';
import { hardAttention } from '../src/lib/attention/hard';
import { multiHeadAttention } from '../src/lib/attention/multi-head';
import { matmul, type Matrix } from '../src/lib/matrix';

/** The chapter 5 calculator's starting configuration (AttentionCalculator.astro's defaults). */
const CH5: CalcConfig = START_CONFIG;
const SENTENCE = CH5.tokens;

/** Q, K, V of a single-head configuration, computed from its seed. */
function qkv(c: CalcConfig, edits?: Edits): [Matrix, Matrix, Matrix] {
  const x = embeddingMatrix(c.seed, c.tokens, c.dModel, edits);
  const p = makeParams(c);
  return [matmul(x, p.wq), matmul(x, p.wk), matmul(x, p.wv)];
}

async function openCalculator(page: Page, chapter: string): Promise<Locator> {
  await page.goto(`./chapters/${chapter}/`);
  const w = page.locator('attention-calculator');
  await w.scrollIntoViewIfNeeded();
  await expect(w).toHaveAttribute('data-ready', 'true');
  return w;
}

/** Full-precision numbers of a displayed matrix (each cell carries its value in data-value). */
async function readMatrix(w: Locator, name: string): Promise<number[][]> {
  return w
    .locator(`figure.matrix[data-matrix="${name}"] tbody tr`)
    .evaluateAll((rows) =>
      rows.map((tr) => [...tr.querySelectorAll<HTMLElement>('td.v')].map((td) => Number(td.dataset.value))),
    );
}

function expectMatrixClose(actual: number[][], expected: Matrix, tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => {
    expect(row.length).toBe(expected[i].length);
    row.forEach((x, j) => {
      if (expected[i][j] === -Infinity) expect(x).toBe(-Infinity);
      else expect(Math.abs(x - expected[i][j]), `cell (${i}, ${j})`).toBeLessThanOrEqual(tol);
    });
  });
}

async function goToStage(w: Locator, label: string | RegExp): Promise<void> {
  await w.getByRole('navigation', { name: 'Attention stages' }).getByRole('button', { name: label }).click();
  await expect(w.locator('.step-status')).toContainText(label);
}

test('chapter 5: the steps walk forward and back, with KaTeX formulas and numbers equal to src/lib', async ({
  page,
}) => {
  const w = await openCalculator(page, 'attention');
  const chips = w.getByRole('list', { name: 'Tokens' }).getByRole('listitem');
  await expect(chips).toHaveText(SENTENCE.map((t, i) => `${i + 1}${t}`));
  const status = w.locator('.step-status');
  await expect(status).toHaveText('Stage 1 of 7: Embeddings X');
  // no weights exist yet: no "Softmax weights" heatmap before the scores
  await expect(w.locator('.heatmaps svg')).toHaveCount(0);
  await expect(w.locator('.heatmaps')).toContainText('appears from stage 3');
  const back = w.getByRole('button', { name: 'Back' });
  const next = w.getByRole('button', { name: 'Next' });
  await expect(back).toHaveAttribute('aria-disabled', 'true');
  // Walk forward by keyboard, one stage at a time.
  await next.focus();
  const labels = [
    'Projections Q, K, V',
    'Scores Q·Kᵀ',
    'Scale by 1/√d_k',
    'Mask (off)',
    'Softmax weights',
    'Weighted sums',
  ];
  for (const [k, label] of labels.entries()) {
    await page.keyboard.press('Enter');
    await expect(status).toHaveText(`Stage ${k + 2} of 7: ${label}`);
  }
  await expect(next).toHaveAttribute('aria-disabled', 'true');
  await expect(w.locator('.heatmaps svg').first()).toBeVisible();
  await expect(w.locator('.stage-formula .katex')).toBeVisible();
  const [q, k, v] = qkv(CH5);
  const want = scaledDotProductAttention(q, k, v);
  expectMatrixClose(await readMatrix(w, 'sum'), want.output);
  // And back again.
  await back.click();
  await expect(status).toHaveText('Stage 6 of 7: Softmax weights');
  const weights = await readMatrix(w, 'weights');
  expectMatrixClose(weights, want.weights);
  for (const row of weights) expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThanOrEqual(1e-6);
  await expect(w.locator('td.sum')).toHaveText(Array(5).fill('1.000000'));
  await expect(w.getByRole('img', { name: /Heatmap of the softmax weights/ })).toBeVisible();
  // The other stages show Q, K, V and the scores from src/lib too.
  await goToStage(w, 'Projections Q, K, V');
  expectMatrixClose(await readMatrix(w, 'q'), q);
  expectMatrixClose(await readMatrix(w, 'v'), v);
  await goToStage(w, 'Scores Q·Kᵀ');
  expectMatrixClose(await readMatrix(w, 'scores'), want.scores);
  await goToStage(w, 'Scale by 1/√d_k');
  expectMatrixClose(await readMatrix(w, 'scaled'), want.scaled);
  await expect(w.locator('.stage-formula')).toHaveAttribute('data-formula', /S \/ √4 = 0\.500 · S/);
});

test('chapter 5: the causal mask, the focused cell’s formula and arrow-key navigation', async ({ page }) => {
  const w = await openCalculator(page, 'attention');
  await w.getByLabel('Causal mask').check();
  await goToStage(w, 'Softmax weights');
  const want = scaledDotProductAttention(...qkv(CH5), { causal: true });
  const weights = await readMatrix(w, 'weights');
  expectMatrixClose(weights, want.weights);
  weights.forEach((row, i) => row.forEach((x, j) => j > i && expect(x).toBe(0)));
  for (const row of weights) expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThanOrEqual(1e-6);
  // The notes' W_ai: focus "apples" → "I", then move right with the keyboard.
  const cell = w.getByRole('cell', { name: /^A, query “apples” \(3\), key “I” \(1\)/ });
  await cell.focus();
  const formula = w.locator('.cell-formula');
  const s = want.masked[2];
  const e = (x: number) => Math.exp(x).toFixed(4);
  await expect(formula).toHaveAttribute('data-formula', new RegExp(`^a\\[3,1\\] = exp\\(`));
  await expect(formula).toHaveAttribute(
    'data-formula',
    new RegExp(
      `= ${e(s[0])} / ${(Math.exp(s[0]) + Math.exp(s[1]) + Math.exp(s[2])).toFixed(4)} = ${want.weights[2][0].toFixed(4)}$`,
    ),
  );
  await expect(formula.locator('.katex')).toBeVisible();
  await page.keyboard.press('ArrowRight');
  await expect(w.getByRole('cell', { name: /key “love” \(2\)/ }).and(page.locator(':focus'))).toHaveCount(1);
  await page.keyboard.press('End');
  await expect(w.locator('.cell-words')).toHaveText(
    'Query “apples” gives key “lot” weight 0: that key is masked.',
  );
  await goToStage(w, 'Causal mask');
  expectMatrixClose(await readMatrix(w, 'masked'), want.masked);
  await expect(w.locator('.cell-formula')).toHaveAttribute(
    'data-formula',
    /−∞ \(key 5 comes after query 3\)/,
  );
});

for (const width of [1280, 360]) {
  test(`the focused cell's weighted sum fits its box at ${width} px (wraps, no hidden overflow)`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height: 900 });
    const w = await openCalculator(page, 'attention');
    await goToStage(w, 'Weighted sums');
    const formula = w.locator('.cell-formula');
    await expect(formula).toHaveAttribute('data-formula', /^o\[/);
    await expect(formula.locator('.katex')).toBeVisible();
    const { scroll, client } = await formula.evaluate((e) => ({
      scroll: e.scrollWidth,
      client: e.clientWidth,
    }));
    expect(scroll, 'the formula runs past its box').toBeLessThanOrEqual(client + 1);
  });
}

test('chapter 5: editing an embedding recomputes; bad numbers and sizes get clear messages', async ({
  page,
}) => {
  const w = await openCalculator(page, 'attention');
  await goToStage(w, 'Weighted sums');
  const cell = w.getByLabel('embedding of apples, dimension 2', { exact: true });
  await cell.fill('1.5');
  const edits: Edits = new Map([['apples', new Map([[1, 1.5]])]]);
  await expect
    .poll(async () => (await readMatrix(w, 'sum'))[2][0])
    .toBeCloseTo(scaledDotProductAttention(...qkv(CH5, edits)).output[2][0], 12);
  expectMatrixClose(await readMatrix(w, 'sum'), scaledDotProductAttention(...qkv(CH5, edits)).output);
  const alert = w.getByRole('alert');
  await cell.fill('abc');
  await expect(alert).toHaveText(
    /Embedding of apples, dimension 2 must be a number from -1000 to 1000 \(got “abc”\)/,
  );
  await expect(cell).toHaveAttribute('aria-invalid', 'true');
  await expect(w.locator('.results')).toBeHidden();
  await cell.fill('1.5');
  await expect(alert).toBeHidden();
  await expect(w.locator('.results')).toBeVisible();
  // d_k = 0 and heads that do not divide d_model.
  const dk = w.getByLabel('Key size d_k');
  await dk.fill('0');
  await expect(alert).toHaveText(/d_k = 0 does not work.*divide by zero/);
  await dk.fill('2');
  await expect(alert).toBeHidden();
  const heads = w.getByLabel('Heads', { exact: true });
  await heads.fill('3');
  await expect(alert).toHaveText(/3 heads do not divide d_model = 4.*one of 1, 2, 4/);
  await heads.fill('2');
  await expect(alert).toBeHidden();
  await expect(dk).toHaveValue('2');
  await expect(dk).toHaveJSProperty('readOnly', true);
  await w.getByLabel('Variant', { exact: true }).selectOption('additive');
  await expect(alert).toHaveText(/Additive \(Bahdanau\) attention is shown with one head/);
  await heads.fill('1');
  await expect(alert).toBeHidden();
  await w.getByLabel('Random seed').fill('-1');
  await expect(alert).toHaveText(/Random seed must be a whole number/);
});

test('chapter 5: bad sentences — empty, huge, HTML-looking, emoji and right-to-left — get inline messages', async ({
  page,
}) => {
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs += 1;
    void d.dismiss();
  });
  const w = await openCalculator(page, 'attention');
  const sentence = w.getByLabel('Sentence');
  const alert = w.getByRole('alert');
  const notes = w.locator('.notes');
  const chips = w.getByRole('list', { name: 'Tokens' }).getByRole('listitem');

  await sentence.fill('   ');
  await expect(alert).toHaveText(/Type a sentence/);
  await expect(w.locator('.results')).toBeHidden();

  const html = '<img src=x onerror="alert(1)"><script>alert(2)</script> apples';
  await sentence.fill(html);
  await expect(alert).toBeHidden();
  await expect(notes).toContainText('looks like HTML');
  await expect(chips.first()).toHaveText('1<');
  await expect(w.locator('img')).toHaveCount(0);
  await expect(w.locator('.tokens script, .grid script, .tables script')).toHaveCount(0);
  expect(dialogs).toBe(0);

  await sentence.fill('I love 👩‍👩‍👧 and שלום');
  await expect(chips).toHaveCount(5);
  await expect(chips.nth(2)).toHaveText('3👩‍👩‍👧');
  await expect(notes).toContainText('Each emoji is a token of its own');
  await expect(notes).toContainText('Right-to-left words keep the order you typed them');

  await sentence.fill(Array.from({ length: 30 }, (_, i) => `w${i}`).join(' '));
  await expect(chips).toHaveCount(12);
  await expect(notes).toContainText('The sentence has 30 tokens; the calculator uses the first 12');

  // A 1 MB paste: only the first 2,000 characters are read, and the page stays responsive.
  await sentence.evaluate((el: HTMLInputElement) => {
    el.value = 'apples are red '.repeat(70_000);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await expect(notes).toContainText('only the first 2,000 are read');
  await expect(chips).toHaveCount(12);
  expect(await w.evaluate((el) => (el as unknown as { lastUpdateMs: number }).lastUpdateMs)).toBeLessThan(
    1000,
  );
  await sentence.fill('I love apples a lot');
  await expect(notes).toBeHidden();
});

test('chapter 5: additive, multiplicative, local-window and hard attention equal src/lib', async ({
  page,
}) => {
  const w = await openCalculator(page, 'attention');
  await goToStage(w, 'Softmax weights');
  const variant = w.getByLabel('Variant', { exact: true });
  const [q, k, v] = qkv(CH5);

  await variant.selectOption('additive');
  const pa = makeParams({ ...CH5, variant: 'additive' }).additive!;
  expectMatrixClose(await readMatrix(w, 'weights'), additiveAttention(q, k, v, pa).weights);
  await expect(w.getByRole('button', { name: 'Scale (none)' })).toBeVisible();

  await variant.selectOption('multiplicative');
  const wa = makeParams({ ...CH5, variant: 'multiplicative' }).luongW!;
  expectMatrixClose(
    await readMatrix(w, 'weights'),
    multiplicativeAttention(q, k, v, 'general', { w: wa }).weights,
  );
  await w.getByLabel('Luong score').selectOption('dot');
  expectMatrixClose(await readMatrix(w, 'weights'), multiplicativeAttention(q, k, v, 'dot').weights);

  await variant.selectOption('local');
  await w.getByLabel('Window size').fill('1');
  await expect(w.getByRole('button', { name: 'Window mask' })).toBeVisible();
  expectMatrixClose(await readMatrix(w, 'weights'), localAttention(q, k, v, 1).weights);
  await w.getByLabel('Causal mask').check();
  expectMatrixClose(await readMatrix(w, 'weights'), localAttention(q, k, v, 1, { causal: true }).weights);
  await w.getByLabel('Window size').fill('99');
  await expect(w.getByRole('alert')).toHaveText(/Window size must be a whole number from 0 to 11/);
  await w.getByLabel('Window size').fill('0');
  await w.getByLabel('Causal mask').uncheck();

  await variant.selectOption('hard');
  await w.getByLabel('Divide scores by √d_k').uncheck();
  const hard = hardAttention(q, k, v, { scale: 1 });
  expectMatrixClose(await readMatrix(w, 'weights'), hard.weights);
  await goToStage(w, 'Hard choice');
  expectMatrixClose(await readMatrix(w, 'hardWeights'), hard.hardWeights);
  expectMatrixClose(await readMatrix(w, 'hardOutput'), hard.hardOutput);
});

test('chapter 6: multi-head mode shows each head, the concatenation and W_O, equal to src/lib', async ({
  page,
}) => {
  const w = await openCalculator(page, 'transformer-block');
  const c: CalcConfig = { ...CH5, heads: 2, dk: 2, causal: true };
  await expect(w.getByLabel('Heads', { exact: true })).toHaveValue('2');
  await expect(w.locator('.step-status')).toHaveText('Stage 6 of 9: Softmax weights');
  const p = makeParams(c);
  const x = embeddingMatrix(c.seed, c.tokens, c.dModel);
  const want = multiHeadAttention(x, { wq: p.wq, wk: p.wk, wv: p.wv, wo: p.wo! }, 2, { causal: true });
  await expect(w.getByRole('img', { name: /softmax weights of head 1/ })).toBeVisible();
  await expect(w.getByRole('img', { name: /softmax weights of head 2/ })).toBeVisible();
  expectMatrixClose(await readMatrix(w, 'weights'), want.heads[0].weights);
  await w.getByLabel('Head shown in the tables').selectOption({ label: 'Head 2' });
  await expect(w.locator('figure.matrix caption')).toHaveText(/of head 2/);
  expectMatrixClose(await readMatrix(w, 'weights'), want.heads[1].weights);
  await goToStage(w, 'Concatenate heads');
  expectMatrixClose(await readMatrix(w, 'concat'), want.concat);
  await goToStage(w, 'Output projection W_O');
  expectMatrixClose(await readMatrix(w, 'output'), want.output);
  // Four heads of width 1.
  await w.getByLabel('Heads', { exact: true }).fill('4');
  await expect(w.getByLabel('Key size d_k')).toHaveValue('1');
  await expect(w.getByRole('img', { name: /of head 4/ })).toBeVisible();
});

test('T = 8, d = 64 recomputes after an edit and reports its update time', async ({ page }) => {
  const w = await openCalculator(page, 'attention');
  await w.getByLabel('Sentence').fill('one two three four five six seven eight');
  await w.getByLabel('Embedding size d_model').fill('64');
  await w.getByLabel('Key size d_k').fill('64');
  await goToStage(w, 'Softmax weights');
  const c = { ...CH5, tokens: 'one two three four five six seven eight'.split(' '), dModel: 64, dk: 64 };
  const cell = w.getByLabel('embedding of five, dimension 64', { exact: true });
  await cell.fill('0.25');
  const edits: Edits = new Map([['five', new Map([[63, 0.25]])]]);
  const weights = await readMatrix(w, 'weights');
  expectMatrixClose(weights, scaledDotProductAttention(...qkv(c, edits)).weights);
  for (const row of weights) expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThanOrEqual(1e-6);
  const ms = await w.evaluate((el) => (el as unknown as { lastUpdateMs: number }).lastUpdateMs);
  expect(ms).toBeGreaterThan(0); // timing itself is measured by `npm run bench:attention`, not asserted here
});

for (const theme of ['light', 'dark'] as const) {
  test(`axe: the loaded calculator in ${theme} mode, through its stages, at 360 px`, async ({ page }) => {
    test.setTimeout(120_000); // two pages × three stages × an axe run each
    await page.setViewportSize({ width: 360, height: 800 });
    for (const chapter of ['attention', 'transformer-block']) {
      const w = await openCalculator(page, chapter);
      await setTheme(page, theme);
      await w.getByLabel('Causal mask').check();
      for (const stage of ['Projections Q, K, V', 'Causal mask', 'Softmax weights']) {
        await goToStage(w, stage);
        await w.locator('td.v').first().focus();
        expect(await axeViolations(page, 'attention-calculator'), `${chapter} / ${stage}`).toEqual([]);
      }
      // On a phone the heatmaps keep a readable width and the widget card scrolls sideways (issue 14),
      // so what is wider than the screen stays inside the card's own scroll box: the page never scrolls.
      const fit = await w.evaluate((el) => ({
        wider: el.scrollWidth > el.clientWidth,
        scrolls: getComputedStyle(el).overflowX,
        page: document.documentElement.scrollWidth - innerWidth,
      }));
      if (fit.wider) expect(fit.scrolls).toBe('auto');
      expect(fit.page).toBeLessThanOrEqual(0);
    }
  });
}
