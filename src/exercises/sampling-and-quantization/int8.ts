/** Exercise (chapter 9): symmetric per-tensor int8 quantization, checked against src/lib's quantizeInt8. */
import { quantizeInt8 } from '../../lib/quantization';
import { exported, randomMatrix, type Exercise } from '../types';

export const int8Exercise: Exercise = {
  id: 'sampling-and-quantization/int8',
  chapter: 'sampling-and-quantization',
  title: 'Int8 quantization',
  starter: `// Symmetric per-tensor int8: scale = max |x| / 127; q = round(x / scale), clamped to [-127, 127].
// (src/lib rounds halves to even, as PyTorch does; Math.round is fine for these inputs.)
export function quantize(x: number[][]): { scale: number; q: number[][] } {
  const maxAbs = Math.max(...x.flat().map(Math.abs));
  const scale = maxAbs / 127;
  // TODO: divide by the scale and round
  const q = x.map((row) => row.map((v) => v));
  return { scale, q };
}

quantize([[0.5, -1.2], [2.54, 0.03]]);
`,
  solution: `export function quantize(x: number[][]): { scale: number; q: number[][] } {
  const maxAbs = Math.max(...x.flat().map(Math.abs));
  const scale = maxAbs / 127;
  const q = x.map((row) => row.map((v) => Math.max(-127, Math.min(127, Math.round(v / scale)))));
  return { scale, q };
}

quantize([[0.5, -1.2], [2.54, 0.03]]);
`,
  check(mod, c, rng) {
    const f = exported<(x: number[][]) => { scale: number; q: number[][] }>(mod, 'quantize');
    const cases = [
      [
        [0.5, -1.2],
        [2.54, 0.03],
      ],
      randomMatrix(rng, 3, 4),
      randomMatrix(rng, 2, 5, 0.05),
    ];
    cases.forEach((x, n) => {
      const what =
        n === 0 ? 'quantize([[0.5, -1.2], [2.54, 0.03]])' : `quantize(random ${x.length} × ${x[0].length})`;
      const ref = quantizeInt8(x);
      c.run(what, () => {
        const got = f(x);
        c.close([got?.scale], ref.scales, `${what}: scale`, 1e-12);
        // Round-half-even and Math.round differ only on exact halves, which these inputs avoid.
        c.closeMatrix(got?.q, ref.q, `${what}: codes`, 0);
      });
    });
  },
};
