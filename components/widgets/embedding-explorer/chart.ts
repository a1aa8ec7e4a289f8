/** d3 scatter plot of a 2-D PCA map: one labelled point per character, the chosen one and its neighbours marked. */
import { scaleLinear } from 'd3';
import { resetSvg } from '../shared/chart';
import { placeLabels } from './labels';

const SIZE = 360;
const PAD = 22;

export interface MapPoint {
  label: string;
  x: number;
  y: number;
}

/** Draw the map; `onPick(i)` is called when a point is clicked. */
export function drawMap(
  svgNode: SVGSVGElement,
  points: MapPoint[],
  chosen: number,
  neighbors: number[],
  ariaLabel: string,
  onPick: (i: number) => void,
): void {
  const svg = resetSvg(svgNode, SIZE, SIZE, ariaLabel);
  // One scale for both axes, so distances on screen are true to the projection; centred on the points.
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const half = Math.max(1e-9, x1 - x0, y1 - y0) / 2;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const sx = scaleLinear()
    .domain([cx - half, cx + half])
    .range([PAD, SIZE - PAD - 16]);
  const sy = scaleLinear()
    .domain([cy - half, cy + half])
    .range([SIZE - PAD, PAD]);
  const extent = half;
  svg
    .append('line')
    .attr('class', 'zero')
    .attr('x1', sx(cx - extent))
    .attr('x2', sx(cx + extent))
    .attr('y1', sy(0))
    .attr('y2', sy(0));
  svg
    .append('line')
    .attr('class', 'zero')
    .attr('x1', sx(0))
    .attr('x2', sx(0))
    .attr('y1', sy(cy - extent))
    .attr('y2', sy(cy + extent));
  svg
    .append('text')
    .attr('class', 'axis-label')
    .attr('x', SIZE - 4)
    .attr('y', sy(0) - 5)
    .attr('text-anchor', 'end')
    .text('PC 1');
  svg
    .append('text')
    .attr('class', 'axis-label')
    .attr('x', sx(0) + 5)
    .attr('y', 12)
    .text('PC 2');
  const near = new Set(neighbors);
  svg
    .append('g')
    .selectAll('line')
    .data(neighbors)
    .join('line')
    .attr('class', 'link')
    .attr('x1', sx(points[chosen].x))
    .attr('y1', sy(points[chosen].y))
    .attr('x2', (i) => sx(points[i].x))
    .attr('y2', (i) => sy(points[i].y));
  const g = svg
    .append('g')
    .selectAll('g')
    .data(points)
    .join('g')
    .attr('class', (_, i) => (i === chosen ? 'pt chosen' : near.has(i) ? 'pt near' : 'pt'))
    .attr('transform', (p) => `translate(${sx(p.x)},${sy(p.y)})`)
    .on('click', (_, p) => onPick(points.indexOf(p)));
  g.append('circle').attr('r', (_, i) => (i === chosen ? 7 : 5));
  // Labels where they overlap nothing (chosen and neighbours first); the rest show on hover.
  const screen = points.map((p) => ({ label: p.label, x: sx(p.x), y: sy(p.y) }));
  const order = [
    chosen,
    ...neighbors,
    ...points.map((_, i) => i).filter((i) => i !== chosen && !near.has(i)),
  ];
  const spots = placeLabels(screen, order, { x: 0, y: 0, w: SIZE, h: SIZE }, 8, 14); // 13 px monospace
  g.append('title').text((p) => p.label);
  g.append('text')
    .attr('class', (_, i) => (spots[i] ? 'label' : 'label label-off'))
    .attr('x', (_, i) => spots[i]?.dx ?? 8)
    .attr('y', (_, i) => spots[i]?.dy ?? 4)
    .attr('text-anchor', (_, i) => spots[i]?.anchor ?? 'start')
    .text((p) => p.label);
  // Draw the chosen point last, above the others.
  svg.selectAll<SVGGElement, MapPoint>('g.pt.chosen').raise();
}
