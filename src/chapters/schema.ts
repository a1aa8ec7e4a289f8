import { z } from 'astro/zod';

/** One question and its answer; `a` is Markdown (math with $…$, code with backticks). */
export const qaSchema = z.object({
  /** The question as the learner sees it on the card front. */
  q: z.string().min(5),
  /** The answer in Markdown: KaTeX math and inline code render like the chapter. */
  a: z.string().min(1),
  /** Stable slug for the card; defaults to a slug of `q`. Keep it when rewording `q`. */
  id: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .optional(),
  /** True when the question comes from the source notes (false: our own addition). */
  fromNotes: z.boolean().default(false),
});

/** Frontmatter of a chapter MDX file. */
export const chapterSchema = z.object({
  /** Chapter title shown in the sidebar and page heading. */
  title: z.string().min(3),
  /** Position in the course; chapters are listed by ascending order. */
  order: z.number().int().min(0),
  /** One or two sentences for the home page and sidebar tooltip. */
  summary: z.string().min(10),
  /** The chapter's questions and answers; they become flashcards. */
  qa: z.array(qaSchema).min(1),
});

export type ChapterData = z.infer<typeof chapterSchema>;
export type QA = z.infer<typeof qaSchema>;
