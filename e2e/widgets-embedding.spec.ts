import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { expectAxeClean, openWidget } from './widget-helpers';
// Expected neighbours and PCA figures are computed here, in Node, by src/lib from the same tables.
import { nearestNeighbors, pca2d } from '../src/lib/embeddings';
import type { Matrix } from '../src/lib/matrix';
import { randomTable } from '../components/widgets/embedding-explorer/model';

const shipped = JSON.parse(readFileSync('public/models/char-embeddings.json', 'utf8')) as {
  vocab: string[];
  embeddings: Matrix;
};
const V = shipped.vocab.length;
const D = shipped.embeddings[0].length;
const label = (i: number) => (shipped.vocab[i] === ' ' ? '␣' : shipped.vocab[i]);

function open(page: Page): Promise<Locator> {
  return openWidget(page, './chapters/embeddings/', 'embedding-explorer', (w) =>
    expect(w).toHaveAttribute('data-ready', 'true'),
  );
}

/** The neighbours table as [character, cosine] rows. */
async function neighbours(w: Locator): Promise<[string, string][]> {
  return w
    .locator('table.neighbours tbody tr')
    .evaluateAll((rows) =>
      rows.map((r) => [r.children[1].textContent ?? '', r.children[2].textContent ?? ''] as [string, string]),
    );
}

function expected(table: Matrix, query: number, k: number): [string, string][] {
  return nearestNeighbors(table, query, k).map((n) => [label(n.index), n.similarity.toFixed(4)]);
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

test('trained embeddings: nearest neighbours and PCA variance equal src/lib', async ({ page }) => {
  const w = await open(page);
  const e = shipped.vocab.indexOf('e');
  expect(await neighbours(w)).toEqual(expected(shipped.embeddings, e, 5));
  const pca = pca2d(shipped.embeddings);
  const [r1, r2] = pca.explainedVarianceRatio;
  await expect(w.locator('.summary')).toContainText(
    `keep ${pct(r1)} + ${pct(r2)} = ${pct(r1 + r2)} of the variance`,
  );
  await expect(w.locator('.row-values')).toHaveText(
    `[${shipped.embeddings[e].map((x) => x.toFixed(4)).join(', ')}]`,
  );
  // Every point is drawn, and every coordinate is also in a table.
  await expect(w.locator('svg g.pt')).toHaveCount(V);
  await expect(w.locator('svg')).toHaveAttribute('role', 'img');
  await w.getByText('Coordinates of every character').click();
  const first = await w.locator('.coords tbody tr').first().locator('td').allTextContents();
  expect(first).toEqual([label(0), pca.projected[0][0].toFixed(4), pca.projected[0][1].toFixed(4)]);
});

test('choose a character with the select (keyboard) or by clicking its point', async ({ page }) => {
  const w = await open(page);
  const select = w.getByRole('combobox', { name: /^Character/ });
  await select.selectOption({ label: 'a' });
  const a = shipped.vocab.indexOf('a');
  await expect(w.locator('table.neighbours caption')).toHaveText('Nearest neighbours of a');
  expect(await neighbours(w)).toEqual(expected(shipped.embeddings, a, 5));

  await select.focus();
  await page.keyboard.press('ArrowDown');
  await expect(w.locator('table.neighbours caption')).toHaveText(`Nearest neighbours of ${label(a + 1)}`);

  await w.getByLabel('Neighbours', { exact: true }).fill('8');
  expect(await neighbours(w)).toEqual(expected(shipped.embeddings, a + 1, 8));

  const dot = shipped.vocab.indexOf('.');
  await w.locator('svg g.pt').nth(dot).click();
  await expect(select).toHaveValue(String(dot));
  await expect(w.locator('table.neighbours caption')).toHaveText('Nearest neighbours of .');
  expect(await neighbours(w)).toEqual(expected(shipped.embeddings, dot, 8));
});

test('random embeddings at initialization: same seed, same map', async ({ page }) => {
  const w = await open(page);
  await w.getByRole('combobox', { name: /^Embeddings/ }).selectOption('random');
  await w.getByLabel('Seed', { exact: true }).fill('3');
  const e = shipped.vocab.indexOf('e');
  const table = randomTable(V, D, 3);
  expect(await neighbours(w)).toEqual(expected(table, e, 5));
  const [r1, r2] = pca2d(table).explainedVarianceRatio;
  await expect(w.locator('.summary')).toContainText(`Random (seed 3)`);
  await expect(w.locator('.summary')).toContainText(`${pct(r1)} + ${pct(r2)}`);
  await w.getByLabel('Seed', { exact: true }).fill('4');
  expect(await neighbours(w)).toEqual(expected(randomTable(V, D, 4), e, 5));
  await w.getByLabel('Seed', { exact: true }).fill('3');
  expect(await neighbours(w)).toEqual(expected(table, e, 5));
});

test('bad input: neighbours and seed out of range get clear messages', async ({ page }) => {
  const w = await open(page);
  await w.getByLabel('Neighbours', { exact: true }).fill('0');
  await expect(w.getByRole('alert')).toHaveText('Neighbours must be a whole number from 1 to 10 (got “0”).');
  await expect(w.getByLabel('Neighbours', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await w.getByLabel('Neighbours', { exact: true }).fill('3');
  await expect(w.getByRole('alert')).toBeHidden();
  await w.getByRole('combobox', { name: /^Embeddings/ }).selectOption('random');
  await w.getByLabel('Seed', { exact: true }).fill('-1');
  await expect(w.getByRole('alert')).toHaveText(
    'Seed must be a whole number from 0 to 4294967295 (got “-1”).',
  );
  await w.getByLabel('Seed', { exact: true }).fill('');
  await expect(w.getByRole('alert')).toBeVisible();
});

test('axe: the rendered explorer, trained and random, in light and dark mode', async ({ page }) => {
  const w = await open(page);
  await w.getByText('Coordinates of every character').click();
  await expectAxeClean(page, 'embedding-explorer');
  await w.getByRole('combobox', { name: /^Embeddings/ }).selectOption('random');
  await w.getByLabel('Neighbours', { exact: true }).fill('0');
  await expectAxeClean(page, 'embedding-explorer');
});

test('the learner’s saved capstone checkpoint (IndexedDB) is offered and mapped', async ({ page }) => {
  // A small fake checkpoint, saved where the training cell saves it (idb-keyval's default store).
  const chars = ['\n', ' ', 'a', 'b', 'c', 'e', 'h', 't'];
  const v = chars.length + 1; // + the reserved unknown character
  const d = 40; // wider than pca2d's direct limit: exercises the reduced PCA
  const table = randomTable(v, d, 11).map((row) => Array.from(Float32Array.from(row)));
  await page.goto('./chapters/embeddings/');
  await page.evaluate(
    async ({ chars, table, d }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open('keyval-store');
        req.onupgradeneeded = () => req.result.createObjectStore('keyval');
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const ckpt = {
        format: 'attention-notebook/gpt-checkpoint',
        version: 1,
        step: 7,
        vocab: { chars, reserveUnknown: true },
        weights: {
          'token_embedding_table.weight': { shape: [table.length, d], data: Float32Array.from(table.flat()) },
        },
      };
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction('keyval', 'readwrite');
        tx.objectStore('keyval').put(ckpt, 'training-cell/checkpoint');
        tx.objectStore('keyval').put({ step: 7 }, 'training-cell/summary');
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    { chars, table, d },
  );
  const w = await open(page);
  const source = w.getByRole('combobox', { name: /^Embeddings/ });
  await source.selectOption({ label: 'your capstone model (step 7)' });
  await expect(w.locator('.summary')).toContainText(`Your capstone model (step 7): ${v} characters`);
  await expect(w.getByRole('combobox', { name: /^Character/ }).locator('option')).toHaveCount(v);
  const e = chars.indexOf('e');
  await expect(w.getByRole('combobox', { name: /^Character/ })).toHaveValue(String(e));
  const labels = [...chars, '\uFFFD'].map((c) => (c === ' ' ? '␣' : c === '\n' ? 'U+000A' : c));
  const rows = await neighbours(w);
  expect(rows).toEqual(nearestNeighbors(table, e, 5).map((n) => [labels[n.index], n.similarity.toFixed(4)]));
  const [r1, r2] = pca2d(table).explainedVarianceRatio;
  await expect(w.locator('.summary')).toContainText(`${pct(r1)} + ${pct(r2)}`);
  // Back to the shipped model: its own characters return.
  await source.selectOption('trained');
  await expect(w.getByRole('combobox', { name: /^Character/ }).locator('option')).toHaveCount(V);
});

test('IndexedDB that never answers: the map still draws, without the saved-model option', async ({
  page,
}) => {
  // A storage that hangs (seen in the wild): open() returns a request whose events never fire.
  await page.addInitScript(() => {
    IDBFactory.prototype.open = function () {
      return {} as IDBOpenDBRequest;
    };
  });
  const w = await openWidget(page, './chapters/embeddings/', 'embedding-explorer', (x) =>
    expect(x).toHaveAttribute('data-ready', 'true', { timeout: 20_000 }),
  );
  await expect(w.locator('svg g.pt')).toHaveCount(V);
  await expect(w.locator('select[name=source] option[value=checkpoint]')).toHaveCount(0);
});
