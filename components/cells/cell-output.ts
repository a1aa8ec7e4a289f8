/**
 * Draw a cell's output: every string goes in with textContent (HTML from the code shows as text);
 * tables are built element by element; plots are drawn by cell-plot.ts (d3, loaded on first plot).
 */
import type { OutputItem } from '../../src/cells/format';

/** Longest text one output item may show. */
const MAX_TEXT = 20_000;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  cls?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function clip(value: unknown): string {
  const s = String(value ?? '');
  return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}… (${s.length - MAX_TEXT} more characters cut)` : s;
}

function table(item: Extract<OutputItem, { kind: 'table' }>): HTMLElement {
  const wrap = el('div', `out-table out-${item.stream === 'result' ? 'result' : 'log'}`);
  const t = el('table');
  t.append(el('caption', undefined, clip(item.caption)));
  const head = el('tr');
  head.append(el('th', undefined, ''));
  for (const h of Array.isArray(item.header) ? item.header : [])
    head.append(Object.assign(el('th', undefined, clip(h)), { scope: 'col' }));
  t.append(el('thead'), el('tbody'));
  t.tHead!.append(head);
  (Array.isArray(item.rows) ? item.rows : []).forEach((row, i) => {
    const tr = el('tr');
    tr.append(Object.assign(el('th', undefined, String(i)), { scope: 'row' }));
    for (const c of Array.isArray(row) ? row : []) tr.append(el('td', undefined, clip(c)));
    t.tBodies[0].append(tr);
  });
  wrap.append(t);
  return wrap;
}

/** Append one output item to `out`. */
export function renderItem(out: HTMLElement, item: OutputItem): void {
  switch (item.kind) {
    case 'text': {
      const stream = ['log', 'warn', 'error', 'result'].includes(item.stream) ? item.stream : 'log';
      const pre = el('pre', `out-line out-${stream}`, clip(item.text));
      if (stream === 'result') pre.prepend(el('span', 'out-arrow', '→ '));
      out.append(pre);
      return;
    }
    case 'table':
      out.append(table(item));
      return;
    case 'notice':
      out.append(el('p', 'out-notice', clip(item.text)));
      return;
    case 'plot': {
      const holder = el('div', 'out-plot');
      out.append(holder);
      void import('./cell-plot').then((m) => m.drawPlot(holder, item.spec));
      return;
    }
    default:
      out.append(el('p', 'out-notice', 'The sandbox sent output this page does not show.'));
  }
}

/** Show an exercise's check result. */
export function renderCheck(out: HTMLElement, check: { failures: string[]; passed: number }): void {
  const box = el('div', `out-check ${check.failures.length ? 'fail' : 'ok'}`);
  box.setAttribute('role', 'status');
  if (check.failures.length === 0) {
    box.append(el('p', undefined, `✓ Solved: all ${check.passed} checks pass.`));
  } else {
    box.append(
      el(
        'p',
        undefined,
        `✗ Not yet: ${check.failures.length} check${check.failures.length > 1 ? 's' : ''} failed, ${check.passed} passed.`,
      ),
    );
    const ul = el('ul');
    for (const f of check.failures.slice(0, 8)) ul.append(el('li', undefined, clip(f)));
    box.append(ul);
  }
  out.append(box);
}
