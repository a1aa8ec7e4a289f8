/** The loss-per-step chart of the training-loop stepper, drawn with d3. */
import { axisBottom, axisLeft, line, max, min, scaleLinear, scaleLog, select } from 'd3';
import { axisLabel, drawAxes } from '../shared/chart';

const W = 480;
const H = 170;
const M = { top: 10, right: 14, bottom: 28, left: 56 };

/**
 * Log axis when the finite losses are positive and span more than 100× (a diverging run: on a linear
 * axis steps 1–5 lie flat on the floor under step 9's 10⁶); linear otherwise.
 */
export function useLogAxis(history: readonly number[]): boolean {
  const finite = history.filter(Number.isFinite);
  if (finite.length < 2 || finite.some((v) => v <= 0)) return false;
  return Math.max(...finite) / Math.min(...finite) > 100;
}

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
  const log = useLogAxis(history);
  const y = log
    ? scaleLog()
        .domain([min(finite) ?? 1, top])
        .nice()
        .range([H - M.bottom, M.top])
    : scaleLinear()
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
  if (log) axisLabel(svg, M.left + 4, M.top + 8, 'loss (log scale)', null);
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
