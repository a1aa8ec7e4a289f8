/** Runnable cells of chapter 12 (what comes next). */

/** Padding cost of random vs sorted vs bucketed batches. */
export const bucketing = `import { compareBatching, sampleLengths, padSequences, createRng } from 'lib';

const rng = createRng(4);
const lengths = sampleLengths(64, rng);
const { random, sorted, bucketed } = compareBatching(lengths, 8, rng);
console.log('padding waste: random', random.waste, 'sorted', sorted.waste, 'bucketed', bucketed.waste);
padSequences([[5, 6, 7], [8], [9, 10]], 0)
`;
