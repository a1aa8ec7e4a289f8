/**
 * Search results that really match, and where a query's words are on a page. Pagefind falls back to
 * the longest prefix of an unknown word that it does know ("xyzzyq" finds pages with "x"), so the
 * search page keeps only results whose matched words share enough of each query word.
 */

/** Lower case, letters and digits only at the edges ("Softmax," → "softmax"). */
export function normalizeWord(w: string): string {
  return w.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}

/** The query's words, normalized, empty ones dropped. */
export function queryTerms(query: string): string[] {
  return query.split(/\s+/).map(normalizeWord).filter(Boolean);
}

/** The words Pagefind matched in a fragment: `content` split as Pagefind splits it, at `locations`. */
export function matchedWords(content: string, locations: readonly number[]): string[] {
  const words = content.split(/[^\S\uFEFF]+/);
  return locations.map((i) => normalizeWord(words[i] ?? '')).filter(Boolean);
}

/**
 * Characters a matched word must share with the start of a query word of length n: all of a short
 * word (typing "sof" finds "softmax"), else all but a stemmed ending of up to four ("weights" →
 * "weight"), never fewer than four: so "x" never stands in for "xyzzyq".
 */
export function sharedPrefixNeeded(n: number): number {
  return n <= 4 ? n : Math.max(4, n - 4);
}

const sharedPrefix = (a: string, b: string) => {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
};

/** True when every query word has a matched word that shares enough of its start. */
export function isGenuineMatch(query: string, words: readonly string[]): boolean {
  const terms = queryTerms(query);
  return (
    terms.length > 0 &&
    terms.every((t) => words.some((w) => sharedPrefix(t, w) >= sharedPrefixNeeded(t.length)))
  );
}

/** [start, end) ranges in `text` where a word starts with one of `terms` (case-insensitive), in order. */
export function findTermRanges(text: string, terms: readonly string[]): [number, number][] {
  const wanted = terms.map(normalizeWord).filter(Boolean);
  if (!wanted.length) return [];
  const ranges: [number, number][] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const word = m[0].toLowerCase();
    const t = wanted.find(
      (w) => word.startsWith(w) || (w.startsWith(word) && word.length >= sharedPrefixNeeded(w.length)),
    );
    if (t) ranges.push([m.index, m.index + m[0].length]);
  }
  return ranges;
}
