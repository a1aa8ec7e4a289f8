/**
 * Answers rendered for Anki at build time: the same Markdown as the chapter, but math stays as
 * MathJax source (`\(…\)` and `\[…\]`, which Anki renders itself) and code is plain
 * `<pre><code>` with `<br>` for line breaks, so the HTML has no raw newlines or tabs.
 */
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';

interface Node {
  type: string;
  value?: string;
  tagName?: string;
  children?: Node[];
}

/** remark: math nodes become their MathJax source as text. */
function mathToMathJax() {
  return (tree: Node) => {
    const walk = (node: Node) => {
      node.children = node.children?.map((child) => {
        if (child.type === 'inlineMath') return { type: 'text', value: `\\(${child.value ?? ''}\\)` };
        if (child.type === 'math') {
          return { type: 'paragraph', children: [{ type: 'text', value: `\\[${child.value ?? ''}\\]` }] };
        }
        walk(child);
        return child;
      });
    };
    walk(tree);
  };
}

/** rehype: inside <pre>, line breaks become <br> and tabs four spaces; the trailing newline goes. */
function preLineBreaks() {
  return (tree: Node) => {
    const inPre = (node: Node) => {
      node.children = node.children?.flatMap((child) => {
        if (child.type !== 'text') {
          inPre(child);
          return [child];
        }
        const lines = (child.value ?? '').replace(/\n$/, '').replace(/\t/g, '    ').split('\n');
        return lines.flatMap((line, i) => [
          ...(i ? [{ type: 'element', tagName: 'br', properties: {}, children: [] } as Node] : []),
          { type: 'text', value: line },
        ]);
      });
    };
    const walk = (node: Node) => {
      for (const child of node.children ?? []) {
        if (child.type === 'element' && child.tagName === 'pre') inPre(child);
        else walk(child);
      }
    };
    walk(tree);
  };
}

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkMath)
  .use(mathToMathJax)
  .use(remarkRehype)
  .use(preLineBreaks)
  .use(rehypeStringify);

/** Markdown → single-line HTML for an Anki field. */
export async function renderAnkiHtml(markdown: string): Promise<string> {
  const html = String(await processor.process(markdown));
  return html.replace(/\s*\n\s*/g, ' ').trim();
}
