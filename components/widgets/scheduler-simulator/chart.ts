/** The scheduler simulator's chart: the metric on top, the learning rate (log scale) below, same epochs. */
import { axisBottom, axisLeft, extent, line, scaleLinear, scaleLog, select } from 'd3';
import type { PlateauEpoch } from './model';
import { axisLabel, drawAxes, panelTitle } from '../shared/chart';

const W = 520;
const M = { top: 14, right: 14, bottom: 26, left: 56 };
const TOP_H = 190;
const BOT_H = 170;

/** A comparison series: a name, a CSS class, and per-epoch values (epoch 1 … n). */
export interface Series {
  name: string;
  cls: string;
  values: readonly number[];
}

/**
 * The metric axis: the main (ReduceLROnPlateau) curve sets it, with 5 % margins, so an overlay's
 * early spike (cosine's warm-up loss) cannot flatten it; overlays count only when there is no main curve.
 */
export function metricDomain(
  main: readonly number[],
  overlays: readonly (readonly number[])[],
): [number, number] {
  const own = main.filter(Number.isFinite);
  const values = own.length ? own : overlays.flat().filter(Number.isFinite);
  if (!values.length) return [0, 1];
  const [lo, hi] = extent(values) as [number, number];
  const span = hi - lo || Math.abs(hi) || 1;
  return [lo - span * 0.05, hi + span * 0.05];
}

/** Draw the metric panel and the learning-rate panel (empty input: a note instead of a chart). */
export function drawScheduler(
  svgEl: SVGSVGElement,
  plateau: readonly PlateauEpoch[],
  metricLabel: string,
  extraMetrics: readonly Series[],
  extraLrs: readonly Series[],
): void {
  const H = TOP_H + BOT_H;
  const svg = select(svgEl).attr('viewBox', `0 0 ${W} ${H}`);
  svg.selectAll('*').remove();
  const n = Math.max(
    plateau.length,
    ...extraMetrics.map((s) => s.values.length),
    ...extraLrs.map((s) => s.values.length),
  );
  if (n === 0) {
    svg
      .append('text')
      .attr('class', 'panel-title')
      .attr('x', W / 2)
      .attr('y', H / 2)
      .attr('text-anchor', 'middle')
      .text('No run to draw: fix the highlighted field.');
    return;
  }
  const x = scaleLinear()
    .domain([1, Math.max(2, n)])
    .range([M.left, W - M.right]);
  const y = scaleLinear()
    .domain(
      metricDomain(
        plateau.map((e) => e.metric),
        extraMetrics.map((s) => s.values),
      ),
    )
    .range([TOP_H - M.bottom, M.top])
    .clamp(true); // an overlay outside the main curve's range runs along the edge
  const lrs = [...plateau.flatMap((e) => [e.lrBefore, e.lrAfter]), ...extraLrs.flatMap((s) => s.values)];
  const positive = lrs.filter((v) => v > 0 && Number.isFinite(v));
  const lrLo = Math.min(...positive);
  const lrHi = Math.max(...positive);
  const floor = lrLo / 2;
  const yl = scaleLog()
    .domain([floor, lrHi === floor ? lrHi * 10 : lrHi * 1.5])
    .range([H - M.bottom, TOP_H + M.top])
    .clamp(true);

  // reductions: vertical lines through both panels
  const reductions = plateau.filter((e) => e.reduced);
  svg
    .append('g')
    .selectAll('line')
    .data(reductions)
    .join('line')
    .attr('class', 'reduction-line')
    .attr('x1', (e) => x(e.epoch))
    .attr('x2', (e) => x(e.epoch))
    .attr('y1', M.top)
    .attr('y2', H - M.bottom);

  // top panel
  drawAxes(
    svg,
    { left: M.left, bottom: TOP_H - M.bottom },
    axisBottom(x).ticks(Math.min(10, n), 'd'),
    axisLeft(y).ticks(4),
  );
  panelTitle(svg, M.left + 4, M.top + 2, metricLabel);
  const metricLine = line<number>()
    .defined((v) => Number.isFinite(v))
    .x((_, i) => x(i + 1))
    .y((v) => y(v));
  for (const s of extraMetrics)
    svg
      .append('path')
      .attr('class', `metric ${s.cls}`)
      .attr('d', metricLine(s.values as number[]));
  svg
    .append('path')
    .attr('class', 'metric plateau')
    .attr('d', metricLine(plateau.map((e) => e.metric)));
  svg
    .append('g')
    .selectAll('circle')
    .data(plateau)
    .join('circle')
    .attr('class', (e) => (e.improved ? 'pt improved' : e.inCooldown ? 'pt cooldown' : 'pt bad'))
    .attr('cx', (e) => x(e.epoch))
    .attr('cy', (e) => y(e.metric))
    .attr('r', n > 80 ? 2 : 3.5);

  // bottom panel: lr used in each epoch, as steps
  drawAxes(
    svg,
    { left: M.left, bottom: H - M.bottom },
    axisBottom(x).ticks(Math.min(10, n), 'd'),
    axisLeft(yl).ticks(4, '~e'),
  );
  panelTitle(svg, M.left + 4, TOP_H + M.top + 2, 'learning rate used in each epoch (log scale)');
  axisLabel(svg, W - M.right, H - 2, 'epoch');
  const stepPath = (vals: readonly number[]) =>
    vals
      .map((v, i) => {
        const yy = yl(v > 0 ? v : floor);
        return `${i === 0 ? 'M' : 'L'}${x(i + 1)},${yy}${i + 1 < vals.length ? `H${x(i + 2)}` : ''}`;
      })
      .join('');
  for (const s of extraLrs) svg.append('path').attr('class', `lr ${s.cls}`).attr('d', stepPath(s.values));
  svg
    .append('path')
    .attr('class', 'lr plateau')
    .attr('d', stepPath(plateau.map((e) => e.lrBefore)));
  svg
    .append('g')
    .selectAll('path')
    .data(reductions)
    .join('path')
    .attr('class', 'reduction-mark')
    .attr('transform', (e) => `translate(${x(e.epoch + 1 > n ? n : e.epoch + 1)},${yl(e.lrAfter)})`)
    .attr('d', 'M-5,-8L5,-8L0,0Z');
}
