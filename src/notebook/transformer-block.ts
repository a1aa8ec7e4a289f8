/** Runnable cells of chapter 6 (the transformer block). */

/** Multi-head split and concat: (T, C) → h × (T, C/h) → (T, C). */
export const splitConcat = `import { sliceCols, concatCols } from 'lib';

const T = 3, C = 6, h = 2;
const x = Array.from({ length: T }, (_, t) => Array.from({ length: C }, (_, c) => 10 * t + c)); // (T, C)
const d = C / h;

// Split: head i reads its own slice of the channels, (T, C/h) each.
const heads = Array.from({ length: h }, (_, i) => sliceCols(x, i * d, (i + 1) * d));
heads.forEach((head, i) => console.log('head', i, head));

// Each head would run attention on its slice here. Concat puts the slices side by side again.
const back = concatCols(heads); // (T, C)
console.log('concat gives x back?', JSON.stringify(back) === JSON.stringify(x));
back
`;
