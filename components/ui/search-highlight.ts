/**
 * Land on a search hit: mark the words of `?highlight=` (set by the search page) in the chapter's
 * prose and scroll the first one at or after the URL's #section into view. Loaded only when the
 * parameter is present. Skips what the search index skips (code, widgets, math), so a mark is always
 * where the result's excerpt came from.
 */
import { findTermRanges } from '../../src/site/search-match';

const SKIP =
  'pre, code, script, style, svg, .katex, .source-code, .widget, training-cell, [data-pagefind-ignore]';

/** Wrap every match of `terms` in the text under `root` in <mark class="search-hit">; returns the marks. */
export function markTerms(root: Element, terms: readonly string[]): HTMLElement[] {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.parentElement?.closest(SKIP) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  const nodes: Text[] = [];
  while (walker.nextNode()) nodes.push(walker.currentNode as Text);
  const marks: HTMLElement[] = [];
  for (const node of nodes) {
    const ranges = findTermRanges(node.data, terms);
    for (const [start, end] of ranges.reverse()) {
      const hit = node.splitText(start);
      hit.splitText(end - start);
      const mark = document.createElement('mark');
      mark.className = 'search-hit';
      hit.replaceWith(mark);
      mark.append(hit);
      marks.unshift(mark);
    }
  }
  return marks.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
}

/** Highlight the search terms of the page URL and scroll to the first hit in the linked section. */
export function highlightFromUrl(root: Element): HTMLElement | null {
  const terms = new URLSearchParams(location.search).getAll('highlight');
  const marks = markTerms(root, terms);
  if (!marks.length) return null;
  const anchor = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  const first =
    (anchor && marks.find((m) => anchor.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING)) ||
    marks[0];
  const details = first.closest('details');
  if (details) details.open = true;
  first.classList.add('search-hit-first');
  first.scrollIntoView({ block: 'center' });
  return first;
}
