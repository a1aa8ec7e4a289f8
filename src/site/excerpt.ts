/**
 * Excerpts of a source file for a chapter: the lines that teach, picked by a 1-based range or by the
 * first line that contains an anchor string. A missing anchor or an out-of-range selection throws, so a
 * chapter whose excerpt drifted away from the code fails the build instead of showing the wrong lines.
 */

/** Which lines to show: `lines` as [first, last] (1-based, inclusive), or `from` (anchor text) and `count`. */
export interface ExcerptSpec {
  lines?: readonly [number, number];
  from?: string;
  count?: number;
}

/** An excerpt and where it sits in the file. */
export interface Excerpt {
  /** The selected lines, dedented by their common indentation, joined with \n. */
  text: string;
  /** First and last line shown, 1-based. */
  first: number;
  last: number;
  /** Lines in the whole file. */
  total: number;
}

/** Cut the lines described by `spec` out of `code`; throws a clear message when they are not there. */
export function excerptLines(code: string, spec: ExcerptSpec, file = 'source'): Excerpt {
  const all = code.trimEnd().split('\n');
  let first: number;
  let last: number;
  if (spec.lines) {
    [first, last] = spec.lines;
  } else if (spec.from !== undefined) {
    const at = all.findIndex((l) => l.includes(spec.from!));
    if (at < 0) throw new Error(`${file}: no line contains ${JSON.stringify(spec.from)}; update the excerpt`);
    first = at + 1;
    last = Math.min(all.length, first + (spec.count ?? 20) - 1);
  } else {
    throw new Error(`${file}: an excerpt needs \`lines\` or \`from\``);
  }
  if (!(
    Number.isInteger(first) &&
    Number.isInteger(last) &&
    first >= 1 &&
    last >= first &&
    last <= all.length
  )) {
    throw new Error(`${file}: lines ${first}–${last} are outside 1–${all.length}`);
  }
  const picked = all.slice(first - 1, last);
  // Dedent: a method cut out of a class reads better starting at column 0.
  const indent = Math.min(...picked.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return { text: picked.map((l) => l.slice(indent)).join('\n'), first, last, total: all.length };
}
