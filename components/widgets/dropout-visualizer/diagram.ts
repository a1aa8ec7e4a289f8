/** The dropout diagram drawn with d3: inputs x → hidden units h = W·x → dropout output. */
import { select, type Selection } from 'd3';

export interface DiagramData {
  x: number[];
  /** (units, inputs). */
  weights: number[][];
  /** (units). */
  h: number[];
  /** true = kept, (units); all true in eval mode. */
  mask: boolean[];
  /** (units). */
  output: number[];
  /** Factor applied to survivors: 1/(1 − p) in training, 1 in eval. */
  scale: number;
  training: boolean;
}

const WIDTH = 360;
const ROW = 46;
const TOP = 46;
const R = 19;
const COL = { input: 48, hidden: 182, output: 302 };

/** Two decimals, no −0 (inside the small circles). */
function short(x: number): string {
  const s = x.toFixed(2);
  return /^-0\.0+$/.test(s) ? s.slice(1) : s;
}

/** Redraw the whole diagram into svg (cheap: at most 6 inputs and 8 units). */
export function drawDiagram(svgEl: SVGSVGElement, d: DiagramData): void {
  const n = d.x.length;
  const m = d.h.length;
  const rows = Math.max(n, m);
  const height = TOP + rows * ROW + 8;
  const yAt = (count: number, i: number) => TOP + ((rows - count) / 2) * ROW + i * ROW + ROW / 2;
  const svg = select(svgEl).attr('viewBox', `0 0 ${WIDTH} ${height}`);
  svg.selectAll('*').remove();

  const titles: [number, string][] = [
    [COL.input, 'inputs x'],
    [COL.hidden, 'h = W·x'],
    [COL.output, d.training ? 'after dropout' : 'eval: unchanged'],
  ];
  svg
    .append('g')
    .attr('class', 'titles')
    .selectAll('text')
    .data(titles)
    .join('text')
    .attr('x', (t) => t[0])
    .attr('y', 16)
    .attr('text-anchor', 'middle')
    .text((t) => t[1])
    // keep each title inside the picture ("eval: unchanged" over the last column was clipped)
    .attr('x', function (t) {
      const half = ((this as SVGTextElement | null)?.getComputedTextLength?.() ?? 0) / 2;
      return Math.min(Math.max(t[0], half + 2), WIDTH - half - 2);
    });

  // Every hidden unit sees every input: one edge per weight, width by |w|, colour and dash by sign.
  const maxW = Math.max(1e-9, ...d.weights.flat().map(Math.abs));
  const edges = d.weights.flatMap((row, j) => row.map((w, i) => ({ w, i, j })));
  svg
    .append('g')
    .attr('class', 'weights')
    .selectAll('line')
    .data(edges)
    .join('line')
    .attr('x1', COL.input + R)
    .attr('y1', (e) => yAt(n, e.i))
    .attr('x2', COL.hidden - R)
    .attr('y2', (e) => yAt(m, e.j))
    .attr('class', (e) => (e.w >= 0 ? 'edge pos' : 'edge neg'))
    .attr('stroke-width', (e) => 0.6 + (2.4 * Math.abs(e.w)) / maxW);

  // Hidden → output: survivors carry ×scale, dropped units carry nothing.
  const units = d.h.map((h, j) => ({ h, j, kept: d.mask[j], out: d.output[j] }));
  const links = svg.append('g').attr('class', 'links').selectAll('g').data(units).join('g');
  links
    .append('line')
    .attr('x1', COL.hidden + R)
    .attr('x2', COL.output - R)
    .attr('y1', (u) => yAt(m, u.j))
    .attr('y2', (u) => yAt(m, u.j))
    .attr('class', (u) => (u.kept ? 'link kept' : 'link dropped'));
  links
    .append('text')
    .attr('x', (COL.hidden + COL.output) / 2)
    .attr('y', (u) => yAt(m, u.j) - 6)
    .attr('text-anchor', 'middle')
    .attr('class', (u) => (u.kept ? 'factor' : 'factor muted'))
    .text((u) => (u.kept ? `×${d.scale.toFixed(2)}` : '×0'));

  const node = (
    g: Selection<SVGGElement, unknown, null, undefined>,
    cx: number,
    items: { y: number; value: number; label: string; dropped?: boolean }[],
    labelSide: 'left' | 'below-right' | 'right',
  ) => {
    const nodes = g.selectAll('g').data(items).join('g');
    nodes.attr('class', (it) => (it.dropped ? 'node dropped' : 'node'));
    nodes
      .append('circle')
      .attr('cx', cx)
      .attr('cy', (it) => it.y)
      .attr('r', R);
    nodes
      .append('text')
      .attr('x', cx)
      .attr('y', (it) => it.y + 4)
      .attr('text-anchor', 'middle')
      .attr('class', 'value')
      .text((it) => short(it.value));
    // Hidden units carry their name below the outgoing link, clear of the incoming weights.
    const lx = labelSide === 'left' ? cx - R - 5 : cx + R + 5;
    nodes
      .append('text')
      .attr('x', lx)
      .attr('y', (it) => (labelSide === 'below-right' ? it.y + R - 2 : it.y + 4))
      .attr('text-anchor', labelSide === 'left' ? 'end' : 'start')
      .attr('class', 'label')
      .text((it) => it.label);
  };
  node(
    svg.append('g').attr('class', 'inputs'),
    COL.input,
    d.x.map((v, i) => ({ y: yAt(n, i), value: v, label: `x${i + 1}` })),
    'left',
  );
  node(
    svg.append('g').attr('class', 'hidden'),
    COL.hidden,
    d.h.map((v, j) => ({ y: yAt(m, j), value: v, label: `h${j + 1}` })),
    'below-right',
  );
  node(
    svg.append('g').attr('class', 'outputs'),
    COL.output,
    units.map((u) => ({ y: yAt(m, u.j), value: u.out, label: `y${u.j + 1}`, dropped: !u.kept })),
    'right',
  );
}
