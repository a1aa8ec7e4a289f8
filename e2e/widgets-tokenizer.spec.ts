import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { expectAxeClean, openWidget } from './widget-helpers';
// Expected ids, vocabularies and merges are computed here, in Node, by src/lib and compared with the page.
import { encodeBpe, trainBpe } from '../src/lib/tokenize/bpe';
import { buildCharVocab, encodeChars } from '../src/lib/tokenize/char';
import { buildWordVocab, encodeWords, tokenizeWords } from '../src/lib/tokenize/word';
import { SAMPLE_TEXT, firstMerges } from '../components/widgets/tokenizer-explorer/model';

function open(page: Page): Promise<Locator> {
  return openWidget(page, './chapters/tokenization/', 'tokenizer-explorer', (w) =>
    expect(w).toHaveAttribute('data-ready', 'true'),
  );
}

/** Change a control and wait until the worker's answer is drawn. */
async function settle(w: Locator): Promise<void> {
  await expect(w).toHaveAttribute('data-ready', 'true');
}

/** Open the explorer trained on `text` itself (with `merges` BPE merges if given), like a learner, and wait. */
async function openTrainedOn(page: Page, text: string, merges?: string): Promise<Locator> {
  const w = await open(page);
  await w.getByLabel('Text to tokenize').fill(text);
  await w.getByLabel('Train vocabularies and merges on').selectOption('text');
  if (merges !== undefined) await w.getByLabel('BPE merges', { exact: true }).fill(merges);
  await settle(w);
  return w;
}

const panel = (w: Locator, title: string) => w.getByRole('region', { name: `${title} tokenizer` });
const chipIds = (list: Locator) =>
  list.locator('.chip .id').evaluateAll((ids) => ids.map((e) => Number.parseInt(e.textContent ?? '', 10)));
const chipTexts = (list: Locator) => list.locator('.chip .t').allTextContents();
const stat = (p: Locator, name: string) => p.locator(`[data-stat="${name}"]`);

test('characters, words and BPE ids equal src/lib, trained on your text', async ({ page }) => {
  const text = 'hello world, hello low lower lowest';
  const w = await openTrainedOn(page, text, '6');

  const chars = panel(w, 'Characters');
  const vocab = buildCharVocab(text);
  expect(await chipIds(chars.getByRole('list'))).toEqual(encodeChars(vocab, text).ids);
  await expect(stat(chars, 'vocab')).toHaveText(String(vocab.size));
  await expect(stat(chars, 'tokens')).toHaveText(String([...text].length));
  await expect(stat(chars, 'per-char')).toHaveText('1.000');
  await expect(stat(chars, 'round-trip')).toHaveText('exact');

  const words = panel(w, 'Words');
  const wordVocab = buildWordVocab(tokenizeWords(text).map((t) => t.text));
  expect(await chipIds(words.getByRole('list'))).toEqual(encodeWords(wordVocab, text).ids);
  await expect(stat(words, 'vocab')).toHaveText(String(wordVocab.itos.length));
  await expect(stat(words, 'round-trip')).toHaveText('not exact');

  const bpe = panel(w, 'BPE');
  const model = trainBpe(text, 6);
  const enc = encodeBpe(model, text);
  expect(await chipIds(bpe.getByRole('list'))).toEqual(enc.ids);
  await expect(stat(bpe, 'vocab')).toHaveText(String(model.vocab.length));
  await expect(stat(bpe, 'tokens')).toHaveText(String(enc.ids.length));
  await expect(stat(bpe, 'per-char')).toHaveText((enc.ids.length / [...text].length).toFixed(3));
  await expect(stat(bpe, 'round-trip')).toHaveText('exact');
  await bpe.getByText('Decoded text').click();
  await expect(bpe.locator('.decoded')).toHaveText(text);
});

test('a list of unknown Arabic characters reads in typed order (bidi isolation)', async ({ page }) => {
  const w = await open(page);
  await w.getByLabel('Text to tokenize').fill('ا ب ت');
  await settle(w);
  const note = panel(w, 'Characters').locator('.unknown-note');
  await expect(note).toContainText('3 unknown tokens');
  // x position of each letter in the sentence: isolated items keep their left-to-right list order
  const xs = await note.evaluate((p) => {
    const node = p.firstChild as Text;
    return ['ا', 'ب', 'ت'].map((ch) => {
      const r = document.createRange();
      const i = node.data.indexOf(ch);
      r.setStart(node, i);
      r.setEnd(node, i + 1);
      return r.getBoundingClientRect().left;
    });
  });
  expect(xs[0]).toBeLessThan(xs[1]);
  expect(xs[1]).toBeLessThan(xs[2]);
});

test('unseen characters become visible unknown tokens (trained on the built-in sample)', async ({ page }) => {
  const w = await open(page);
  const text = 'naïve café';
  await w.getByLabel('Text to tokenize').fill(text);
  await settle(w);
  const chars = panel(w, 'Characters');
  const vocab = buildCharVocab(SAMPLE_TEXT);
  const enc = encodeChars(vocab, text);
  expect(await chipIds(chars.getByRole('list'))).toEqual(enc.ids);
  const unknown = chars.locator('.chip.unknown');
  await expect(unknown).toHaveCount(enc.unknown.length);
  await expect(unknown.first()).toHaveAttribute('aria-label', /unknown/);
  expect(await unknown.locator('.t').allTextContents()).toEqual(enc.unknown.map((u) => u.text));
  await expect(chars.locator('.unknown-note')).toContainText(`${enc.unknown.length} unknown tokens`);
  await expect(stat(chars, 'round-trip')).toHaveText('not exact');
  await expect(panel(w, 'Words').locator('.chip.unknown')).toHaveCount(
    encodeWords(buildWordVocab(tokenizeWords(SAMPLE_TEXT).map((t) => t.text)), text).unknown.length,
  );
});

test('hovering or focusing a token highlights its span; arrow keys move between tokens', async ({ page }) => {
  const w = await openTrainedOn(page, 'low lower lowest');
  const list = panel(w, 'Characters').getByRole('list');
  const first = list.locator('.chip').first();
  await first.focus();
  await expect(w.locator('.text-view mark')).toHaveText('l');
  await page.keyboard.press('ArrowRight');
  await expect(list.locator('.chip').nth(1)).toBeFocused();
  await expect(w.locator('.text-view mark')).toHaveText('o');
  await page.keyboard.press('End');
  await expect(w.locator('.text-view mark')).toHaveText('t');

  const bpeChips = panel(w, 'BPE').locator('.chip');
  const texts = encodeBpe(trainBpe('low lower lowest', 30), 'low lower lowest').tokens;
  await bpeChips.nth(1).hover();
  await expect(w.locator('.text-view mark')).toHaveText(texts[1]);
});

test('step through the merges one by one', async ({ page }) => {
  const text = 'low lower lowest';
  const w = await openTrainedOn(page, text, '10');
  const model = trainBpe(text, 10);
  expect(model.merges).toHaveLength(4);
  await expect(w.locator('.status')).toContainText('stopped after 4 of 10 merges');
  const steps = w.getByRole('region', { name: 'BPE merges step by step' });
  const list = steps.getByRole('list');
  await expect(steps.locator('.step-value')).toHaveText('4 / 4');
  await expect(steps.getByRole('button', { name: 'Next merge' })).toBeDisabled();
  for (let k = 3; k >= 0; k--) {
    await steps.getByRole('button', { name: 'Previous merge' }).click();
    await expect(steps.locator('.step-value')).toHaveText(`${k} / 4`);
    const expected = encodeBpe(firstMerges(model, k), text).tokens.map((t) => t.replace(/ /g, '␣'));
    expect(await chipTexts(list)).toEqual(expected);
  }
  await expect(steps.locator('.step-note')).toContainText('No merges applied');
  await steps.getByRole('button', { name: 'Next merge' }).click();
  await expect(steps.locator('.step-note')).toContainText('Merge 1 of 4: l + o → lo');
  // The slider is a keyboard control too.
  await steps.getByLabel('Merges applied').focus();
  await page.keyboard.press('End');
  await expect(steps.locator('.step-note')).toContainText('Merge 4 of 4: ␣low + e → ␣lowe');
  await steps.getByText('All learned merges (4)').click();
  await expect(steps.locator('tbody tr')).toHaveCount(4);
  await expect(steps.locator('tbody tr[aria-current="true"] td').nth(2)).toHaveText('␣lowe');
});

test('bad input: control characters, emoji with ZWJ, right-to-left and HTML are shown as text', async ({
  page,
}) => {
  const w = await open(page);
  await w.getByLabel('Train vocabularies and merges on').selectOption('text');
  const text = 'a\tb\nc 👩‍💻 שלום <img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
  await w.getByLabel('Text to tokenize').fill(text);
  await settle(w);
  const chars = panel(w, 'Characters');
  const shown = await chipTexts(chars.getByRole('list'));
  expect(shown.slice(0, 5)).toEqual(['a', '␉', 'b', '␊', 'c']);
  expect(shown).toContain('⟨ZWJ⟩');
  expect(shown).toContain('<');
  await expect(chars.locator('.chip').nth(1)).toHaveAttribute('aria-label', /tab/);
  await expect(stat(chars, 'round-trip')).toHaveText('exact');
  // Nothing was parsed as HTML, nothing ran.
  await expect(w.locator('img')).toHaveCount(0);
  await expect(w.locator('.text-view script')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await expect(w.locator('.text-view')).toHaveAttribute('dir', 'auto');
  await expect(w.locator('.text-view')).toContainText('<img src=x');
  await expect(chars.locator('bdi').first()).toBeAttached();
  // As grapheme clusters, the emoji is one character.
  await w.getByLabel('A character is').selectOption('grapheme');
  await settle(w);
  expect(await chipTexts(chars.getByRole('list'))).toContain('👩‍💻');
});

/**
 * The control pictures among the chips' texts (U+2400–2426) that draw as the missing-glyph box: each is
 * drawn on a canvas in the chip's own computed font and compared with an unassigned code point (U+0378),
 * which every font draws as that box. Without a font that has them (only DejaVu here) they all match it.
 */
const tofuControlPictures = (list: Locator) =>
  list.locator('.chip .t').evaluateAll(async (els) => {
    await document.fonts.ready;
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 64;
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    const draw = (font: string, text: string) => {
      ctx.clearRect(0, 0, 64, 64);
      ctx.font = font;
      ctx.fillText(text, 4, 48);
      return ctx.getImageData(0, 0, 64, 64).data.join();
    };
    const out: { text: string; tofu: boolean }[] = [];
    for (const el of els) {
      const text = el.textContent ?? '';
      if (![...text].some((c) => c.codePointAt(0)! >= 0x2400 && c.codePointAt(0)! <= 0x2426)) continue;
      const pictures = [...text].filter((c) => c.codePointAt(0)! >= 0x2400 && c.codePointAt(0)! <= 0x2426);
      const font = `32px ${getComputedStyle(el).fontFamily}`;
      await document.fonts.load(font, pictures.join(''));
      const box = draw(font, '\u0378');
      out.push({ text, tofu: pictures.some((c) => draw(font, c) === box) });
    }
    return out;
  });

test('control characters show as drawn symbols (␀ ␉ ␊ ␛ ␡), not as missing-glyph boxes', async ({ page }) => {
  // NUL, SOH, backspace, tab, line feed, escape, unit separator and delete (a textarea turns CR into LF)
  const w = await openTrainedOn(page, 'a\u0000\u0001\u0008\tb\nc\u001b\u001f\u007fd');
  const chars = panel(w, 'Characters').getByRole('list');
  const shown = await tofuControlPictures(chars);
  expect(shown.map((s) => s.text)).toEqual(['␀', '␁', '␈', '␉', '␊', '␛', '␟', '␡']);
  expect(shown.filter((s) => s.tofu)).toEqual([]);
  // the font comes from our own origin
  const fonts = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => e.name)
      .filter((n) => n.endsWith('.woff2') && n.includes('control-pictures')),
  );
  expect(fonts.length).toBeGreaterThan(0);
  for (const f of fonts) expect(new URL(f).origin).toBe(new URL(page.url()).origin);
});

test('bad input: empty text and an impossible merge count get clear messages', async ({ page }) => {
  const w = await open(page);
  await w.getByLabel('Text to tokenize').fill('');
  await settle(w);
  await expect(w.locator('.status')).toContainText('The text is empty');
  await expect(panel(w, 'Characters').locator('.chip')).toHaveCount(0);
  await w.getByLabel('BPE merges', { exact: true }).fill('-3');
  await settle(w);
  await expect(w.getByRole('alert')).toHaveText(
    'BPE merges must be a whole number from 0 to 300 (got “-3”).',
  );
  await expect(w.getByLabel('BPE merges', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await w.getByLabel('BPE merges', { exact: true }).fill('12');
  await settle(w);
  await expect(w.getByRole('alert')).toBeHidden();
});

test('bad input: a 1 MB paste stays responsive and says what it caps', async ({ page }) => {
  const w = await open(page);
  await w.getByLabel('Train vocabularies and merges on').selectOption('text');
  await settle(w);
  // Watch for long main-thread tasks while the paste is tokenized.
  await page.evaluate(() => {
    const win = window as unknown as { __long: number[] };
    win.__long = [];
    new PerformanceObserver((l) => l.getEntries().forEach((e) => win.__long.push(e.duration))).observe({
      type: 'longtask',
    });
  });
  const big = 'the lowest tower is newer than the widest one. '.repeat(22_400); // ≈ 1 MB
  const box = w.getByLabel('Text to tokenize');
  await box.evaluate((el, v) => {
    (el as HTMLTextAreaElement).value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, big);
  await expect(w).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await expect(w.locator('.status')).toContainText(
    `Your text has ${big.length.toLocaleString('en-US')} characters; to stay responsive the explorer tokenizes the first 100,000.`,
  );
  await expect(w.locator('.status')).toContainText('BPE learned its merges from the first 20,000 characters');
  const chars = panel(w, 'Characters');
  await expect(chars.locator('.chip')).toHaveCount(2000);
  await expect(chars.locator('.cap-note')).toHaveText('Showing the first 2,000 of 100,000 tokens.');
  await expect(stat(chars, 'tokens')).toHaveText('100,000');
  // The page still answers at once.
  await w.getByLabel('BPE merges', { exact: true }).fill('5');
  await expect(w).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  const longest = await page.evaluate(() =>
    Math.max(0, ...(window as unknown as { __long: number[] }).__long),
  );
  expect(longest, 'longest main-thread task (ms)').toBeLessThan(1000);
});

test('axe: the rendered explorer, with unknown tokens, long text and open details, in light and dark mode', async ({
  page,
}) => {
  test.setTimeout(150_000); // axe over a few thousand chips, twice: 49 s on the loaded 2-core machine
  const w = await open(page);
  await w.getByLabel('Text to tokenize').fill('naïve café 👩‍💻 שלום\tx\n'.repeat(20));
  await settle(w);
  for (const summary of await w.locator('summary').all()) await summary.click();
  await panel(w, 'BPE').locator('.chip').first().focus();
  await expectAxeClean(page, 'tokenizer-explorer');
});
