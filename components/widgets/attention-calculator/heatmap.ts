/**
 * d3 heatmaps of (T, T) attention matrices, one figure per head; colours are CSS variables, so light and dark
 * themes need no redraw. d3 builds a map when its size or labels change; an update then only rewrites the
 * cells whose colour changed.
 */
import { select } from 'd3';
import type { Matrix } from '../../../src/lib/matrix';

/** One heatmap to draw. */
export interface HeatmapSpec {
  /** Caption under the map, e.g. "Softmax weights of head 2". */
  caption: string;
  /** Accessible description of the picture. */
  label: string;
  values: Matrix;
  rows: string[];
  cols: string[];
  /** Weights in [0, 1] (one colour) or scores (two colours by sign). */
  probabilities: boolean;
  /** Keys hidden by the mask (drawn with a slash), or null before the mask stage. */
  hidden: boolean[][] | null;
  /** Highlighted cell, or null. */
  focus: { i: number; j: number } | null;
  /** Drawn with a stronger frame (the head the tables show). */
  selected: boolean;
}

const CELL = 32;
const LEFT = 80;
const TOP = 66;
const LABEL_CHARS = 9;

const short = (s: string) => {
  const chars = [...s];
  return chars.length > LABEL_CHARS ? `${chars.slice(0, LABEL_CHARS - 1).join('')}…` : s;
};

interface MapState {
  key: string;
  rects: SVGRectElement[][];
  lines: SVGLineElement[][];
  /** Last fill, opacity and hidden flag written per cell. */
  shown: string[][];
  ring: SVGRectElement;
  svg: SVGSVGElement;
  label: string;
}

const states = new WeakMap<HTMLElement, MapState>();

/** Build one map's SVG for a size and labels; cell clicks call onPick(head, i, j). */
function build(fig: HTMLElement, spec: HeatmapSpec, key: string, head: number, onPick: Picker): MapState {
  const t = spec.rows.length;
  const s = spec.cols.length;
  const width = LEFT + s * CELL + 2;
  const height = TOP + t * CELL + 2;
  select(fig).select('svg').remove();
  const svg = select(fig)
    .insert('svg', 'figcaption')
    .attr('role', 'img')
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('width', width)
    .style('max-width', '100%')
    .style('height', 'auto');
  svg
    .append('rect')
    .attr('class', 'bg')
    .attr('x', LEFT)
    .attr('y', TOP)
    .attr('width', s * CELL)
    .attr('height', t * CELL);
  const cells = svg.append('g').attr('class', 'cells');
  const rects: SVGRectElement[][] = [];
  const lines: SVGLineElement[][] = [];
  for (let i = 0; i < t; i++) {
    rects.push([]);
    lines.push([]);
    for (let j = 0; j < s; j++) {
      const g = cells
        .append('g')
        .attr('class', 'cell')
        .attr('transform', `translate(${LEFT + j * CELL},${TOP + i * CELL})`)
        .on('click', () => onPick(head, i, j));
      rects[i].push(g.append('rect').attr('width', CELL).attr('height', CELL).node()!);
      lines[i].push(g.append('line').attr('x1', 4).attr('y1', 4).attr('x2', 4).attr('y2', 4).node()!);
    }
  }
  svg
    .append('g')
    .attr('class', 'rows')
    .selectAll('text')
    .data(spec.rows)
    .join('text')
    .attr('x', LEFT - 6)
    .attr('y', (_d, i) => TOP + i * CELL + CELL / 2)
    .attr('dominant-baseline', 'central')
    .attr('text-anchor', 'end')
    .text((d) => short(d));
  svg
    .append('g')
    .attr('class', 'cols')
    .selectAll('text')
    .data(spec.cols)
    .join('text')
    .attr('transform', (_d, j) => `translate(${LEFT + j * CELL + CELL / 2},${TOP - 6}) rotate(-45)`)
    .text((d) => short(d));
  const ring = svg
    .append('rect')
    .attr('class', 'focus-ring')
    .attr('width', CELL - 2)
    .attr('height', CELL - 2)
    .attr('visibility', 'hidden')
    .node()!;
  return {
    key,
    rects,
    lines,
    shown: rects.map((row) => row.map(() => '')),
    ring,
    svg: svg.node()!,
    label: '',
  };
}

type Picker = (head: number, i: number, j: number) => void;

function placeRing(ring: SVGRectElement, focus: { i: number; j: number } | null, t: number, s: number): void {
  if (!focus || focus.i >= t || focus.j >= s) {
    ring.setAttribute('visibility', 'hidden');
    return;
  }
  ring.setAttribute('visibility', 'visible');
  ring.setAttribute('x', String(LEFT + focus.j * CELL + 1));
  ring.setAttribute('y', String(TOP + focus.i * CELL + 1));
}

/** Draw (or update in place) one figure per spec inside `container`; clicking a cell calls onPick(head, i, j). */
export function drawHeatmaps(container: HTMLElement, specs: HeatmapSpec[], onPick: Picker): void {
  const figures = select(container)
    .selectAll<HTMLElement, HeatmapSpec>('figure.heatmap')
    .data(specs)
    .join((enter) => {
      const fig = enter.append('figure').attr('class', 'heatmap');
      fig.append('figcaption');
      return fig;
    });
  figures.each(function (spec, h) {
    this.classList.toggle('selected', spec.selected);
    const caption = this.querySelector('figcaption')!;
    if (caption.textContent !== spec.caption) caption.textContent = spec.caption;
    const key = JSON.stringify([spec.rows, spec.cols]);
    let state = states.get(this);
    if (!state || state.key !== key) {
      state = build(this, spec, key, h, onPick);
      states.set(this, state);
    }
    if (state.label !== spec.label) {
      state.svg.setAttribute('aria-label', spec.label);
      state.label = spec.label;
    }
    let maxAbs = 0;
    if (!spec.probabilities) {
      for (const row of spec.values)
        for (const x of row) if (Number.isFinite(x)) maxAbs = Math.max(maxAbs, Math.abs(x));
    }
    spec.values.forEach((row, i) =>
      row.forEach((x, j) => {
        const hidden = x === -Infinity || (spec.hidden?.[i][j] ?? false);
        const fill = spec.probabilities || x >= 0 ? 'var(--accent)' : 'var(--warn)';
        const opacity = !Number.isFinite(x)
          ? 0
          : spec.probabilities
            ? Math.max(0, Math.min(1, x))
            : maxAbs > 0
              ? Math.abs(x) / maxAbs
              : 0;
        const look = `${fill}|${opacity.toFixed(3)}|${hidden}`;
        if (state.shown[i][j] === look) return;
        state.shown[i][j] = look;
        const rect = state.rects[i][j];
        rect.setAttribute('fill', fill);
        rect.setAttribute('fill-opacity', opacity.toFixed(3));
        const line = state.lines[i][j];
        line.setAttribute('x2', String(hidden ? CELL - 4 : 4));
        line.setAttribute('y2', String(hidden ? CELL - 4 : 4));
        rect.parentElement!.classList.toggle('masked', hidden);
      }),
    );
    placeRing(state.ring, spec.focus, spec.rows.length, spec.cols.length);
  });
}

/** Move the highlighted cell without redrawing anything else. */
export function moveHeatmapFocus(
  container: HTMLElement,
  head: number,
  focus: { i: number; j: number } | null,
): void {
  container.querySelectorAll<HTMLElement>('figure.heatmap').forEach((fig, h) => {
    const state = states.get(fig);
    if (state)
      placeRing(state.ring, h === head ? focus : null, state.rects.length, state.rects[0]?.length ?? 0);
  });
}
