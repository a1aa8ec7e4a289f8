import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nearestNeighbors, pca2d } from '../../../src/lib/embeddings';
import {
  charLabel,
  charName,
  embeddingView,
  randomTable,
} from '../../../components/widgets/embedding-explorer/model';
import {
  DIRECT_PCA_MAX_DIM,
  embeddingsFromCheckpoint,
  pcaAnyWidth,
} from '../../../components/widgets/embedding-explorer/checkpoint';
import { parseCharModel, type CharModel } from '../../../components/widgets/shared/char-model';

const model = parseCharModel(
  JSON.parse(readFileSync('public/models/char-embeddings.json', 'utf8')),
) as CharModel;

describe('embedding explorer model', () => {
  it('draws a seeded N(0, 1) table: same seed, same table', () => {
    const a = randomTable(35, 10, 1);
    expect(a).toHaveLength(35);
    expect(a[0]).toHaveLength(10);
    expect(randomTable(35, 10, 1)).toEqual(a);
    expect(randomTable(35, 10, 2)).not.toEqual(a);
    const flat = randomTable(200, 50, 3).flat();
    const mean = flat.reduce((s, x) => s + x, 0) / flat.length;
    const variance = flat.reduce((s, x) => s + (x - mean) ** 2, 0) / flat.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it('shows what src/lib computes for the shipped embeddings', () => {
    const e = model.vocab.indexOf('e');
    const view = embeddingView(model.embeddings, e, 5);
    expect(view.pca).toEqual(pca2d(model.embeddings));
    expect(view.neighbors).toEqual(nearestNeighbors(model.embeddings, e, 5));
    expect(view.neighbors.map((n) => n.index)).not.toContain(e);
    expect(view.pca.projected).toHaveLength(model.vocab.length);
  });

  it('trained punctuation sits together: the neighbours of "." are punctuation', () => {
    const dot = model.vocab.indexOf('.');
    const near = nearestNeighbors(model.embeddings, dot, 3).map((n) => model.vocab[n.index]);
    for (const c of near) expect("!,;:?-'").toContain(c);
  });

  it('labels invisible characters', () => {
    expect(charLabel(' ')).toBe('␣');
    expect(charLabel('\n')).toBe('U+000A');
    expect(charLabel('a')).toBe('a');
    expect(charName(' ')).toBe('␣ (space)');
  });
});

describe('embedding explorer: the capstone checkpoint as a source', () => {
  const fake = (chars: string[], reserveUnknown: boolean, d: number, seed = 5) => {
    const v = chars.length + (reserveUnknown ? 1 : 0);
    const table = randomTable(v, d, seed);
    return {
      table,
      ckpt: {
        format: 'attention-notebook/gpt-checkpoint',
        version: 1,
        step: 42,
        vocab: { chars, reserveUnknown },
        weights: { 'token_embedding_table.weight': { shape: [v, d], data: Float32Array.from(table.flat()) } },
      },
    };
  };

  it('reads the token embedding table and its characters (plus the reserved unknown)', () => {
    const { ckpt, table } = fake(['\n', ' ', 'a', 'b'], true, 8);
    const got = embeddingsFromCheckpoint(ckpt);
    expect(typeof got).toBe('object');
    const t = got as Exclude<typeof got, string>;
    expect(t.vocab).toEqual(['\n', ' ', 'a', 'b', '\uFFFD']);
    expect(t.step).toBe(42);
    t.table.forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo(table[i][j], 6)));
  });

  it('explains what is wrong with anything else', () => {
    expect(embeddingsFromCheckpoint(undefined)).toMatch(/not a GPT checkpoint/);
    expect(embeddingsFromCheckpoint({ format: 'x' })).toMatch(/not a GPT checkpoint/);
    const { ckpt } = fake(['a', 'b', 'c'], false, 4);
    expect(embeddingsFromCheckpoint({ ...ckpt, weights: {} })).toMatch(/no token_embedding_table/);
    expect(embeddingsFromCheckpoint({ ...ckpt, vocab: { chars: ['a'], reserveUnknown: false } })).toMatch(
      /does not match/,
    );
  });

  it('gives the same PCA as pca2d for tables wider than its direct limit, quickly', () => {
    const table = randomTable(20, DIRECT_PCA_MAX_DIM + 8, 9); // rank 19 < 40 dimensions
    const direct = pca2d(table);
    const fast = pcaAnyWidth(table);
    fast.projected.forEach((p, i) => p.forEach((x, k) => expect(x).toBeCloseTo(direct.projected[i][k], 10)));
    fast.components.forEach((c, k) =>
      c.forEach((x, j) => expect(x).toBeCloseTo(direct.components[k][j], 10)),
    );
    fast.explainedVarianceRatio.forEach((r, k) =>
      expect(r).toBeCloseTo(direct.explainedVarianceRatio[k], 12),
    );
    expect(pcaAnyWidth(model.embeddings)).toEqual(pca2d(model.embeddings));
    const wide = randomTable(96, 512, 1);
    const start = performance.now();
    expect(pcaAnyWidth(wide).projected).toHaveLength(96);
    expect(performance.now() - start).toBeLessThan(10_000);
  });
});
