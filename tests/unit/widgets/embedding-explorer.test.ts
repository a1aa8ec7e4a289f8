import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nearestNeighbors, pca2d } from '../../../src/lib/embeddings';
import {
  charLabel,
  charName,
  embeddingView,
  randomTable,
} from '../../../components/widgets/embedding-explorer/model';
import { parseCharModel, type CharModel } from '../../../components/widgets/sampling-playground/char-model';

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
