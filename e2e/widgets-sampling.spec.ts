import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { isolatedList } from '../components/widgets/shared/bidi';
import { expectAlertsAfter, expectAxeClean, openWidget } from './widget-helpers';
// Every expected number is computed here, in Node, by src/lib (and the widget's pure helpers) and compared
// with what the page shows.
import { sampleFromLogits } from '../src/lib/sampling';
import { quantizeInt8 } from '../src/lib/quantization';
import {
  forwardFor,
  nextCharLogits,
  parseCharModel,
  type CharModel,
} from '../components/widgets/shared/char-model';
import { drawSamples, generate, type Settings } from '../components/widgets/sampling-playground/model';
import { meanSquaredError } from '../components/widgets/quantization/model';

const model = parseCharModel(
  JSON.parse(readFileSync('public/models/char-embeddings.json', 'utf8')),
) as CharModel;
const show = (c: string) => (c === ' ' ? '␣' : c);
const CHAPTER_LOGITS = [2, 1, 0.5, 0, -1];
const CHAPTER_NAMES = ['e', 'y', 'a', 'o', '!'];

function open(page: Page): Promise<Locator> {
  return openWidget(page, './chapters/sampling-and-quantization/', 'sampling-playground', (w) =>
    expect(w).toHaveAttribute('data-ready', 'true'),
  );
}

/** The distribution table, one object per row (most likely first). */
async function table(w: Locator) {
  return w.locator('table.dist tbody tr').evaluateAll((rows) =>
    rows.map((r) => {
      const c = [...r.children].map((td) => td.textContent ?? '');
      return { token: c[1], logit: c[2], prob: c[3], after: c[4], draws: Number(c[5]), share: c[6] };
    }),
  );
}

/** What the table should say for these logits and settings. */
function expectedTable(logits: number[], names: string[], s: Settings, seed: number, draws: number) {
  const st = sampleFromLogits(logits, s);
  const d = drawSamples(logits, s, seed, draws);
  const kept = new Set(st.kept);
  return st.ranking.map((i) => ({
    token: names[i],
    logit: logits[i].toFixed(4),
    prob: st.probs[i].toFixed(4),
    after: kept.has(i) ? st.filteredProbs[i].toFixed(4) : 'removed',
    draws: d.counts[i],
    share: (d.counts[i] / draws).toFixed(4),
  }));
}

const all: Settings = { temperature: 1, topK: model.vocab.length, topP: 1 };

test('the model’s next-character logits and probabilities equal the forward pass and src/lib', async ({
  page,
}) => {
  const w = await open(page);
  const prompt = 'can you see m';
  await expect(w.getByLabel('Prompt')).toHaveValue(prompt);
  const { logits } = nextCharLogits(model, prompt);
  expect(await table(w)).toEqual(expectedTable(logits, model.vocab.map(show), all, 1, 20));
  await expect(w.locator('.context-note')).toContainText('“ee m”');
  await expect(w.locator('svg')).toHaveAttribute('role', 'img');
  await expect(w.locator('svg g rect.after')).toHaveCount(20);

  await w.getByLabel('Prompt').fill('the cat sat on the ');
  const check = model.checks.find((c) => c.prompt === 'the cat sat on the ')!;
  const rows = await table(w);
  for (const row of rows) {
    const i = model.vocab.map(show).indexOf(row.token);
    expect(Number(row.logit)).toBeCloseTo(check.logits[i], 4); // PyTorch's own logits
  }
  // An empty prompt is fine: the model reads four spaces.
  await w.getByLabel('Prompt').fill('');
  await expect(w.getByRole('alert')).toBeHidden();
  await expect(w.locator('.context-note')).toContainText('(padded with spaces)');
});

test('typed logits: temperature, top-k and top-p give the chapter’s numbers', async ({ page }) => {
  const w = await open(page);
  await w.getByRole('radio', { name: 'numbers I type' }).check();
  await expect(w.getByLabel('Logits (comma-separated)')).toBeVisible();
  await expect(w.getByLabel('Prompt')).toBeHidden();
  await expect(w.getByLabel('Top-k')).toHaveValue('5');
  let rows = await table(w);
  expect(rows.map((r) => r.prob)).toEqual(['0.5630', '0.2071', '0.1256', '0.0762', '0.0280']);
  expect(rows).toEqual(
    expectedTable(CHAPTER_LOGITS, CHAPTER_NAMES, { temperature: 1, topK: 5, topP: 1 }, 1, 20),
  );

  await w.getByLabel('Temperature').fill('0.5');
  await expect(w.locator('.t-value')).toHaveText('0.50');
  rows = await table(w);
  expect(rows.map((r) => r.prob)).toEqual(['0.8292', '0.1122', '0.0413', '0.0152', '0.0021']);

  await w.getByLabel('Temperature').fill('1');
  await w.getByLabel('Top-k').fill('2');
  rows = await table(w);
  expect(rows.map((r) => r.after)).toEqual(['0.7311', '0.2689', 'removed', 'removed', 'removed']);
  expect(rows.slice(2).every((r) => r.draws === 0)).toBe(true);

  await w.getByLabel('Top-k').fill('5');
  await w.getByLabel('Top-p').fill('0.8');
  rows = await table(w);
  expect(rows.map((r) => r.after)).toEqual(['0.6285', '0.2312', '0.1402', 'removed', 'removed']);
  expect(rows).toEqual(
    expectedTable(CHAPTER_LOGITS, CHAPTER_NAMES, { temperature: 1, topK: 5, topP: 0.8 }, 1, 20),
  );
  await expect(w.locator('.summary')).toContainText('keep 3 of 5 tokens');

  await w.getByLabel('Logits (comma-separated)').fill('3, 1, -2.5, 0.25');
  await w.getByLabel('Token names (optional, comma-separated)').fill('');
  rows = await table(w);
  expect(rows).toEqual(
    expectedTable([3, 1, -2.5, 0.25], ['0', '1', '2', '3'], { temperature: 1, topK: 4, topP: 0.8 }, 1, 20),
  );
});

test('seeded draws: the same seed gives the same draws, another seed others', async ({ page }) => {
  const w = await open(page);
  const { logits } = nextCharLogits(model, 'can you see m');
  const names = model.vocab.map(show);
  const seq = (seed: number, n: number) =>
    isolatedList(
      drawSamples(logits, all, seed, n).samples.map((i) => names[i]),
      ' ',
    );
  await expect(w.locator('.draw-seq')).toHaveText(seq(1, 20));
  await w.getByLabel('Number of draws').fill('500');
  await expect(w.locator('.draw-seq')).toHaveText(seq(1, 200));
  expect(await table(w)).toEqual(expectedTable(logits, names, all, 1, 500));
  await w.getByRole('button', { name: 'New seed' }).click();
  await expect(w.getByLabel('Seed')).toHaveValue('2');
  expect(await table(w)).toEqual(expectedTable(logits, names, all, 2, 500));
  await w.getByLabel('Seed').fill('1');
  expect(await table(w)).toEqual(expectedTable(logits, names, all, 1, 500));
  // The first draws, one by one: the uniform number and the token it picked.
  await w.getByText('How the first draws were made').click();
  const d = drawSamples(logits, all, 1, 500);
  const first = await w.locator('.first-draws tbody tr').first().locator('td').allTextContents();
  expect(first).toEqual(['1', d.uniforms[0].toFixed(4), names[d.samples[0]]]);
  // Three seeds, three continuations, each reproducible.
  const fwd = forwardFor(model);
  const texts = await w.locator('.cont-list li mark').allTextContents();
  expect(texts).toEqual([1, 2, 3].map((s) => generate(fwd, model.vocab, 'can you see m', all, s, 60)));
});

test('top-k = 1 is greedy decoding: every seed writes the same text', async ({ page }) => {
  const w = await open(page);
  await w.getByLabel('Top-k').fill('1');
  await expect(w.locator('.summary')).toContainText('greedy decoding');
  const texts = await w.locator('.cont-list li mark').allTextContents();
  expect(new Set(texts).size).toBe(1);
  const fwd = forwardFor(model);
  expect(texts[0]).toBe(
    generate(fwd, model.vocab, 'can you see m', { temperature: 1, topK: 1, topP: 1 }, 7, 60),
  );
});

test('bad input: unknown characters, HTML, non-numeric logits and out-of-range controls', async ({
  page,
}) => {
  const w = await open(page);
  const alert = w.getByRole('alert');
  await w.getByLabel('Prompt').fill('Hello <b>world</b>');
  await expect(alert).toContainText('The model only knows a–z');
  await expect(alert).toContainText('“<”');
  await expect(alert).not.toContainText('“H”'); // uppercase is folded, not refused
  await expect(w.getByLabel('Prompt')).toHaveAttribute('aria-invalid', 'true');
  await expect(w.locator('b')).toHaveCount(0);
  await w.getByLabel('Prompt').fill('hello ');
  await expect(alert).toBeHidden();
  // uppercase letters are read as lowercase, and the widget says so
  await w.getByLabel('Prompt').fill('Can You See M');
  await expect(alert).toBeHidden();
  await expect(w.locator('.context-note')).toContainText('Uppercase is read as lowercase');
  await expect(w.locator('.context-note')).toContainText('“C” → “c”');
  await expect(w.locator('.context-note')).toContainText('“ee m”');

  for (const [label, value, text] of [
    ['Top-k', '0', 'Top-k must be a whole number from 1 to 35'],
    ['Top-p', '1.5', 'Top-p must be a number above 0 and at most 1 (got “1.5”). 1 keeps every token.'],
    ['Seed', '-4', 'Seed must be a whole number'],
    ['Number of draws', '0', 'Number of draws must be a whole number from 1 to 5000'],
  ] as const) {
    const field = w.getByLabel(label, { exact: true });
    const before = await field.inputValue();
    await field.fill(value);
    await expect(alert).toContainText(text);
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await field.fill(before);
    await expect(alert).toBeHidden();
  }

  await w.getByRole('radio', { name: 'numbers I type' }).check();
  await expectAlertsAfter(w.getByLabel('Logits (comma-separated)'), alert, [
    ['1, abc, 2', '“abc”'],
    ['1', 'at least two numbers'],
    ['', 'shown'],
    ['1, 2, 3', 'Token names'],
  ]);
  await w.getByLabel('Token names (optional, comma-separated)').fill('a, b, c');
  await expect(alert).toBeHidden();

  // Typed token names land in table cells as text: markup stays visible characters, never elements.
  await w.getByLabel('Token names (optional, comma-separated)').fill('<b>x</b>, <img src=q>, c');
  await expect(alert).toBeHidden();
  expect((await table(w)).map((r) => r.token).sort()).toEqual(['<b>x</b>', '<img src=q>', 'c'].sort());
  await expect(w.locator('table b, table img')).toHaveCount(0);
});

test('int8 quantization: codes, scales, errors and bytes equal src/lib, per tensor and per channel', async ({
  page,
}) => {
  await page.goto('./chapters/sampling-and-quantization/');
  const q = page.locator('int8-quantization');
  await q.scrollIntoViewIfNeeded();
  const x = [
    [2.5, -1.2, 0.3],
    [0.02, -0.035, 0.011],
  ];
  const rows = () =>
    q
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent ?? '')));
  for (const mode of ['per-tensor', 'per-channel'] as const) {
    await q.getByLabel('Scale').selectOption(mode);
    const r = quantizeInt8(x, mode);
    const shown = await rows();
    expect(shown.map((c) => Number(c[3]))).toEqual(r.q.flat());
    shown.forEach((c, k) => {
      const i = Math.floor(k / 3);
      const j = k % 3;
      expect(Number(c[4])).toBeCloseTo(r.dequantized[i][j], 6);
      expect(Number(c[5])).toBeCloseTo(r.error[i][j], 6);
    });
    await expect(q.locator('.summary')).toContainText(`take ${r.bytesBefore} bytes`);
    await expect(q.locator('.summary')).toContainText(`take ${r.bytesAfter} bytes`);
    await expect(q.locator('.summary')).toContainText(
      `mean squared error ${meanSquaredError(r.error).toExponential(2)}`,
    );
  }
  // The chapter's figures: 79 % off per tensor; within 0.6 % per channel.
  await expect(q.locator('.summary')).toContainText('3.83e-6');
  await q.getByLabel('Scale').selectOption('per-tensor');
  await expect(q.locator('tbody tr').last().locator('td').last()).toHaveText('79.0 %');

  const alert = q.getByRole('alert');
  await expectAlertsAfter(q.getByLabel('Weights (one row per line, comma-separated)'), alert, [
    ['1, 2\n3', 'Row 2: enter exactly two numbers (got 1).'],
    ['1, two', 'Row 1'],
    ['', 'at least one row'],
    ['0, 0, 0', 'hidden'],
  ]);
  await expect(q.locator('.summary')).toContainText('scale = max|w| / 127 = 0.');
  await expect(q.locator('tbody')).not.toContainText('NaN');
});

test('axe: the rendered playground and int8 view, with an error shown, in light and dark mode', async ({
  page,
}) => {
  const w = await open(page);
  await w.getByText('How the first draws were made').click();
  await expectAxeClean(page, 'sampling-playground');
  await w.getByRole('radio', { name: 'numbers I type' }).check();
  await w.getByLabel('Logits (comma-separated)').fill('1, x');
  await expectAxeClean(page, 'sampling-playground');
  await page.locator('int8-quantization').scrollIntoViewIfNeeded();
  await expectAxeClean(page, 'int8-quantization');
});
