import { describe, expect, it } from 'vitest';
import { buildToc } from '../../../src/site/toc';

describe('buildToc(headings)', () => {
  it('nests h3 under the preceding h2 and drops other depths', () => {
    const toc = buildToc([
      { depth: 2, slug: 'a', text: 'A' },
      { depth: 3, slug: 'a1', text: 'A1' },
      { depth: 4, slug: 'a1x', text: 'deep' },
      { depth: 3, slug: 'a2', text: 'A2' },
      { depth: 2, slug: 'b', text: 'B' },
    ]);
    expect(toc.map((h) => h.slug)).toEqual(['a', 'b']);
    expect(toc[0].children.map((h) => h.slug)).toEqual(['a1', 'a2']);
    expect(toc[1].children).toEqual([]);
  });

  it('ignores an h3 that comes before any h2', () => {
    expect(buildToc([{ depth: 3, slug: 'x', text: 'X' }])).toEqual([]);
  });
});
