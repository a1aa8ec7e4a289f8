/** Pieces the widgets' d3 charts share: the pair of axes round a plot and the text labels beside it. */
import { select, type Axis, type AxisDomain, type Selection } from 'd3';

/** An SVG element or group to draw into (a d3 selection). */
type Target<G extends SVGSVGElement | SVGGElement> = Selection<G, unknown, null, undefined>;

/** A bottom axis along y = `bottom` and a left axis along x = `left`, each drawn as a <g class="axis">. */
export function drawAxes<G extends SVGSVGElement | SVGGElement, X extends AxisDomain, Y extends AxisDomain>(
  target: Target<G>,
  edges: { left: number; bottom: number },
  xAxis: Axis<X>,
  yAxis: Axis<Y>,
): void {
  target.append('g').attr('class', 'axis').attr('transform', `translate(0,${edges.bottom})`).call(xAxis);
  target.append('g').attr('class', 'axis').attr('transform', `translate(${edges.left},0)`).call(yAxis);
}

/** A <text class="axis-label"> at (x, y), right-aligned unless `anchor` is null (then it starts there). */
export function axisLabel<G extends SVGSVGElement | SVGGElement>(
  target: Target<G>,
  x: number,
  y: number,
  text: string,
  anchor: 'end' | null = 'end',
): void {
  const label = target.append('text').attr('class', 'axis-label').attr('x', x).attr('y', y);
  if (anchor) label.attr('text-anchor', anchor);
  label.text(text);
}

/** A <text class="panel-title"> starting at (x, y). */
export function panelTitle<G extends SVGSVGElement | SVGGElement>(
  target: Target<G>,
  x: number,
  y: number,
  text: string,
): void {
  target.append('text').attr('class', 'panel-title').attr('x', x).attr('y', y).text(text);
}

/** Start a redraw: size the SVG's viewBox (width × height user units), name it (role img), empty it. */
export function resetSvg(
  svgNode: SVGSVGElement,
  width: number,
  height: number,
  ariaLabel: string,
): Selection<SVGSVGElement, unknown, null, undefined> {
  const svg = select(svgNode)
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('role', 'img')
    .attr('aria-label', ariaLabel);
  svg.selectAll('*').remove();
  return svg;
}
