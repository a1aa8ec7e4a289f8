import { describe, expect, it } from 'vitest';
import { chapterSchema } from '../../../src/chapters/schema';
import { mdxHeadings, readChapters } from './chapter-files';

const chapters = readChapters();

/** The course plan: file ids are fixed so chapters can link to each other. */
const PLAN = [
  '00-start-here',
  '01-tokenization',
  '02-embeddings',
  '03-training-and-inference',
  '04-dropout-and-activations',
  '05-attention',
  '06-transformer-block',
  '07-normalization-and-regularization',
  '08-optimization-and-schedulers',
  '09-sampling-and-quantization',
  '10-learning-as-refinement',
  '11-capstone',
  '12-what-comes-next',
];

describe('the course has every planned chapter', () => {
  it('has one MDX file for each chapter of the plan, and no others', () => {
    expect(chapters.map((c) => c.id)).toEqual(PLAN);
  });
  it('numbers the chapters 0..12: unique, contiguous, each equal to its file prefix', () => {
    const orders = chapters.map((c) => chapterSchema.parse(c.frontmatter).order);
    expect(new Set(orders).size).toBe(orders.length);
    expect([...orders].sort((a, b) => a - b)).toEqual(PLAN.map((_, i) => i));
  });
  it('gives every Q&A entry an id that is unique across the course', () => {
    const seen = new Map<string, string>();
    const dupes: string[] = [];
    for (const c of chapters) {
      for (const qa of chapterSchema.parse(c.frontmatter).qa) {
        expect(qa.id, `${c.id}: "${qa.q}" needs an id`).toBeTruthy();
        const id = qa.id as string;
        if (seen.has(id)) dupes.push(`${id} (${seen.get(id)} and ${c.id})`);
        seen.set(id, c.id);
      }
    }
    expect(dupes).toEqual([]);
  });
});

describe.each(chapters.map((c) => [c.id, c] as const))('chapter %s', (id, chapter) => {
  it('has frontmatter that passes the chapter schema', () => {
    const parsed = chapterSchema.safeParse(chapter.frontmatter);
    expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(
      [],
    );
  });
  it('has a non-empty Q&A list whose questions and answers are non-empty', () => {
    const { qa } = chapterSchema.parse(chapter.frontmatter);
    expect(qa.length).toBeGreaterThan(0);
    for (const entry of qa) {
      expect(entry.q.trim().length).toBeGreaterThan(4);
      expect(entry.a.trim().length).toBeGreaterThan(0);
    }
  });
  it('has an order equal to its file number', () => {
    expect(chapterSchema.parse(chapter.frontmatter).order).toBe(Number(id.slice(0, 2)));
  });
  it.runIf(id !== '00-start-here')('has questions from the notes and at least three of its own', () => {
    const { qa } = chapterSchema.parse(chapter.frontmatter);
    expect(qa.filter((e) => e.fromNotes).length).toBeGreaterThan(0);
    expect(qa.filter((e) => !e.fromNotes).length).toBeGreaterThanOrEqual(3);
  });
  it('starts its headings at h2, never skips a level, and leaves "Check yourself" to the layout', () => {
    const hs = mdxHeadings(chapter.body);
    expect(hs.length).toBeGreaterThan(0);
    expect(hs[0][0]).toBe(2);
    const jumps = hs.filter(([level], i) => i > 0 && level - hs[i - 1][0] > 1).map(([l, t]) => `h${l} ${t}`);
    expect(jumps).toEqual([]);
    expect(hs.filter(([level]) => level === 1)).toEqual([]);
    expect(hs.map(([, t]) => t.toLowerCase())).not.toContain('check yourself');
  });
});
