import { describe, expect, it } from 'vitest';
import { ankiField, ankiFile, ankiTags, escapeHtml } from '../../../src/flashcards/anki';
import { renderAnkiHtml } from '../../../src/flashcards/anki-render';
import {
  exportProgress,
  newReviews,
  parseProgress,
  progressFileName,
  PROGRESS_FORMAT,
} from '../../../src/flashcards/progress-file';
import {
  DEFAULT_SETTINGS,
  keys,
  readStored,
  validReview,
  type ReviewRecord,
} from '../../../src/flashcards/records';
import { gradeCard, replay } from '../../../src/flashcards/scheduler';

const T0 = Date.UTC(2025, 2, 3, 9, 0, 0);
const MIN = 60_000;

function log(): ReviewRecord[] {
  const out: ReviewRecord[] = [];
  let a;
  let b;
  for (const [g, m] of [
    [3, 0],
    [3, 10],
    [1, 4000],
  ] as const) {
    const r = gradeCard('ch/a', a, g, T0 + m * MIN);
    a = r.card;
    out.push(r.review);
  }
  for (const [g, m] of [
    [4, 5],
    [2, 9000],
  ] as const) {
    const r = gradeCard('ch/b', b, g, T0 + m * MIN, m > 5);
    b = r.card;
    out.push(r.review);
  }
  return out;
}

describe('stored records', () => {
  it('validates reviews and recomputes their ids from card and time', () => {
    const r = { card: 'ch/a', at: T0, grade: 3, state: 0, id: 'forged' };
    expect(validReview(r, T0)).toEqual({ id: `ch/a@${T0}`, card: 'ch/a', at: T0, grade: 3, state: 0 });
    expect(validReview({ ...r, grade: 5 }, T0)).toBeNull();
    expect(validReview({ ...r, grade: 2.5 }, T0)).toBeNull();
    expect(validReview({ ...r, state: 4 }, T0)).toBeNull();
    expect(validReview({ ...r, card: 'no-slash' }, T0)).toBeNull();
    expect(validReview({ ...r, at: Date.UTC(2010, 0, 1) }, T0)).toBeNull();
    expect(validReview({ ...r, at: T0 + 3 * 24 * 60 * MIN }, T0)).toBeNull();
    expect(validReview({ ...r, cram: 'yes' }, T0)).toBeNull();
    expect(validReview('review', T0)).toBeNull();
    expect(validReview([1, 2], T0)).toBeNull();
  });

  it('sorts stored entries and lists every unreadable one for reset', () => {
    const good = log();
    const entries: [unknown, unknown][] = [
      ...good.map((r): [unknown, unknown] => [keys.review(r.id), r]),
      [keys.review('ch/x@1'), { card: 'ch/x', at: 'yesterday', grade: 3, state: 0 }],
      [keys.review('ch/a@999'), good[0]], // key does not match the record
      [keys.card('ch/a'), { card: 'ch/a', due: 'soon' }],
      [keys.settings, { newPerDay: -3 }],
      ['something-else', 1],
      [42, 'numeric key'],
    ];
    const d = readStored(entries, T0 + 10_000 * MIN);
    expect(d.reviews.map((r) => r.id)).toEqual([...good].sort((a, b) => a.at - b.at).map((r) => r.id));
    expect(d.cards.size).toBe(0);
    expect(d.settings).toEqual(DEFAULT_SETTINGS);
    expect(d.bad).toEqual([
      keys.review('ch/x@1'),
      keys.review('ch/a@999'),
      keys.card('ch/a'),
      keys.settings,
      'something-else',
      42,
    ]);
  });
});

describe('progress file (JSON export and import)', () => {
  it('round-trips: the imported reviews rebuild the same card states', () => {
    const reviews = log();
    const states = new Map([
      ['ch/a', replay(reviews.filter((r) => r.card === 'ch/a'))],
      ['ch/b', replay(reviews.filter((r) => r.card === 'ch/b'))],
    ]);
    const text = exportProgress({ reviews, states, settings: { newPerDay: 7 }, now: T0 + 10_000 * MIN });
    const file = JSON.parse(text);
    expect(file.format).toBe(PROGRESS_FORMAT);
    expect(file.version).toBe(1);
    expect(file.cards['ch/a'].state).toBe('Relearning');
    const back = parseProgress(text, T0 + 10_000 * MIN);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(back.skipped).toBe(0);
    expect(back.settings).toEqual({ newPerDay: 7 });
    expect(back.reviews).toEqual([...reviews].sort((a, b) => a.at - b.at));
    expect(replay(back.reviews.filter((r) => r.card === 'ch/a'))).toEqual(states.get('ch/a'));
    expect(replay(back.reviews.filter((r) => r.card === 'ch/b'))).toEqual(states.get('ch/b'));
    expect(back.reviews.filter((r) => r.cram)).toHaveLength(1);
  });

  it('refuses files that are not progress files, saying why', () => {
    const now = T0;
    const msg = (t: string) => {
      const r = parseProgress(t, now);
      return r.ok ? '' : r.message;
    };
    expect(msg('{"format": "attention-notebook-flashcards", "version": 1, "reviews": [')).toMatch(
      /not valid JSON/,
    );
    expect(msg('')).toMatch(/not valid JSON/);
    expect(msg('[1,2,3]')).toMatch(/not an Attention Notebook flashcards export/);
    expect(msg('null')).toMatch(/not an Attention Notebook flashcards export/);
    expect(msg('{"format":"anki"}')).toMatch(/not an Attention Notebook flashcards export/);
    expect(msg(`{"format":"${PROGRESS_FORMAT}","version":2,"reviews":[]}`)).toMatch(/version 2/);
    expect(msg(`{"format":"${PROGRESS_FORMAT}","version":1,"reviews":{}}`)).toMatch(/no list of reviews/);
  });

  it('skips bad entries, keeps the good ones, drops duplicates and ignores bad settings', () => {
    const good = log();
    const text = JSON.stringify({
      format: PROGRESS_FORMAT,
      version: 1,
      settings: { newPerDay: 'many' },
      reviews: [
        good[0],
        good[0],
        { card: '<img src=x onerror=alert(1)>', at: T0, grade: 3, state: 0 },
        7,
        null,
        good[1],
      ],
    });
    const r = parseProgress(`\uFEFF${text}`, T0 + 100 * MIN);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.reviews.map((x) => x.id)).toEqual([good[0].id, good[1].id]);
    expect(r.skipped).toBe(3);
    expect(r.settings).toBeNull();
    expect(newReviews(new Set([good[0].id]), r.reviews)).toEqual([good[1]]);
  });

  it('parseProgress(text) reads a file without settings (zod 4 makes unknown() keys required)', () => {
    const text = JSON.stringify({
      format: 'attention-notebook-flashcards',
      version: 1,
      reviews: [{ card: 'start-here/why-subtract-max', at: T0, grade: 3, state: 0 }],
    });
    const r = parseProgress(text, T0 + MIN);
    expect(r.ok).toBe(true);
    if (r.ok) expect([r.reviews.length, r.settings, r.skipped]).toEqual([1, null, 0]);
  });

  it('names the file by local date', () => {
    expect(progressFileName(new Date(2025, 0, 5, 12).getTime())).toBe(
      'attention-notebook-flashcards-2025-01-05.json',
    );
  });
});

describe('Anki export', () => {
  it('escapes fields: tabs as entities, quotes and newlines inside a quoted field', () => {
    expect(ankiField('plain <b>html</b>')).toBe('plain <b>html</b>');
    expect(ankiField('a\tb')).toBe('a&#9;b');
    expect(ankiField('line one\nline two')).toBe('"line one\nline two"');
    expect(ankiField('<code class="x">')).toBe('"<code class=""x"">"');
    expect(ankiField('#not a comment')).toBe('"#not a comment"');
    expect(ankiField('a\r\nb')).toBe('"a\r\nb"');
    expect(escapeHtml('x < y && y > z')).toBe('x &lt; y &amp;&amp; y &gt; z');
    expect(ankiTags(['attention-notebook', 'chapter one'])).toBe('attention-notebook chapter_one');
  });

  it('writes the header lines and one tab-separated note per line', () => {
    const file = ankiFile(
      [
        { guid: 'an/start-here/a', front: 'Q1 &lt; 2', back: '<p>A\tB</p>', tags: ['attention-notebook'] },
        { guid: 'an/start-here/b', front: 'Q2', back: '<pre><code>x</code></pre>\n<p>"hi"</p>', tags: [] },
      ],
      'Attention Notebook::Start\there',
    );
    const lines = file.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      '#separator:tab',
      '#html:true',
      '#deck:Attention Notebook::Start here',
      '#guid column:1',
      '#tags column:4',
      '#columns:GUID\tFront\tBack\tTags',
    ]);
    expect(lines[6].split('\t')).toEqual([
      'an/start-here/a',
      'Q1 &lt; 2',
      '<p>A&#9;B</p>',
      'attention-notebook',
    ]);
    expect(file).toContain('an/start-here/b\tQ2\t"<pre><code>x</code></pre>\n<p>""hi""</p>"\t\n');
    expect(file.endsWith('\n')).toBe(true);
  });

  it('renders answers for Anki on one line: MathJax math, code lines as <br>', async () => {
    const html = await renderAnkiHtml(
      'Softmax: $e^{z_i} / \\sum_j e^{z_j}$ with `exp`.\n\n$$\na < b\n$$\n\n```python\nx = 1\n\tif x:\n    y = 2\n```\n',
    );
    expect(html).not.toMatch(/[\n\t]/);
    expect(html).toContain('\\(e^{z_i} / \\sum_j e^{z_j}\\)');
    expect(html).toContain('\\[a &#x3C; b\\]');
    expect(html).toContain('<code>exp</code>');
    expect(html).toContain('<pre><code class="language-python">x = 1<br>    if x:<br>    y = 2</code></pre>');
  });
});
