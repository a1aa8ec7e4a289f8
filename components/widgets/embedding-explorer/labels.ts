/** Where the map's point labels go: beside their point, never over another label or point. */

/** A box in chart units: top-left corner and size. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A placed label: the text's start (x) and baseline (y) relative to its point, and its anchor. */
export interface LabelSpot {
  dx: number;
  dy: number;
  anchor: 'start' | 'end' | 'middle';
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Candidate spots around a point of radius r for a label w wide and h high: right, left, above, below. */
function candidates(
  w: number,
  h: number,
  r: number,
): (LabelSpot & { box: (px: number, py: number) => Box })[] {
  const gap = r + 2;
  return [
    { dx: gap, dy: h / 3, anchor: 'start', box: (px, py) => ({ x: px + gap, y: py - (2 * h) / 3, w, h }) },
    { dx: -gap, dy: h / 3, anchor: 'end', box: (px, py) => ({ x: px - gap - w, y: py - (2 * h) / 3, w, h }) },
    { dx: 0, dy: -gap, anchor: 'middle', box: (px, py) => ({ x: px - w / 2, y: py - gap - h, w, h }) },
    { dx: 0, dy: gap + h * 0.8, anchor: 'middle', box: (px, py) => ({ x: px - w / 2, y: py + gap, w, h }) },
  ];
}

/**
 * Place one label per point, greedily in `order` (the chosen point and its neighbours first), at the
 * first spot that stays inside `bounds` and clear of every placed label and every point; a label with
 * no free spot is left off (null): its point still names itself on hover and in the list.
 */
export function placeLabels(
  points: readonly { x: number; y: number; label: string }[],
  order: readonly number[],
  bounds: Box,
  charW = 7,
  lineH = 12,
  r = 5,
): (LabelSpot | null)[] {
  const dots: Box[] = points.map((p) => ({ x: p.x - r, y: p.y - r, w: 2 * r, h: 2 * r }));
  const placed: Box[] = [];
  const out: (LabelSpot | null)[] = points.map(() => null);
  for (const i of order) {
    const p = points[i];
    const w = Math.max(1, [...p.label].length) * charW;
    for (const c of candidates(w, lineH, r)) {
      const b = c.box(p.x, p.y);
      const inside =
        b.x >= bounds.x &&
        b.y >= bounds.y &&
        b.x + b.w <= bounds.x + bounds.w &&
        b.y + b.h <= bounds.y + bounds.h;
      if (!inside || placed.some((o) => overlaps(b, o)) || dots.some((d, k) => k !== i && overlaps(b, d)))
        continue;
      placed.push(b);
      out[i] = { dx: c.dx, dy: c.dy, anchor: c.anchor };
      break;
    }
  }
  return out;
}

/** The boxes of placed labels (for tests and drawing checks), in point order, null when left off. */
export function labelBoxes(
  points: readonly { x: number; y: number; label: string }[],
  spots: readonly (LabelSpot | null)[],
  charW = 7,
  lineH = 12,
  r = 5,
): (Box | null)[] {
  return spots.map((s, i) => {
    if (!s) return null;
    const p = points[i];
    const w = Math.max(1, [...p.label].length) * charW;
    const c = candidates(w, lineH, r).find((k) => k.anchor === s.anchor && k.dx === s.dx && k.dy === s.dy)!;
    return c.box(p.x, p.y);
  });
}
