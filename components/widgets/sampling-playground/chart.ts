/** d3 drawing of the sampling playground: probabilities before and after filtering, and the draws' shares. */
import { axisBottom, axisLeft, format, scaleBand, scaleLinear } from 'd3';
import { resetSvg } from '../shared/chart';

/** One token's bars. */
export interface BarDatum {
  label: string;
  before: number;
  after: number;
  /** Share of the draws that gave this token. */
  drawn: number;
}

const HEIGHT = 240;
const MARGIN = { top: 10, right: 8, bottom: 34, left: 40 };

/** Draw grouped bars into `svg`, `width` user units wide (the caller passes its on-screen width, so text stays legible). */
export function drawBars(svgNode: SVGSVGElement, data: BarDatum[], ariaLabel: string, width: number): void {
  const WIDTH = width;
  const svg = resetSvg(svgNode, WIDTH, HEIGHT, ariaLabel);
  const max = Math.max(0.05, ...data.map((d) => Math.max(d.before, d.after, d.drawn)));
  const x = scaleBand<number>()
    .domain(data.map((_, i) => i))
    .range([MARGIN.left, WIDTH - MARGIN.right])
    .padding(0.2);
  const y = scaleLinear()
    .domain([0, max])
    .nice()
    .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  const half = x.bandwidth() / 2;

  svg
    .append('g')
    .attr('class', 'axis')
    .attr('transform', `translate(${MARGIN.left},0)`)
    .call(axisLeft(y).ticks(5).tickFormat(format('.0%')));
  svg
    .append('g')
    .attr('class', 'axis x')
    .attr('transform', `translate(0,${HEIGHT - MARGIN.bottom})`)
    .call(
      axisBottom(x)
        .tickFormat((i) => data[i].label)
        .tickSizeOuter(0),
    );

  const groups = svg
    .append('g')
    .selectAll('g')
    .data(data)
    .join('g')
    .attr('transform', (_, i) => `translate(${x(i)},0)`);
  groups
    .append('rect')
    .attr('class', 'before')
    .attr('x', 0)
    .attr('width', half)
    .attr('y', (d) => y(d.before))
    .attr('height', (d) => y(0) - y(d.before));
  groups
    .append('rect')
    .attr('class', 'after')
    .attr('x', half)
    .attr('width', half)
    .attr('y', (d) => y(d.after))
    .attr('height', (d) => y(0) - y(d.after));
  groups
    .filter((d) => d.drawn > 0)
    .append('line')
    .attr('class', 'drawn')
    .attr('x1', -1)
    .attr('x2', x.bandwidth() + 1)
    .attr('y1', (d) => y(d.drawn))
    .attr('y2', (d) => y(d.drawn));
}
