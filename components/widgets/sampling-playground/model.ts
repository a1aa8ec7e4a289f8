/**
 * The sampling playground's pure logic (no DOM): read the settings, draw seeded samples with
 * src/lib/sampling.ts, and generate text with the shipped character model.
 */
import { createRng } from '../../../src/lib/rng';
import { sampleFromLogits, type SamplingStages } from '../../../src/lib/sampling';
import { parseFields, parseNumberList, type NumberRule } from '../shared/parse';
import type { ForwardStages } from '../shared/char-model';

/** Limits of the controls. */
export const LIMITS = {
  temperature: [0.05, 5],
  draws: [1, 5000],
  seed: [0, 4294967295],
  logits: 40,
  generate: 60,
} as const;

/** Temperature, top-k and top-p as sampleFromLogits takes them. */
export interface Settings {
  temperature: number;
  topK: number;
  topP: number;
}

/** Raw text of the controls. */
export interface RawSettings {
  temperature: string;
  topK: string;
  topP: string;
  seed: string;
  draws: string;
}

/** A field that failed validation and why. */
export interface FieldError {
  field: keyof RawSettings | 'logits' | 'labels' | 'prompt';
  message: string;
}

/** The rule each control is read with, for n tokens. */
export function settingRules(n: number): Record<keyof RawSettings, NumberRule> {
  const [tLo, tHi] = LIMITS.temperature;
  const [sLo, sHi] = LIMITS.seed;
  const [dLo, dHi] = LIMITS.draws;
  return {
    temperature: { label: 'Temperature', min: tLo, max: tHi },
    topK: { label: 'Top-k', min: 1, max: n, integer: true, hint: ` ${n} keeps every token.` },
    topP: { label: 'Top-p', min: 0, max: 1, minExclusive: true, hint: ' 1 keeps every token.' },
    seed: { label: 'Seed', min: sLo, max: sHi, integer: true },
    draws: { label: 'Number of draws', min: dLo, max: dHi, integer: true },
  };
}

/** Validate the controls for n tokens; returns settings or the first bad field. */
export function readSettings(
  raw: RawSettings,
  n: number,
): { ok: true; settings: Settings; seed: number; draws: number } | ({ ok: false } & FieldError) {
  const read = parseFields(raw, settingRules(n));
  if (!read.ok) return read;
  const { value } = read;
  const { temperature, topK, topP, seed, draws } = value;
  return { ok: true, settings: { temperature, topK, topP }, seed, draws };
}

/** Parse typed logits: 2 to LIMITS.logits finite numbers. */
export function readLogits(text: string): { ok: true; logits: number[] } | ({ ok: false } & FieldError) {
  const parsed = parseNumberList(text, { label: 'Logits', minCount: 2, maxCount: LIMITS.logits });
  return parsed.ok
    ? { ok: true, logits: parsed.value }
    : { ok: false, field: 'logits', message: parsed.message };
}

/** Token names for typed logits: comma-separated, one per logit; empty → the indices 0, 1, 2, … */
export function readLabels(
  text: string,
  n: number,
): { ok: true; labels: string[] } | ({ ok: false } & FieldError) {
  const parts = text.split(',').map((s) => s.trim());
  if (text.trim() === '') return { ok: true, labels: Array.from({ length: n }, (_, i) => String(i)) };
  if (parts.length !== n) {
    return {
      ok: false,
      field: 'labels',
      message: `Token names: give one name per logit (${n}), separated by commas, or none (got ${parts.length}).`,
    };
  }
  const empty = parts.findIndex((p) => p === '');
  if (empty >= 0) return { ok: false, field: 'labels', message: `Token names: name ${empty + 1} is empty.` };
  return { ok: true, labels: parts.map((p) => (p.length > 12 ? `${p.slice(0, 12)}…` : p)) };
}

/** Seeded draws: the uniform number and the token of each, and how often each token came up. */
export interface Draws {
  /** The distribution the draws come from (stages of the first draw; the same for every draw). */
  stages: SamplingStages;
  uniforms: number[];
  samples: number[];
  /** counts[i] = draws that gave token i, (n). */
  counts: number[];
}

/** Draw `n` tokens from logits with a generator seeded by `seed`: same seed, same draws. */
export function drawSamples(logits: readonly number[], settings: Settings, seed: number, n: number): Draws {
  const rng = createRng(seed);
  const uniforms: number[] = [];
  const samples: number[] = [];
  const counts = logits.map(() => 0);
  let stages: SamplingStages | null = null;
  for (let i = 0; i < n; i++) {
    const s = sampleFromLogits(logits, { ...settings, rng });
    stages ??= s;
    uniforms.push(s.uniform as number);
    samples.push(s.sample as number);
    counts[s.sample as number]++;
  }
  return { stages: stages ?? sampleFromLogits(logits, settings), uniforms, samples, counts };
}

/** Generate `length` characters after a prompt, one draw per character from a generator seeded by `seed`. */
export function generate(
  forward: (prompt: string) => ForwardStages,
  vocab: readonly string[],
  prompt: string,
  settings: Settings,
  seed: number,
  length: number,
): string {
  const rng = createRng(seed);
  let text = prompt;
  let out = '';
  for (let i = 0; i < length; i++) {
    const { logits } = forward(text);
    const { sample } = sampleFromLogits(logits, { ...settings, rng });
    const ch = vocab[sample as number];
    out += ch;
    text += ch;
  }
  return out;
}
