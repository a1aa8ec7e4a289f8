import { test, expect } from './fixtures';
import { builtPages } from './pages';

/**
 * Words that run into the next inline box on screen ("Import .safetensorsChoose File"): a text node
 * and an adjacent inline element with no space between them, drawn touching on the same line.
 * Astro drops the line break between a text line and a tag line, so this catches what the source hides.
 */
const runTogether = () => {
  const SKIP = '.katex, pre, code, svg, sup, sub, script, style, [aria-hidden="true"]';
  const rectOf = (n: Node, end: boolean) => {
    const r = document.createRange();
    if (n.nodeType === Node.TEXT_NODE) {
      const t = n as Text;
      const trimmed = end ? t.data.trimEnd().length : t.data.length - t.data.trimStart().length;
      r.setStart(t, end ? Math.max(0, trimmed - 1) : trimmed);
      r.setEnd(t, end ? trimmed : Math.min(t.data.length, trimmed + 1));
    } else r.selectNode(n);
    const rects = [...r.getClientRects()];
    return end ? rects.at(-1) : rects[0];
  };
  const found: string[] = [];
  for (const el of document.querySelectorAll<HTMLElement>('main *, training-cell *')) {
    if (el.closest(SKIP)) continue;
    const d = getComputedStyle(el).display;
    if (!d.startsWith('inline') || el.getClientRects().length === 0) continue;
    const control = ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON', 'IMG'].includes(el.tagName);
    if (!control && !el.textContent?.trim()) continue; // an empty placeholder, filled with its own space
    if (el.localName === 'mark') continue; // a highlighted continuation of the word before it
    const pairs: [Node | null, boolean][] = [
      [el.previousSibling, true],
      [el.nextSibling, false],
    ];
    for (const [sib, before] of pairs) {
      if (!sib || sib.nodeType !== Node.TEXT_NODE) continue;
      const text = (sib as Text).data;
      if (!text.trim()) continue;
      const edge = before ? text.at(-1)! : text[0];
      const own = el.textContent ?? '';
      if (/\s/.test(edge) || (d === 'inline' && /\s/.test((before ? own[0] : own.at(-1)) ?? ''))) continue;
      // punctuation that attaches to a word: "x," "(x" "“x”"
      if (before ? /[(“‘[/—–-]/.test(edge) : /[,.;:)!?’”\]/—–-]/.test(edge)) continue;
      // a key combination is written without spaces: <kbd>Ctrl</kbd>+<kbd>Enter</kbd>
      if (el.tagName === 'KBD' && edge === '+') continue;
      const a = rectOf(sib, before);
      const b = el.getClientRects()[before ? 0 : el.getClientRects().length - 1];
      if (!a || !b || a.width === 0) continue;
      const sameLine = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 2;
      const gap = before ? b.left - a.right : a.left - b.right;
      if (sameLine && gap < 2)
        found.push(
          before
            ? `“${text.trim().slice(-30)}” + <${el.localName}> “${el.textContent?.trim().slice(0, 20)}”`
            : `<${el.localName}> “${el.textContent?.trim().slice(-20)}” + “${text.trim().slice(0, 30)}”`,
        );
    }
  }
  return found;
};

test('no words run into the next inline element on any page (Astro drops line breaks)', async ({ page }) => {
  test.setTimeout(240_000);
  const found: string[] = [];
  for (const path of builtPages()) {
    await page.goto(`./${path}`);
    await page.waitForLoadState('load');
    // reveal the training cell's parts that only show after a run, so their text is checked too
    await page.evaluate(() =>
      document.querySelectorAll('training-cell [hidden]').forEach((e) => e.removeAttribute('hidden')),
    );
    found.push(...(await page.evaluate(runTogether)).map((f) => `${path}: ${f}`));
  }
  expect(found).toEqual([]);
});
