/**
 * The embedding explorer's pure logic (no DOM): a seeded random table like nn.Embedding's initialization,
 * and the PCA map and nearest neighbours of a table from src/lib/embeddings.ts.
 */
import { nearestNeighbors, type Neighbor } from '../../../src/lib/embeddings';
import type { Matrix } from '../../../src/lib/matrix';
import { createRng } from '../../../src/lib/rng';
import { pcaAnyWidth } from './checkpoint';

/** A (V, d) table of N(0, 1) draws from a generator seeded by `seed` (nn.Embedding initializes this way). */
export function randomTable(v: number, d: number, seed: number): Matrix {
  const rng = createRng(seed);
  return Array.from({ length: v }, () => Array.from({ length: d }, () => rng.normal()));
}

/** What the explorer shows for one table and one chosen row. */
export interface EmbeddingView {
  pca: ReturnType<typeof pcaAnyWidth>;
  neighbors: Neighbor[];
}

/** PCA of the table (V, d) (src/lib's pca2d, see pcaAnyWidth) and the k rows most cosine-similar to row `query`. */
export function embeddingView(table: Matrix, query: number, k: number): EmbeddingView {
  return { pca: pcaAnyWidth(table), neighbors: nearestNeighbors(table, query, k) };
}

/** A character as a label: the space as ␣, other invisible characters by code point. */
export function charLabel(c: string): string {
  if (c === ' ') return '␣';
  if (/^[\p{C}\p{Z}]$/u.test(c)) return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return c;
}

/** Spoken name of a character for option text and labels. */
export function charName(c: string): string {
  if (c === ' ') return '␣ (space)';
  if (c === "'") return "' (apostrophe)";
  return charLabel(c);
}
