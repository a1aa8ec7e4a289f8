import { describe, expect, it } from 'vitest';
import { labelBoxes, placeLabels } from '../../../components/widgets/embedding-explorer/labels';
import { createRng } from '../../../src/lib/rng';

const bounds = { x: 0, y: 0, w: 360, h: 360 };
const overlap = (a: { x: number; y: number; w: number; h: number }, b: typeof a) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('embedding map labels', () => {
  it.each([1, 2, 3])('a dense central cluster (seed %d): no two shown labels overlap', (seed) => {
    const rng = createRng(seed);
    // 9 letters within 30 units of the centre, like s k n d m a h j g, plus 20 spread out
    const points = [
      ...[...'sknd mahjg'.replace(' ', '')].map((label) => ({
        label,
        x: 180 + rng.normal(0, 12),
        y: 180 + rng.normal(0, 12),
      })),
      ...Array.from({ length: 20 }, (_, i) => ({
        label: String.fromCharCode(65 + i),
        x: 20 + rng.next() * 320,
        y: 20 + rng.next() * 320,
      })),
    ];
    const order = points.map((_, i) => i);
    const spots = placeLabels(points, order, bounds);
    const boxes = labelBoxes(points, spots).filter((b) => b !== null);
    for (let a = 0; a < boxes.length; a++)
      for (let b = a + 1; b < boxes.length; b++) expect(overlap(boxes[a]!, boxes[b]!)).toBe(false);
    for (const b of boxes) {
      expect(b!.x).toBeGreaterThanOrEqual(0);
      expect(b!.x + b!.w).toBeLessThanOrEqual(360);
    }
    // the first in order (the chosen character) always has its label
    expect(spots[0]).not.toBeNull();
    expect(boxes.length).toBeGreaterThan(15);
  });

  it('puts a label to the right when there is room, to the left at the right edge', () => {
    expect(placeLabels([{ label: 'a', x: 100, y: 100 }], [0], bounds)[0]).toEqual({
      dx: 7,
      dy: 4,
      anchor: 'start',
    });
    expect(placeLabels([{ label: 'abc', x: 355, y: 100 }], [0], bounds)[0]?.anchor).toBe('end');
  });
});
