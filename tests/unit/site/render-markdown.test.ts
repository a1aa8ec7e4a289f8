import { describe, expect, it } from 'vitest';
import { renderInlineMarkdown, renderMarkdown } from '../../../src/chapters/render-markdown';

describe('renderMarkdown(markdown)', () => {
  it('renders inline math with KaTeX', async () => {
    const html = await renderMarkdown('Weights: $\\frac{e^{z_i}}{\\sum_j e^{z_j}}$.');
    expect(html).toContain('class="katex"');
    expect(html).not.toContain('katex-error');
  });

  it('highlights fenced code with both themes', async () => {
    const html = await renderMarkdown('Before\n\n```python\nloss.backward()\n```\n\nAfter');
    expect(html).toContain('<pre class="astro-code shiki');
    expect(html).toContain('--shiki-dark');
    expect(html).toMatch(/<p>Before<\/p>[\s\S]*<pre[\s\S]*<p>After<\/p>/);
  });

  it('escapes HTML-looking text in inline code', async () => {
    const html = await renderMarkdown('Use `<script>` carefully.');
    expect(html).toContain('&#x3C;script>');
    expect(html).not.toContain('<script>');
  });
});

describe('renderInlineMarkdown(markdown)', () => {
  it('drops the paragraph wrapper and keeps inline code', async () => {
    expect(await renderInlineMarkdown('What does `optimizer.step()` do?')).toBe(
      'What does <code>optimizer.step()</code> do?',
    );
  });
});
