import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import remarkRehype from 'remark-rehype';
import rehypeKatex from 'rehype-katex';
import rehypeStringify from 'rehype-stringify';
import { codeToHtml } from 'shiki';
import { codeDefaultColor, codeThemes } from '../site/code-themes.js';

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkMath)
  .use(remarkRehype)
  .use(rehypeKatex)
  .use(rehypeStringify);

/** Render a Q&A answer (Markdown with $math$ and fenced code) to HTML at build time, like a chapter. */
export async function renderMarkdown(markdown: string): Promise<string> {
  const blocks: string[] = [];
  // Highlight fenced code with shiki (same dual themes as chapters); the rest goes through unified.
  const withPlaceholders = await replaceAsync(
    markdown,
    /```(\w+)?\n([\s\S]*?)```/g,
    async (_m, lang, code) => {
      blocks.push(
        await codeToHtml(code.replace(/\n$/, ''), {
          lang: lang ?? 'text',
          themes: codeThemes,
          defaultColor: codeDefaultColor,
        }),
      );
      return `\n\nCODEBLOCK${blocks.length - 1}\n\n`;
    },
  );
  const html = String(await processor.process(withPlaceholders));
  return html
    .replace(/<p>CODEBLOCK(\d+)<\/p>/g, (_m, i) =>
      blocks[Number(i)].replace('class="shiki', 'class="astro-code shiki'),
    )
    .trim();
}

async function replaceAsync(
  text: string,
  pattern: RegExp,
  fn: (...groups: string[]) => Promise<string>,
): Promise<string> {
  const parts: Promise<string>[] = [];
  text.replace(pattern, (...args) => {
    parts.push(fn(...(args.slice(0, -2) as string[])));
    return '';
  });
  const replacements = await Promise.all(parts);
  let i = 0;
  return text.replace(pattern, () => replacements[i++]);
}

/** Render a one-paragraph Markdown string (a question) to inline HTML, without the <p> wrapper. */
export async function renderInlineMarkdown(markdown: string): Promise<string> {
  const html = await renderMarkdown(markdown);
  return html.replace(/^<p>([\s\S]*)<\/p>$/, '$1');
}
