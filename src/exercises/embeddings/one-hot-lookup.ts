/** Exercise (chapter 2): embedding lookup as one-hot × table, checked against src/lib's lookup. */
import { embeddingLookup } from '../../lib/embeddings';
import { exported, randomMatrix, show, type Exercise } from '../types';

export const oneHotLookupExercise: Exercise = {
  id: 'embeddings/one-hot-lookup',
  chapter: 'embeddings',
  title: 'Embedding lookup as one-hot × table',
  starter: `import { matmul } from 'lib';

// oneHot(ids, V): one row per id, V columns, a 1 in column id and 0 elsewhere, (n, V).
export function oneHot(ids: number[], V: number): number[][] {
  // TODO: put the 1 in the right column
  return ids.map(() => new Array(V).fill(0));
}

// lookup(table, ids): the embedding rows of ids, computed as oneHot(ids) × table, (n, C).
export function lookup(table: number[][], ids: number[]): number[][] {
  return matmul(oneHot(ids, table.length), table);
}

const table = [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]];
lookup(table, [2, 0, 2]);
`,
  solution: `import { matmul } from 'lib';

export function oneHot(ids: number[], V: number): number[][] {
  return ids.map((id) => Array.from({ length: V }, (_, j) => (j === id ? 1 : 0)));
}

export function lookup(table: number[][], ids: number[]): number[][] {
  return matmul(oneHot(ids, table.length), table);
}

const table = [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]];
lookup(table, [2, 0, 2]);
`,
  check(mod, c, rng) {
    const lookup = exported<(t: number[][], ids: number[]) => number[][]>(mod, 'lookup');
    const oneHot = exported<(ids: number[], v: number) => number[][]>(mod, 'oneHot');
    c.run('oneHot([1], 3)', () => c.closeMatrix(oneHot([1], 3), [[0, 1, 0]], 'oneHot([1], 3)', 0));
    for (let i = 0; i < 4; i++) {
      const V = 3 + i;
      const table = randomMatrix(rng, V, 2 + i);
      const ids = Array.from({ length: 2 + i }, () => Math.floor(rng.next() * V));
      c.run(`lookup(table, ${show(ids)})`, () =>
        c.closeMatrix(
          lookup(table, ids),
          embeddingLookup(table, ids).vectors,
          `lookup(table of ${V} rows, ${show(ids)})`,
        ),
      );
    }
  },
};
