import { describe, expect, it } from 'vitest';
import { readConfig, type RawConfig } from '../../../components/widgets/attention-calculator/config';

const raw: RawConfig = {
  sentence: 'I love apples',
  dModel: '4',
  heads: '1',
  dk: '3',
  seed: '42',
  variant: 'scaled-dot',
  luong: 'dot',
  window: '1',
  causal: false,
  scaled: true,
};

describe('attention calculator: readConfig(raw)', () => {
  it('reads a valid form into a configuration', () => {
    const r = readConfig(raw);
    expect(r.errors).toEqual({});
    expect(r.config).toEqual({
      tokens: ['I', 'love', 'apples'],
      dModel: 4,
      dk: 3,
      heads: 1,
      seed: 42,
      variant: 'scaled-dot',
      luong: 'dot',
      window: 1,
      causal: false,
      scaled: true,
    });
    expect(r.form).toEqual({
      multi: false,
      derivedDk: null,
      scalable: true,
      scaleHint: '(not used by this variant)',
      showLuong: false,
      showWindow: false,
    });
  });

  it('derives d_k = d_model / heads with several heads, ignores the typed d_k and always scales', () => {
    const r = readConfig({ ...raw, dModel: '8', heads: '2', dk: '0', scaled: false });
    expect(r.config).toMatchObject({ dk: 4, heads: 2, scaled: true });
    expect(r.form).toMatchObject({
      multi: true,
      derivedDk: 4,
      scalable: false,
      scaleHint: '(always on with several heads)',
    });
  });

  it.each<[Partial<RawConfig>, string, RegExp]>([
    [{ sentence: '  ' }, 'sentence', /^Type a sentence/],
    [{ dModel: '0' }, 'dModel', /^Embedding size d_model must be a whole number from 1 to 64 \(got “0”\)\.$/],
    [{ heads: '3' }, 'heads', /3 heads do not divide d_model = 4.*one of 1, 2, 4/],
    [{ dk: '0' }, 'dk', /d_k = 0 does not work/],
    [{ seed: '-1' }, 'seed', /^Random seed must be a whole number from 0 to 4294967295 \(got “-1”\)\.$/],
    [{ heads: '2', variant: 'additive' }, 'variant', /shown with one head/],
    [
      { variant: 'local', window: '20' },
      'window',
      /^Window size must be a whole number from 0 to 11 \(got “20”\)\.$/,
    ],
  ])('names the bad field %j', (change, field, message) => {
    const r = readConfig({ ...raw, ...change });
    expect(r.config).toBeNull();
    expect(Object.keys(r.errors)).toEqual([field]);
    expect(r.errors[field as keyof typeof r.errors]).toMatch(message);
  });

  it('keeps the tokens and notes when another field is wrong, and shows the variant fields', () => {
    const r = readConfig({ ...raw, sentence: 'a\u0000b', seed: 'x', variant: 'multiplicative' });
    expect(r.tokens).toEqual(['a', 'b']);
    expect(r.notes.join(' ')).toMatch(/Removed 1 invisible control character/);
    expect(r.form).toMatchObject({ showLuong: true, showWindow: false, scalable: false });
  });
});
