/** The loss-per-step chart of the training-loop stepper, drawn with d3. */
import { axisBottom, axisLeft, line, max, scaleLinear, select } from 'd3';
import { axisLabel, drawAxes } from '../shared/chart';

const W = 480;
const H = 170;
const M = { top: 10, right: 14, bottom: 28, left: 56 };

/** Draw the loss of each completed step (a point per step, joined by a line). */
export function drawLossChart(svgEl: SVGSVGElement, history: readonly number[]): void {
  const svg = select(svgEl).attr('viewBox', `0 0 ${W} ${H}`);
  svg.selectAll('*').remove();
  if (history.length === 0) {
    svg
      .append('text')
      .attr('x', W / 2)
      .attr('y', H / 2)
      .attr('text-anchor', 'middle')
      .attr('class', 'empty')
      .text('The loss of each completed step appears here.');
    return;
  }
  const finite = history.filter(Number.isFinite);
  const top = Math.max(1e-9, max(finite) ?? 1);
  const x = scaleLinear()
    .domain([1, Math.max(2, history.length)])
    .range([M.left, W - M.right]);
  const y = scaleLinear()
    .domain([0, top])
    .nice()
    .range([H - M.bottom, M.top]);
  drawAxes(
    svg,
    { left: M.left, bottom: H - M.bottom },
    axisBottom(x)
      .ticks(Math.min(8, history.length))
      .tickFormat((d) => (Number.isInteger(d) ? String(d) : '')),
    axisLeft(y).ticks(4, '~g'),
  );
  axisLabel(svg, W - M.right, H - 2, 'step');
  const points = history.map((v, i) => [i + 1, Number.isFinite(v) ? v : top] as [number, number]);
  svg
    .append('path')
    .attr('class', 'loss-path')
    .attr(
      'd',
      line<[number, number]>()
        .x((p) => x(p[0]))
        .y((p) => y(p[1]))(points),
    );
  svg
    .append('g')
    .selectAll('circle')
    .data(points)
    .join('circle')
    .attr('class', 'loss-dot')
    .attr('cx', (p) => x(p[0]))
    .attr('cy', (p) => y(p[1]))
    .attr('r', history.length > 40 ? 1.5 : 3);
}
