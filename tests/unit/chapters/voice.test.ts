import { describe, expect, it } from 'vitest';
import { readChapters } from './chapter-files';

/**
 * The chapters teach the subject in their own voice: “the notes” belongs in the “Correcting the notes”
 * asides and in the sentence that introduces a quotation of the notes (code or text). This lists every
 * other mention, paragraph by paragraph.
 */
export function notesMentionsOutsideQuotes(body: string): string[] {
  const withoutAsides = body
    .replace(/```[\s\S]*?```/g, '\n```quoted```\n')
    .replace(/<Aside type="correction"[\s\S]*?<\/Aside>/g, '');
  const paragraphs = withoutAsides.split(/\n\s*\n/);
  const out: string[] = [];
  paragraphs.forEach((p, i) => {
    const next = (paragraphs[i + 1] ?? '').trimStart();
    const introducesQuote = next.startsWith('```') || next.startsWith('>');
    if (introducesQuote || p.trimStart().startsWith('```') || p.trimStart().startsWith('>')) return;
    for (const m of p.matchAll(/\bthe\s+notes\b[’']?/gi)) {
      const at = m.index ?? 0;
      out.push(p.slice(Math.max(0, at - 40), at + 40).replace(/\s+/g, ' '));
    }
  });
  return out;
}

/** At most this many mentions of “the notes” outside correction asides and quotations, per chapter. */
const MAX_MENTIONS = 1;

describe('one voice: chapters teach the subject, not “the notes”', () => {
  it('finds a mention in plain prose but not in an aside or before a quoted block', () => {
    const body = [
      'The notes say so.',
      '<Aside type="correction">\n  The notes were wrong.\n</Aside>',
      'The notes put it this way:',
      '> a quotation',
    ].join('\n\n');
    expect(notesMentionsOutsideQuotes(body)).toHaveLength(1);
  });
  it.each(readChapters().map((c) => [c.id, c.body] as const))(
    '%s mentions “the notes” at most once outside asides and quotations',
    (_id, body) => {
      const mentions = notesMentionsOutsideQuotes(body);
      expect(mentions.length, mentions.join('\n')).toBeLessThanOrEqual(MAX_MENTIONS);
    },
  );
});

/** Each correction repeated across chapters: what marks its full explanation, where it lives, who links. */
const TAUGHT_ONCE: [what: string, marker: RegExp, home: string, link: string, linkedFrom: string[]][] = [
  [
    'the 3e-6 learning rate',
    /0\.036/,
    '11-capstone',
    '../capstone/#hyperparameters',
    ['03-training-and-inference', '08-optimization-and-schedulers'],
  ],
  [
    'the generate crop',
    /block_size:\]/,
    '11-capstone',
    '../capstone/#generation',
    ['02-embeddings', '06-transformer-block'],
  ],
  [
    'dropout scaling',
    /1\/\(1 ?- ?p\)/,
    '04-dropout-and-activations',
    '../dropout-and-activations/#how-inverted-dropout',
    ['05-attention', '06-transformer-block', '07-normalization-and-regularization'],
  ],
  [
    'pre- vs post-LN',
    /Xiong et al\./,
    '06-transformer-block',
    '../transformer-block/#layer-normalization-post-ln-and-pre-ln',
    ['11-capstone', '12-what-comes-next'],
  ],
];

describe('each repeated correction is taught once and linked elsewhere', () => {
  const chapters = readChapters();
  it.each(TAUGHT_ONCE)('%s', (_what, marker, home, link, linkedFrom) => {
    const teaching = chapters
      .filter((c) => marker.test(JSON.stringify(c.frontmatter) + c.body))
      .map((c) => c.id);
    expect(teaching).toEqual([home]);
    for (const id of linkedFrom) {
      expect(chapters.find((c) => c.id === id)!.body, `${id} links to ${link}`).toContain(`](${link})`);
    }
  });
});
