/** Draw a cell's `plot(...)` as our own SVG with d3: line charts and heatmaps (loaded on first plot). */
import {
  axisBottom,
  axisLeft,
  extent,
  interpolateViridis,
  line,
  scaleBand,
  scaleLinear,
  scaleSequential,
  select,
} from 'd3';
import type { PlotSpec } from '../../src/cells/format';
import { formatNumber } from '../../src/cells/format';

const W = 560;
const M = { top: 24, right: 16, bottom: 28, left: 48 };

function frame(holder: HTMLElement, h: number, label: string) {
  const svg = select(holder)
    .append('svg')
    .attr('viewBox', `0 0 ${W} ${h}`)
    .attr('role', 'img')
    .attr('aria-label', label)
    .attr('class', 'cell-svg');
  return svg;
}

function lineChart(holder: HTMLElement, spec: Extract<PlotSpec, { type: 'line' }>): void {
  const h = 240;
  const all = spec.series.flatMap((s) => s.values.filter(Number.isFinite));
  const n = Math.max(...spec.series.map((s) => s.values.length), 2);
  const [lo, hi] = extent(all.length ? all : [0, 1]) as [number, number];
  const pad = lo === hi ? 1 : 0;
  const x = scaleLinear([0, n - 1], [M.left, W - M.right]);
  const y = scaleLinear([lo - pad, hi + pad], [h - M.bottom, M.top]).nice();
  const names = spec.series.map((s) => s.name).join(', ');
  const svg = frame(
    holder,
    h,
    `${spec.title || 'Line chart'}: ${names}, ${n} points, from ${formatNumber(lo)} to ${formatNumber(hi)}`,
  );
  svg
    .append('g')
    .attr('class', 'axis')
    .attr('transform', `translate(0,${h - M.bottom})`)
    .call(
      axisBottom(x)
        .ticks(Math.min(8, n - 1))
        .tickFormat((d) => String(d)),
    );
  svg
    .append('g')
    .attr('class', 'axis')
    .attr('transform', `translate(${M.left},0)`)
    .call(axisLeft(y).ticks(5));
  if (spec.title)
    svg.append('text').attr('class', 'plot-title').attr('x', M.left).attr('y', 14).text(spec.title);
  const path = line<number>()
    .defined((v) => Number.isFinite(v))
    .x((_, i) => x(i))
    .y((v) => y(v));
  spec.series.forEach((s, i) => {
    svg
      .append('path')
      .attr('class', `plot-line s${i % 6}`)
      .attr('d', path(s.values));
  });
  if (spec.series.length > 1) {
    const legend = select(holder).append('ul').attr('class', 'plot-legend');
    spec.series.forEach((s, i) => {
      const li = legend.append('li');
      li.append('span')
        .attr('class', `swatch s${i % 6}`)
        .attr('aria-hidden', 'true');
      li.append('span').text(s.name);
    });
  }
}

function heatmap(holder: HTMLElement, spec: Extract<PlotSpec, { type: 'heatmap' }>): void {
  const rows = spec.matrix.length;
  const cols = spec.matrix[0]?.length ?? 0;
  const cell = Math.max(10, Math.min(40, Math.floor((W - M.left - M.right) / Math.max(cols, 1))));
  const h = M.top + rows * cell + M.bottom;
  const flat = spec.matrix.flat().filter(Number.isFinite);
  const [lo, hi] = extent(flat.length ? flat : [0, 1]) as [number, number];
  const color = scaleSequential(interpolateViridis).domain([lo, hi === lo ? lo + 1 : hi]);
  const x = scaleBand(spec.cols, [M.left, M.left + cols * cell]);
  const y = scaleBand(spec.rows, [M.top, M.top + rows * cell]);
  const svg = frame(
    holder,
    h,
    `${spec.title || 'Heatmap'}: ${rows} × ${cols}, values from ${formatNumber(lo)} to ${formatNumber(hi)}`,
  );
  if (spec.title)
    svg.append('text').attr('class', 'plot-title').attr('x', M.left).attr('y', 14).text(spec.title);
  spec.matrix.forEach((r, i) =>
    r.forEach((v, j) => {
      const g = svg.append('g');
      g.append('rect')
        .attr('x', x(spec.cols[j]) ?? 0)
        .attr('y', y(spec.rows[i]) ?? 0)
        .attr('width', cell - 1)
        .attr('height', cell - 1)
        .attr('fill', Number.isFinite(v) ? color(v) : 'transparent');
      g.append('title').text(`row ${spec.rows[i]}, column ${spec.cols[j]}: ${formatNumber(v)}`);
    }),
  );
  svg
    .append('g')
    .attr('class', 'axis')
    .attr('transform', `translate(0,${M.top + rows * cell})`)
    .call(axisBottom(x));
  svg.append('g').attr('class', 'axis').attr('transform', `translate(${M.left},0)`).call(axisLeft(y));
}

/** Draw `spec` into `holder`; a bad spec shows a message instead. */
export function drawPlot(holder: HTMLElement, spec: PlotSpec): void {
  try {
    if (spec?.type === 'heatmap' && Array.isArray(spec.matrix)) heatmap(holder, spec);
    else if (spec?.type === 'line' && Array.isArray(spec.series)) lineChart(holder, spec);
    else throw new Error('unknown plot');
  } catch {
    holder.textContent = 'This plot could not be drawn.';
  }
}
