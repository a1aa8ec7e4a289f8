/** Small DOM builders the widgets share; every piece of text goes in as textContent, never parsed as HTML. */

/** A new `tag` element holding `text` (as text), with `className` when it is non-empty. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** One table cell's text, or its text and class. */
export type CellText = string | { text: string; className: string };

/** A table cell: a header cell gets `scope` (row or col); `cell.className` only when given. */
export function tableCell(tag: 'td' | 'th', cell: CellText, scope?: 'row' | 'col'): HTMLTableCellElement {
  const node = document.createElement(tag);
  node.textContent = typeof cell === 'string' ? cell : cell.text;
  if (scope) node.setAttribute('scope', scope);
  if (typeof cell !== 'string' && cell.className) node.className = cell.className;
  return node;
}

/** How a row made by textRow looks. */
export interface RowOptions {
  /** Class of the <tr> (none when empty or absent). */
  className?: string;
  /** Make the first cell a row header (<th scope="row">) instead of a data cell (default false). */
  rowHeader?: boolean;
}

/** A table row of text cells (user text never becomes markup). */
export function textRow(cells: readonly CellText[], options: RowOptions = {}): HTMLTableRowElement {
  const tr = el('tr', undefined, options.className);
  tr.append(
    ...cells.map((c, i) => (options.rowHeader && i === 0 ? tableCell('th', c, 'row') : tableCell('td', c))),
  );
  return tr;
}

/** A header row of <th scope="col"> cells. */
export function headRow(labels: readonly string[]): HTMLTableRowElement {
  const tr = el('tr');
  tr.append(...labels.map((label) => tableCell('th', label, 'col')));
  return tr;
}
