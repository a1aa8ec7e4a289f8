/**
 * On a phone a wide inline formula scrolls inside its own box (global.css) instead of widening the page. A box
 * that scrolls must be reachable by keyboard (axe: scrollable-region-focusable), so each inline formula that
 * overflows gets tabindex="0" (arrow keys then scroll it); one that fits again loses it, so formulas that fit
 * add no tab stops. Small on purpose: chapter pages load it eagerly.
 */
const INLINE_MATH = ':not(.katex-display) > .katex';

/** Make the overflowing inline formulas under `root` focusable, now, when fonts load and on resize. */
export function focusScrollingFormulas(root: ParentNode | null): void {
  if (!root) return;
  const mark = () => {
    for (const el of root.querySelectorAll<HTMLElement>(INLINE_MATH)) {
      const scrolls = el.scrollWidth > el.clientWidth + 1;
      if (scrolls && el.tabIndex < 0) el.tabIndex = 0;
      else if (!scrolls && el.hasAttribute('tabindex')) el.removeAttribute('tabindex');
    }
  };
  mark();
  void document.fonts?.ready.then(mark);
  let frame = 0;
  addEventListener('resize', () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(mark);
  });
}
