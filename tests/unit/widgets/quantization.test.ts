import { describe, expect, it } from 'vitest';
import { quantizeInt8 } from '../../../src/lib/quantization';
import * as model from '../../../components/widgets/quantization/model';

describe('int8 quantization view input', () => {
  it('reads one row per line', () => {
    expect(model.parseRows('2.5, -1.2, 0.3\n0.02, -0.035, 0.011\n')).toEqual({
      ok: true,
      value: [
        [2.5, -1.2, 0.3],
        [0.02, -0.035, 0.011],
      ],
    });
  });

  it('says what is wrong with bad input', () => {
    expect(model.parseRows('  \n ')).toMatchObject({
      ok: false,
      message: expect.stringContaining('at least one row'),
    });
    expect(model.parseRows('1, 2\n1, abc')).toMatchObject({
      ok: false,
      message: expect.stringContaining('Row 2'),
    });
    expect(model.parseRows('1, 2\n1, 2, 3')).toMatchObject({
      ok: false,
      message: 'Row 2: enter exactly two numbers (got 3).',
    });
    // one row too many, one column too many
    const ones = (n: number, sep: string) => Array<string>(n).fill('1').join(sep);
    for (const text of [ones(model.MAX_ROWS + 1, '\n'), ones(model.MAX_COLS + 1, ',')])
      expect(model.parseRows(text)).toMatchObject({ ok: false });
  });
});

describe('int8 quantization view figures', () => {
  it("reproduces the chapter's per-tensor vs per-channel mean squared errors with src/lib", () => {
    const w = [
      [2.5, -1.2, 0.3],
      [0.02, -0.035, 0.011],
    ];
    expect(model.meanSquaredError(quantizeInt8(w, 'per-tensor').error)).toBeCloseTo(1.96e-5, 7);
    expect(model.meanSquaredError(quantizeInt8(w, 'per-channel').error)).toBeCloseTo(3.83e-6, 8);
    const rel = model.relativeError(0.011, quantizeInt8(w, 'per-tensor').error[1][2]);
    expect(rel).toBeCloseTo(0.79, 2);
    expect(model.relativeError(0, 0)).toBeNull();
  });
});
