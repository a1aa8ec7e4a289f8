/**
 * The attention calculator's editable embedding grid X (T, d_model): one row per token, one text input
 * per entry. It keeps the learner's edits (shared by every occurrence of a word) and the messages of
 * cells that do not parse. Token text goes in with d3 .text(), never as HTML.
 */
import { select } from 'd3';
import { parseCell, tokenLabel } from './input';
import { embeddingMatrix, type CalcConfig, type Edits } from './model';

/** The embedding grid of one calculator. */
export class EmbeddingGrid {
  /** The learner's edits: token → (dimension → value). */
  readonly edits: Edits = new Map();
  /** Messages of cells that do not parse, by "i,j". */
  readonly errors = new Map<string, string>();
  private tokens: string[] = [];
  private key = '';

  constructor(private readonly table: HTMLTableElement) {}

  /** Forget every edit; the next sync rebuilds the grid from the seed. */
  reset(): void {
    this.edits.clear();
    this.errors.clear();
    this.key = '';
  }

  /** Read an edited cell: keep its value (for every occurrence of the word) or its message. */
  edit(input: HTMLInputElement): void {
    const i = Number(input.dataset.i);
    const j = Number(input.dataset.j);
    const token = this.tokens[i];
    const key = `${i},${j}`;
    const parsed = parseCell(input.value, input.getAttribute('aria-label') ?? `cell ${key}`);
    if (!parsed.ok) {
      this.errors.set(key, parsed.message);
      input.setAttribute('aria-invalid', 'true');
      return;
    }
    this.errors.delete(key);
    input.removeAttribute('aria-invalid');
    let row = this.edits.get(token);
    if (!row) this.edits.set(token, (row = new Map()));
    row.set(j, parsed.value);
    // The same word elsewhere in the sentence shares this embedding row.
    this.table.querySelectorAll<HTMLInputElement>(`input.cell[data-j="${j}"]`).forEach((other) => {
      const k = Number(other.dataset.i);
      if (other !== input && this.tokens[k] === token) {
        other.value = input.value;
        other.removeAttribute('aria-invalid');
        this.errors.delete(`${k},${j}`);
      }
    });
  }

  /** Build the grid when the tokens, width or seed change; keep the cells (and edits) otherwise. */
  sync(config: CalcConfig | null): void {
    const key = config ? JSON.stringify([config.tokens, config.dModel, config.seed]) : '';
    if (key === this.key) return;
    this.key = key;
    this.errors.clear();
    const tokens = config?.tokens ?? [];
    this.tokens = tokens;
    const d = config?.dModel ?? 0;
    const x = config ? embeddingMatrix(config.seed, tokens, d, this.edits) : []; // (T, d_model)
    const counts = new Map<string, number>();
    tokens.forEach((t) => counts.set(t, (counts.get(t) ?? 0) + 1));
    const table = select(this.table);
    table
      .select('thead tr')
      .selectAll('th')
      .data(d > 0 ? ['token', ...Array.from({ length: d }, (_, j) => `dim ${j + 1}`)] : [])
      .join('th')
      .attr('scope', 'col')
      .text((s) => s);
    const rows = table
      .select('tbody')
      .selectAll<HTMLTableRowElement, number[]>('tr')
      .data(x)
      .join((enter) => {
        const tr = enter.append('tr');
        tr.append('th').attr('scope', 'row').append('bdi');
        return tr;
      });
    rows.select('th bdi').text((_r, i) => tokenLabel(tokens[i]));
    rows
      .selectAll<HTMLTableCellElement, { x: number; i: number; j: number }>('td')
      .data((row, i) => row.map((v, j) => ({ x: v, i, j })))
      .join((enter) => {
        const td = enter.append('td');
        td.append('input')
          .attr('class', 'cell')
          .attr('type', 'text')
          .attr('inputmode', 'decimal')
          .attr('autocomplete', 'off')
          .attr('spellcheck', 'false');
        return td;
      })
      .select('input')
      .attr('data-i', (c) => c.i)
      .attr('data-j', (c) => c.j)
      .attr('aria-label', (c) => {
        const tok = tokenLabel(tokens[c.i]);
        const where = (counts.get(tokens[c.i]) ?? 0) > 1 ? ` (token ${c.i + 1})` : '';
        return `embedding of ${tok}${where}, dimension ${c.j + 1}`;
      })
      .attr('aria-invalid', null)
      .property('value', (c) => String(c.x));
  }
}
