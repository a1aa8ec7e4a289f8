import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { chapterSchema } from './chapters/schema';

/** The course chapters: one MDX file each under content/chapters, ordered by `order`. */
const chapters = defineCollection({
  loader: glob({ pattern: '**/*.mdx', base: './content/chapters' }),
  schema: chapterSchema,
});

export const collections = { chapters };
