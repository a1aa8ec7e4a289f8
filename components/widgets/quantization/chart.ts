/** d3 bars for the int8 view: the rounding error of every weight, with half a step (scale / 2) marked per row. */
import { axisLeft, format, scaleBand, scaleLinear } from 'd3';
import { resetSvg } from '../shared/chart';

const HEIGHT = 180;
const MARGIN = { top: 10, right: 8, bottom: 22, left: 58 };

/** Draw |error| bars for rows of errors (rows, cols) and each row's half step, `width` units wide (its on-screen width). */
export function drawErrors(
  svgNode: SVGSVGElement,
  error: number[][],
  halfSteps: number[],
  ariaLabel: string,
  width: number,
): void {
  const WIDTH = width;
  const svg = resetSvg(svgNode, WIDTH, HEIGHT, ariaLabel);
  const cols = error[0].length;
  const flat = error.flatMap((row, r) => row.map((e, j) => ({ r, j, e })));
  const x = scaleBand<number>()
    .domain(flat.map((_, k) => k))
    .range([MARGIN.left, WIDTH - MARGIN.right])
    .paddingInner(0.15);
  const max = Math.max(1e-12, ...halfSteps, ...flat.map((d) => d.e));
  const y = scaleLinear()
    .domain([0, max * 1.1])
    .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  svg
    .append('g')
    .attr('class', 'axis')
    .attr('transform', `translate(${MARGIN.left},0)`)
    .call(
      axisLeft(y)
        .ticks(4)
        .tickFormat((d) => (Number(d) === 0 ? '0' : format('.1~e')(d))),
    );
  svg
    .append('g')
    .selectAll('rect')
    .data(flat)
    .join('rect')
    .attr('class', (d) => `row-${d.r % 2}`)
    .attr('x', (_, k) => x(k) ?? 0)
    .attr('width', x.bandwidth())
    .attr('y', (d) => y(d.e))
    .attr('height', (d) => y(0) - y(d.e));
  // Half a quantization step: no rounding error can exceed it (per row in per-channel mode).
  svg
    .append('g')
    .selectAll('line')
    .data(error.map((_, r) => r))
    .join('line')
    .attr('class', 'half-step')
    .attr('x1', (r) => x(r * cols) ?? 0)
    .attr('x2', (r) => (x(r * cols + cols - 1) ?? 0) + x.bandwidth())
    .attr('y1', (r) => y(halfSteps[r]))
    .attr('y2', (r) => y(halfSteps[r]));
  svg
    .append('g')
    .selectAll('text')
    .data(error.map((_, r) => r))
    .join('text')
    .attr('class', 'row-label')
    .attr('x', (r) => (x(r * cols) ?? 0) + 2)
    .attr('y', HEIGHT - 6)
    .text((r) => `row ${r + 1}`);
}
