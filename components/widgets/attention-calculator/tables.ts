/**
 * Number tables of the attention calculator. d3 builds a table when its shape or labels change; after that
 * an update only rewrites the cells whose number changed, so one edited embedding touches one row of Q, K, V.
 * Cells use a roving tabindex: one cell per table is in the tab order, arrow keys move between cells.
 */
import { select } from 'd3';
import { num } from './formula-text';
import { cellLabel, type Focus, type MatrixSpec } from './matrices';

interface TableState {
  /** Shape and labels the table was built for. */
  key: string;
  cells: HTMLTableCellElement[][];
  sums: HTMLTableCellElement[];
  /** Last number and hidden flag written to each cell. */
  shown: (number | undefined)[][];
  hidden: boolean[][];
  sumShown: (number | undefined)[];
  /** The cell that holds tabindex 0. */
  tabStop: HTMLTableCellElement | null;
}

const states = new WeakMap<HTMLElement, TableState>();

/** Build the head and body of a table for a spec (only when its shape or labels change). */
function build(fig: HTMLElement, spec: MatrixSpec, key: string): TableState {
  const table = select(fig).select('table');
  const heads = ['', ...spec.cols, ...(spec.rowSums ? ['row sum'] : [])];
  const headRow = table.select('thead tr');
  headRow.selectAll('th').remove();
  heads.forEach((label, k) => {
    const th = headRow.append('th').attr('scope', 'col');
    if (k === 0) {
      th.append('span')
        .attr('class', 'visually-hidden')
        .text(spec.colsAreKeys ? 'query \\ key' : 'token');
    } else {
      th.attr('class', k > spec.cols.length ? 'sum-head' : null)
        .append('bdi')
        .text(label);
    }
  });
  const body = table.select('tbody');
  body.selectAll('tr').remove();
  const cells: HTMLTableCellElement[][] = [];
  const sums: HTMLTableCellElement[] = [];
  spec.values.forEach((row, i) => {
    const tr = body.append('tr');
    tr.append('th').attr('scope', 'row').append('bdi').text(spec.rows[i]);
    cells.push(
      row.map((_x, j) =>
        tr.append('td').attr('class', 'v').attr('data-i', i).attr('data-j', j).attr('tabindex', -1).node()!,
      ),
    );
    if (spec.rowSums) sums.push(tr.append('td').attr('class', 'sum').node()!);
  });
  return {
    key,
    cells,
    sums,
    shown: spec.values.map((row) => row.map(() => undefined)),
    hidden: spec.values.map((row) => row.map(() => false)),
    sumShown: sums.map(() => undefined),
    tabStop: null,
  };
}

/** Draw (or update in place) one captioned table per spec; `focus` picks the cell that is tabbable. */
export function renderTables(container: HTMLElement, specs: MatrixSpec[], focus: Focus): void {
  const figures = select(container)
    .selectAll<HTMLElement, MatrixSpec>('figure.matrix')
    .data(specs, (d) => d.name)
    .join((enter) => {
      const fig = enter.append('figure').attr('class', 'matrix');
      const table = fig.append('div').attr('class', 'scroll').append('table');
      table.append('caption');
      table.append('thead').append('tr');
      table.append('tbody');
      return fig;
    })
    .attr('data-matrix', (d) => d.name);
  figures.order();
  figures.each(function (spec) {
    const caption = this.querySelector('caption')!;
    if (caption.textContent !== spec.caption) caption.textContent = spec.caption;
    const key = JSON.stringify([spec.symbol, spec.rows, spec.cols, spec.colsAreKeys, !!spec.rowSums]);
    let state = states.get(this);
    if (!state || state.key !== key) {
      state = build(this, spec, key);
      states.set(this, state);
    }
    const digits = spec.rowSums ? 4 : 3;
    spec.values.forEach((row, i) => {
      row.forEach((x, j) => {
        const hidden = x === -Infinity || (spec.hidden?.[i][j] ?? false);
        if (Object.is(state.shown[i][j], x) && state.hidden[i][j] === hidden) return;
        const td = state.cells[i][j];
        td.textContent = num(x, digits);
        td.dataset.value = String(x);
        td.setAttribute('aria-label', cellLabel(spec, i, j));
        if (state.hidden[i][j] !== hidden) td.classList.toggle('masked', hidden);
        state.shown[i][j] = x;
        state.hidden[i][j] = hidden;
      });
      if (spec.rowSums) {
        const sum = row.reduce((a, b) => a + b, 0);
        if (!Object.is(state.sumShown[i], sum)) {
          state.sums[i].textContent = sum.toFixed(6);
          state.sums[i].dataset.value = String(sum);
          state.sumShown[i] = sum;
        }
      }
    });
    const inMatrix = focus.matrix === spec.name;
    const fi = inMatrix ? Math.min(focus.i, spec.values.length - 1) : 0;
    const fj = inMatrix ? Math.min(focus.j, spec.values[0].length - 1) : 0;
    setTabStop(state, state.cells[fi][fj], inMatrix);
  });
}

function setTabStop(state: TableState, td: HTMLTableCellElement, highlighted: boolean): void {
  if (state.tabStop !== td) {
    if (state.tabStop) {
      state.tabStop.tabIndex = -1;
      state.tabStop.classList.remove('focused');
    }
    td.tabIndex = 0;
    state.tabStop = td;
  }
  td.classList.toggle('focused', highlighted);
}

/** Mark the focused cell of one table (tabindex 0 and a highlight); other tables keep their tab stop. */
export function markFocus(container: HTMLElement, focus: Focus): void {
  container.querySelectorAll<HTMLElement>('figure.matrix').forEach((fig) => {
    const state = states.get(fig);
    if (!state) return;
    if (fig.dataset.matrix === focus.matrix) {
      const td = state.cells[focus.i]?.[focus.j];
      if (td) setTabStop(state, td, true);
    } else {
      state.tabStop?.classList.remove('focused');
    }
  });
}
