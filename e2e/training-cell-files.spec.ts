/**
 * Files a learner drops into the training cell: each is checked first and refused with a reason a learner
 * can act on (empty, binary, UTF-16, shorter than one batch), text that looks like HTML or mixes scripts and
 * emoji trains and is only ever shown as text, and a 1 GB file streams (read in slices, never whole).
 */
import { test, expect } from './fixtures';
import { MICRO, evalsOf, fill, openCell } from './training-cell-helpers';

test.describe('training cell files', () => {
  test.setTimeout(120_000);

  test('a dropped-in file is checked first: empty and binary files are refused with a reason', async ({
    page,
  }) => {
    const cell = await openCell(page);
    await fill(page, { ...MICRO, maxIters: '3' });
    const input = cell.locator('input[name=file]');
    await input.setInputFiles({ name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) });
    await expect(cell.locator('.file-name')).toContainText('empty.txt');
    await cell.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(cell.locator('.log')).toContainText('The text is empty', { timeout: 30_000 });
    await expect(cell).toHaveAttribute('data-running', 'false');
    const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256));
    await input.setInputFiles({ name: 'data.bin', mimeType: 'application/octet-stream', buffer: binary });
    await cell.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(cell.locator('.progress-text')).toContainText('The file cannot be used', {
      timeout: 30_000,
    });
  });

  test('a UTF-16 file, with or without a byte-order mark, is refused with how to convert it', async ({
    page,
  }) => {
    const cell = await openCell(page);
    await fill(page, { ...MICRO, maxIters: '3' });
    const text = 'The quick brown fox jumps over the lazy dog.\n'.repeat(100);
    const input = cell.locator('input[name=file]');
    const cases = [
      ['bom.txt', Buffer.from('\ufeff' + text, 'utf16le'), 'it starts with a UTF-16 byte-order mark'],
      ['nobom.txt', Buffer.from(text, 'utf16le'), 'every other byte is NUL'],
    ] as const;
    for (const [name, buffer, why] of cases) {
      await input.setInputFiles({ name, mimeType: 'text/plain', buffer });
      await expect(cell.locator('.file-name')).toContainText(name);
      await cell.getByRole('button', { name: 'Train', exact: true }).click();
      const line = cell.locator('.log .error', { hasText: why });
      await expect(line).toContainText('The file is saved as UTF-16', { timeout: 30_000 });
      await expect(line).toContainText('Encoding: UTF-8');
      await expect(line).toContainText('iconv -f UTF-16 -t UTF-8');
      await expect(cell.locator('.progress-text')).toContainText('The file cannot be used');
      await expect(cell).toHaveAttribute('data-running', 'false');
    }
    await expect(cell.locator('.log')).not.toContainText('binary');
  });

  test('a text shorter than one batch is refused, naming the length it needs', async ({ page }) => {
    const cell = await openCell(page);
    await fill(page, { ...MICRO, maxIters: '3' }); // one batch: 16 × 4 + 1 = 65 characters
    await cell
      .locator('input[name=file]')
      .setInputFiles({ name: 'short.txt', mimeType: 'text/plain', buffer: Buffer.from('x'.repeat(40)) });
    await cell.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(cell.locator('.log .error')).toContainText(
      'The text has 40 characters, but one batch needs block_size × batch_size + 1 = 65',
      { timeout: 30_000 },
    );
    await expect(cell.locator('.progress-text')).toContainText('The file cannot be used');
    await expect(cell).toHaveAttribute('data-running', 'false');
  });

  test('HTML-looking, right-to-left and emoji text trains and is only ever shown as text', async ({
    page,
  }) => {
    const cell = await openCell(page);
    const line =
      '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold</b> ' +
      'שלום עולם · مرحبا بالعالم · 😀👍🏽 café\n';
    const text = line.repeat(150);
    const prompt = '<img src=x onerror="window.__pwned=3"><b>שלום 😀</b>';
    await fill(page, { ...MICRO, maxIters: '30', sampleEvery: '20' });
    await cell.locator('textarea[name=prompt]').fill(prompt);
    await cell
      .locator('input[name=file]')
      .setInputFiles({ name: 'markup.txt', mimeType: 'text/plain', buffer: Buffer.from(text, 'utf8') });
    await cell.getByRole('button', { name: 'Train', exact: true }).click();
    const vocabSize = new Set([...text]).size + 1; // every code point, plus the unknown token
    await expect(cell.locator('.log')).toContainText(`vocabulary of ${vocabSize} characters`, {
      timeout: 30_000,
    });
    await expect(cell).toHaveAttribute('data-stopped', 'max-iters', { timeout: 90_000 });
    const evals = await evalsOf(page);
    expect(evals.at(-1)!.train).toBeLessThan(evals[0].train);
    // The sample starts with the prompt, shown verbatim as text.
    await expect(cell.locator('.samples pre')).toHaveCount(1);
    expect((await cell.locator('.samples pre').textContent())?.slice(0, prompt.length)).toBe(prompt);
    await cell.getByRole('button', { name: 'Generate' }).click();
    await expect(cell.locator('.generated')).toContainText(prompt, { timeout: 30_000 });
    await expect(cell.locator('.heatmap rect').first()).toBeAttached({ timeout: 30_000 });
    for (const where of ['.samples', '.log', '.generated', '.heatmap']) {
      await expect(cell.locator(`${where} :is(img, script, b)`), where).toHaveCount(0);
    }
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  test('a 1 GB file streams: a sample for the vocabulary, a slice per batch, never the whole file', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    const cell = await openCell(page);
    await fill(page, { ...MICRO, maxIters: '20', sampleEvery: '0' });
    // 1,024 references to one 1 MiB Blob: Chromium keeps blob parts by reference, so this costs 1 MiB.
    const size = await cell.evaluate((el) => {
      const line = 'The quick brown fox jumps over the lazy dog. Sphinx of black quartz, judge my vow!\n';
      const chunk = new Blob([line.repeat(Math.floor(2 ** 20 / line.length))]);
      const file = new File(Array<Blob>(1024).fill(chunk), 'big.txt', { type: 'text/plain' });
      const dt = new DataTransfer();
      dt.items.add(file);
      const input = el.querySelector<HTMLInputElement>('input[name=file]')!;
      input.files = dt.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
      return file.size;
    });
    expect(size).toBeGreaterThan(1e9);
    const mb = (size / 1e6).toFixed(1);
    await expect(cell.locator('.file-name')).toContainText(`big.txt (${(size / 1e6).toFixed(2)} MB)`);
    const t0 = Date.now();
    await cell.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(cell.locator('.log')).toContainText(
      `Scanning big.txt (${mb} MB) for its characters in 33.6 MB of evenly spaced slices, not whole`,
      { timeout: 30_000 },
    );
    await expect(cell).toHaveAttribute('data-stopped', 'max-iters', { timeout: 180_000 });
    const seconds = (Date.now() - t0) / 1000;
    const read = Number(await cell.getAttribute('data-bytes-read'));
    console.log(`1 GB file: ${seconds} s, ${read} bytes read`);
    expect(
      seconds,
      'reading the whole file (~8 MB/s to count its characters) would take minutes',
    ).toBeLessThan(90);
    // The scan's 32 MiB sample plus 20 steps and 3 evaluations of 64-byte windows: far below the file's size.
    expect(read).toBeGreaterThanOrEqual(32 * 2 ** 20);
    expect(read).toBeLessThan(32 * 2 ** 20 + 1e6);
    await expect(cell.locator('.log')).toContainText(
      `MB of the ${mb} MB file so far: it is read in slices, never whole`,
    );
    const evals = await evalsOf(page);
    expect(evals.at(-1)!.train).toBeLessThan(evals[0].train);
  });
});
