import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/lib/rng';
import { sampleFromLogits } from '../../../src/lib/sampling';
import {
  contextOf,
  forwardFor,
  modelUrl,
  nextCharLogits,
  parseCharModel,
  unknownChars,
  type CharModel,
} from '../../../components/widgets/shared/char-model';
import {
  drawSamples,
  generate,
  readLabels,
  readLogits,
  readSettings,
} from '../../../components/widgets/sampling-playground/model';

const json: unknown = JSON.parse(readFileSync('public/models/char-embeddings.json', 'utf8'));
const model = parseCharModel(json) as CharModel;

describe('shipped character model', () => {
  it('parses, is small, and has a sorted vocabulary', () => {
    expect(typeof model).toBe('object');
    expect(readFileSync('public/models/char-embeddings.json').length).toBeLessThan(100_000);
    expect(model.vocab).toEqual([...model.vocab].sort());
    expect(model.vocab[0]).toBe(' ');
    expect(model.checks.length).toBeGreaterThan(0);
  });

  it('computes the logits PyTorch computed from the same weights', () => {
    for (const check of model.checks) {
      const { logits } = nextCharLogits(model, check.prompt);
      expect(logits).toHaveLength(model.vocab.length);
      logits.forEach((z, i) => expect(z).toBeCloseTo(check.logits[i], 8));
    }
    const fast = forwardFor(model);
    expect(fast('the cat sat on the ').logits).toEqual(nextCharLogits(model, 'the cat sat on the ').logits);
  });

  it('reads the last characters, padding short prompts with spaces', () => {
    expect(contextOf(model, 'hello')).toEqual(['e', 'l', 'l', 'o']);
    expect(contextOf(model, 'q')).toEqual([' ', ' ', ' ', 'q']);
    expect(contextOf(model, '')).toEqual([' ', ' ', ' ', ' ']);
    expect(unknownChars(model, 'Hello, World 1!')).toEqual(['H', 'W', '1']);
    expect(() => nextCharLogits(model, 'ABCD')).toThrow(/not in the vocabulary/);
  });

  it('rejects malformed model files with a message', () => {
    expect(parseCharModel(null)).toMatch(/not a JSON object/);
    expect(parseCharModel({})).toMatch(/vocabulary/);
    const broken = { ...(json as object), w2: [[1, 2]] };
    expect(parseCharModel(broken)).toMatch(/w2 must be/);
    const nan = JSON.parse(JSON.stringify(json)) as { embeddings: unknown[][] };
    nan.embeddings[0][0] = 'x';
    expect(parseCharModel(nan)).toMatch(/embeddings must be/);
  });

  it('builds its URL under the base path', () => {
    expect(modelUrl('/')).toBe('/models/char-embeddings.json');
    expect(modelUrl('/attention-notebook')).toBe('/attention-notebook/models/char-embeddings.json');
  });
});

describe('sampling playground logic', () => {
  const raw = { temperature: '1', topK: '5', topP: '1', seed: '1', draws: '20' };

  it('validates every control with a message naming it', () => {
    expect(readSettings(raw, 5)).toEqual({
      ok: true,
      settings: { temperature: 1, topK: 5, topP: 1 },
      seed: 1,
      draws: 20,
    });
    expect(readSettings({ ...raw, temperature: '0' }, 5)).toMatchObject({ ok: false, field: 'temperature' });
    expect(readSettings({ ...raw, temperature: 'abc' }, 5)).toMatchObject({
      ok: false,
      field: 'temperature',
    });
    expect(readSettings({ ...raw, topK: '6' }, 5)).toMatchObject({ ok: false, field: 'topK' });
    expect(readSettings({ ...raw, topK: '2.5' }, 5)).toMatchObject({ ok: false, field: 'topK' });
    expect(readSettings({ ...raw, topP: '0' }, 5)).toMatchObject({ ok: false, field: 'topP' });
    expect(readSettings({ ...raw, topP: '1.1' }, 5)).toMatchObject({ ok: false, field: 'topP' });
    expect(readSettings({ ...raw, seed: '-1' }, 5)).toMatchObject({ ok: false, field: 'seed' });
    expect(readSettings({ ...raw, draws: '' }, 5)).toMatchObject({ ok: false, field: 'draws' });
    expect(readSettings({ ...raw, draws: '5001' }, 5)).toMatchObject({ ok: false, field: 'draws' });
  });

  it('parses typed logits and names', () => {
    expect(readLogits('2, 1, 0.5')).toEqual({ ok: true, logits: [2, 1, 0.5] });
    expect(readLogits('2')).toMatchObject({ ok: false, field: 'logits' });
    expect(readLogits('2, x')).toMatchObject({ ok: false, message: expect.stringContaining('x') });
    expect(readLabels('e, y, a', 3)).toEqual({ ok: true, labels: ['e', 'y', 'a'] });
    expect(readLabels('', 2)).toEqual({ ok: true, labels: ['0', '1'] });
    expect(readLabels('e, y', 3)).toMatchObject({ ok: false, field: 'labels' });
    expect(readLabels('e, , a', 3)).toMatchObject({ ok: false, field: 'labels' });
  });

  it('draws with src/lib: same seed, same draws; counts add up', () => {
    const logits = [2, 1, 0.5, 0, -1];
    const settings = { temperature: 0.8, topK: 4, topP: 0.95 };
    const a = drawSamples(logits, settings, 7, 200);
    const b = drawSamples(logits, settings, 7, 200);
    expect(a.samples).toEqual(b.samples);
    expect(a.counts.reduce((s, c) => s + c, 0)).toBe(200);
    const rng = createRng(7);
    const expected = Array.from({ length: 200 }, () => sampleFromLogits(logits, { ...settings, rng }).sample);
    expect(a.samples).toEqual(expected);
    expect(a.stages.filteredProbs).toEqual(sampleFromLogits(logits, settings).filteredProbs);
    expect(drawSamples(logits, settings, 8, 200).samples).not.toEqual(a.samples);
    // Removed tokens are never drawn.
    a.stages.filteredProbs.forEach((p, i) => {
      if (p === 0) expect(a.counts[i]).toBe(0);
    });
  });

  it('generates the same text for the same seed, and greedy text for every seed when top-k = 1', () => {
    const fwd = forwardFor(model);
    const settings = { temperature: 1, topK: model.vocab.length, topP: 1 };
    const one = generate(fwd, model.vocab, 'the ', settings, 3, 30);
    expect(one).toHaveLength(30);
    expect(generate(fwd, model.vocab, 'the ', settings, 3, 30)).toBe(one);
    expect(generate(fwd, model.vocab, 'the ', settings, 4, 30)).not.toBe(one);
    const greedy = { temperature: 1, topK: 1, topP: 1 };
    expect(generate(fwd, model.vocab, 'the ', greedy, 1, 30)).toBe(
      generate(fwd, model.vocab, 'the ', greedy, 99, 30),
    );
  });
});
