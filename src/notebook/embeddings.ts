/** Runnable cells of chapter 2 (embeddings). */

/** Embedding lookup equals one-hot × table. */
export const oneHot = `import { embeddingLookup, matmul, createRng } from 'lib';

const V = 5; // vocabulary size
const C = 3; // embedding width
const rng = createRng(0);
const table = Array.from({ length: V }, () => Array.from({ length: C }, () => rng.normal()));
const ids = [2, 0, 4];

// One-hot rows (n, V) times the table (V, C) pick rows of the table: (n, C).
const oneHotRows = ids.map((id) => Array.from({ length: V }, (_, j) => (j === id ? 1 : 0)));
console.log(oneHotRows);
const viaMatmul = matmul(oneHotRows, table);
const viaLookup = embeddingLookup(table, ids).vectors;
console.log('same?', JSON.stringify(viaMatmul) === JSON.stringify(viaLookup));
viaLookup
`;
