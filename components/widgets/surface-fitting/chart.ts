/** d3 drawings of the surface-fitting demo: two heatmaps (target, model) and the error curve. */
import {
  axisBottom,
  axisLeft,
  interpolateRdBu,
  line,
  scaleDiverging,
  scaleLinear,
  scaleLog,
  select,
} from 'd3';
import { axisLabel, drawAxes, panelTitle } from '../shared/chart';

const CELL = 9;
const GAP = 24;
const TOP = 20;

/** A shared colour scale: blue high, red low, white 0, symmetric around 0 (clamped beyond ±limit). */
export function colorScale(limit: number) {
  const m = limit > 0 ? limit : 1;
  return scaleDiverging((t: number) => interpolateRdBu(1 - t))
    .domain([-m, 0, m])
    .clamp(true);
}

/** Draw the frame once: two grids of n × n cells, titles and a colour legend. */
export function setupHeatmaps(svgEl: SVGSVGElement, n: number, targetLabel: string): void {
  const side = n * CELL;
  const W = 2 * side + GAP;
  const H = TOP + side + 34;
  const svg = select(svgEl).attr('viewBox', `0 0 ${W} ${H}`);
  svg.selectAll('*').remove();
  ['target', 'model'].forEach((name, k) => {
    const g = svg
      .append('g')
      .attr('class', `grid ${name}`)
      .attr('transform', `translate(${k * (side + GAP)},${TOP})`);
    g.append('text')
      .attr('class', 'panel-title')
      .attr('x', 0)
      .attr('y', -6)
      .text(k === 0 ? `target: ${targetLabel}` : 'model (current weights)');
    const cells = Array.from({ length: n * n }, (_, i) => i);
    g.selectAll('rect')
      .data(cells)
      .join('rect')
      .attr('x', (i) => (i % n) * CELL)
      // row 0 is the lowest y: draw it at the bottom
      .attr('y', (i) => (n - 1 - Math.floor(i / n)) * CELL)
      .attr('width', CELL + 0.3)
      .attr('height', CELL + 0.3);
  });
  svg
    .append('text')
    .attr('class', 'legend-text')
    .attr('x', 0)
    .attr('y', H - 8)
    .text('colour = height z: red below 0, white 0, blue above 0; x →, y ↑ over [−2, 2]');
}

/** Colour one grid's cells from a surface z[iy][ix]. */
export function paintHeatmap(
  svgEl: SVGSVGElement,
  which: 'target' | 'model',
  surface: readonly number[][],
  color: (v: number) => string,
): void {
  const flat = surface.flat();
  select(svgEl)
    .select(`g.grid.${which}`)
    .selectAll<SVGRectElement, number>('rect')
    .attr('fill', (i) => (Number.isFinite(flat[i]) ? color(flat[i]) : '#000'));
}

/** The error per iteration on a log scale (iteration 0 = the initial surface). */
export function drawErrors(svgEl: SVGSVGElement, errors: readonly number[], divergedAt: number | null): void {
  const W = 320;
  const H = 220;
  const M = { top: 14, right: 12, bottom: 28, left: 52 };
  const svg = select(svgEl).attr('viewBox', `0 0 ${W} ${H}`);
  svg.selectAll('*').remove();
  const finite = errors.map((e) => (Number.isFinite(e) ? e : Number.MAX_VALUE));
  const pos = finite.filter((e) => e > 0);
  const lo = pos.length ? Math.min(...pos) : 1e-6;
  const hi = pos.length ? Math.max(...pos) : 1;
  const x = scaleLinear()
    .domain([0, Math.max(10, errors.length - 1)])
    .range([M.left, W - M.right]);
  const y = scaleLog()
    .domain([Math.max(lo / 2, 1e-300), hi === lo ? hi * 10 : hi * 2])
    .range([H - M.bottom, M.top])
    .clamp(true);
  drawAxes(
    svg,
    { left: M.left, bottom: H - M.bottom },
    axisBottom(x).ticks(5, 'd'),
    axisLeft(y).ticks(4, '~e'),
  );
  axisLabel(svg, W - M.right, H - 2, 'iteration');
  panelTitle(svg, M.left + 4, M.top + 2, 'error (MSE, log scale)');
  svg
    .append('path')
    .attr('class', 'error-path')
    .attr(
      'd',
      line<number>()
        .x((_, i) => x(i))
        .y((v) => y(Math.max(v, 1e-300)))(finite),
    );
  if (divergedAt !== null) {
    svg
      .append('line')
      .attr('class', 'diverged-line')
      .attr('x1', x(divergedAt))
      .attr('x2', x(divergedAt))
      .attr('y1', M.top)
      .attr('y2', H - M.bottom);
    svg
      .append('text')
      .attr('class', 'diverged-text')
      .attr('x', x(divergedAt) - 4)
      .attr('y', M.top + 14)
      .attr('text-anchor', 'end')
      .text('diverged');
  }
}
