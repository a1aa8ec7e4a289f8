/** d3 views of the activation explorer: the function plot with its cursor, and the softmax bars. */
import { axisBottom, axisLeft, extent, line, scaleLinear, select } from 'd3';
import { drawAxes } from '../shared/chart';
import { READOUT, fmt } from '../shared/parse';
import { X_MAX, X_MIN, sampleCurve, type Activation, type Interval } from './model';

const W = 420;
const H = 270;
const M = { top: 12, right: 14, bottom: 30, left: 44 };

export interface PlotData {
  fn: Activation;
  showDerivative: boolean;
  intervals: Interval[];
  cursor: number;
}

/** Draws into an <svg>; returns the x under a pointer event (clamped to the plotted range). */
export class ActivationPlot {
  private x = scaleLinear()
    .domain([X_MIN, X_MAX])
    .range([M.left, W - M.right]);
  private y = scaleLinear().range([H - M.bottom, M.top]);

  constructor(private svg: SVGSVGElement) {
    select(svg).attr('viewBox', `0 0 ${W} ${H}`);
  }

  /** The plotted x under a pointer, or null when the pointer is outside the plot. */
  xAt(event: PointerEvent): number | null {
    const box = this.svg.getBoundingClientRect();
    if (box.width === 0) return null;
    const vx = ((event.clientX - box.left) / box.width) * W;
    if (vx < M.left - 4 || vx > W - M.right + 4) return null;
    const x = this.x.invert(vx);
    return Math.min(X_MAX, Math.max(X_MIN, Math.round(x * 100) / 100));
  }

  draw(d: PlotData): void {
    const f = sampleCurve(d.fn.f);
    const df = d.showDerivative ? sampleCurve(d.fn.df) : [];
    const [lo = 0, hi = 1] = extent([...f, ...df].map((p) => p[1]).concat([0]));
    const pad = Math.max(0.1, (hi - lo) * 0.08);
    this.y.domain([lo - pad, hi + pad]).nice();
    const svg = select(this.svg);
    svg.selectAll('*').remove();
    const top = M.top;
    const bottom = H - M.bottom;

    svg
      .append('g')
      .attr('class', 'vanish')
      .selectAll('rect')
      .data(d.intervals)
      .join('rect')
      .attr('x', (iv) => this.x(iv.from))
      .attr('width', (iv) => Math.max(1.5, this.x(iv.to) - this.x(iv.from)))
      .attr('y', top)
      .attr('height', bottom - top);

    drawAxes(svg, { left: M.left, bottom }, axisBottom(this.x).ticks(6), axisLeft(this.y).ticks(6));
    svg
      .append('line')
      .attr('class', 'zero')
      .attr('x1', M.left)
      .attr('x2', W - M.right)
      .attr('y1', this.y(0))
      .attr('y2', this.y(0));
    svg
      .append('line')
      .attr('class', 'zero')
      .attr('x1', this.x(0))
      .attr('x2', this.x(0))
      .attr('y1', top)
      .attr('y2', bottom);

    const path = line<[number, number]>()
      .x((p) => this.x(p[0]))
      .y((p) => this.y(p[1]));
    svg.append('path').attr('class', 'curve f').attr('d', path(f));
    if (d.showDerivative) svg.append('path').attr('class', 'curve df').attr('d', path(df));

    const cx = this.x(d.cursor);
    svg
      .append('line')
      .attr('class', 'cursor')
      .attr('x1', cx)
      .attr('x2', cx)
      .attr('y1', top)
      .attr('y2', bottom);
    const fy = d.fn.f(d.cursor);
    svg.append('circle').attr('class', 'dot f').attr('cx', cx).attr('cy', this.y(fy)).attr('r', 4.5);
    if (d.showDerivative) {
      const dy = d.fn.df(d.cursor);
      svg.append('circle').attr('class', 'dot df').attr('cx', cx).attr('cy', this.y(dy)).attr('r', 4.5);
    }
    const label = `x = ${d.cursor.toFixed(2)}, f = ${fmt(fy, READOUT)}`;
    const right = cx > W / 2;
    svg
      .append('text')
      .attr('class', 'cursor-label')
      .attr('x', right ? cx - 6 : cx + 6)
      .attr('y', top + 12)
      .attr('text-anchor', right ? 'end' : 'start')
      .text(label);
  }
}

/** Horizontal softmax bars: one row per logit, bar length = probability. */
export function drawSoftmaxBars(svgEl: SVGSVGElement, logits: number[], probs: number[]): void {
  const width = 360;
  const rowH = 26;
  const height = logits.length * rowH + 6;
  const left = 96;
  const right = 58;
  const x = scaleLinear()
    .domain([0, 1])
    .range([left, width - right]);
  const svg = select(svgEl).attr('viewBox', `0 0 ${width} ${height}`);
  svg.selectAll('*').remove();
  const rows = svg
    .selectAll('g')
    .data(logits.map((z, i) => ({ z, p: probs[i], i })))
    .join('g')
    .attr('transform', (r) => `translate(0,${r.i * rowH + 3})`);
  rows
    .append('text')
    .attr('class', 'bar-label')
    .attr('x', left - 8)
    .attr('y', rowH / 2 + 4)
    .attr('text-anchor', 'end')
    .text((r) => `z${r.i + 1} = ${r.z}`);
  rows
    .append('rect')
    .attr('class', 'track')
    .attr('x', left)
    .attr('y', 4)
    .attr('width', width - right - left)
    .attr('height', rowH - 8);
  rows
    .append('rect')
    .attr('class', 'bar')
    .attr('x', left)
    .attr('y', 4)
    .attr('width', (r) => Math.max(0, x(r.p) - left))
    .attr('height', rowH - 8);
  rows
    .append('text')
    .attr('class', 'bar-value')
    .attr('x', width - right + 6)
    .attr('y', rowH / 2 + 4)
    .text((r) => r.p.toFixed(4));
}
