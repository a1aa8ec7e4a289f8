/**
 * Reading the attention calculator's form, without the DOM: the controls' raw values in, the
 * configuration (or the messages that say what is wrong, per field) and how the form should look out.
 * The element copies the values from the form, calls readConfig, and applies the result.
 */
import { SEED, parseNumber } from '../shared/parse';
import {
  DEFAULT_SENTENCE,
  MAX_DIM,
  MAX_HEADS,
  MAX_TOKENS,
  headsMessage,
  parseDk,
  parseSentence,
  variantMessage,
  type LuongScore,
  type Variant,
} from './input';
import type { CalcConfig } from './model';

/** The calculator's starting configuration (the component's defaults; the tests check against it). */
export const START_CONFIG: Readonly<CalcConfig> = {
  tokens: DEFAULT_SENTENCE.split(' '), // the notes' five-word sentence
  dModel: 4, // embedding width
  dk: 4, // query/key width
  heads: 1, // single-head attention
  seed: 42, // seeds the embeddings and projections
  variant: 'scaled-dot', // Q·Kᵀ/√d_k
  luong: 'general', // Luong score when the variant is multiplicative
  window: 1, // local attention's half-width
  causal: false, // no mask
  scaled: true, // divide by √d_k
};

/** The form's controls as typed (text fields) or set (selects, checkboxes). */
export interface RawConfig {
  sentence: string;
  dModel: string;
  heads: string;
  dk: string;
  seed: string;
  variant: string;
  luong: string;
  window: string;
  causal: boolean;
  scaled: boolean;
}

/** The fields readConfig can mark invalid, in the order their messages are listed. */
export const CONFIG_FIELDS = ['sentence', 'dModel', 'heads', 'dk', 'seed', 'variant', 'window'] as const;
export type ConfigField = (typeof CONFIG_FIELDS)[number];

/** How the form should look for these values. */
export interface FormState {
  /** Several heads: d_k is d_model / heads and read-only. */
  multi: boolean;
  /** The d_k to write back into its field when it is derived (several heads), else null. */
  derivedDk: number | null;
  /** The "scale by 1/√d_k" box applies (single head, a variant that scales); otherwise it is disabled. */
  scalable: boolean;
  /** Text of the hint next to a disabled scale box. */
  scaleHint: string;
  /** Show the Luong score select (multiplicative variant). */
  showLuong: boolean;
  /** Show the window-size field (local variant). */
  showWindow: boolean;
}

/** What readConfig found: a configuration when every field is valid, else the messages by field. */
export interface ConfigRead {
  config: CalcConfig | null;
  /** The message for each invalid field (absent: the field is valid). */
  errors: Partial<Record<ConfigField, string>>;
  /** Notes on the sentence (truncation, removed characters, …), shown even when it is valid. */
  notes: string[];
  /** The sentence's tokens, also when another field is invalid. */
  tokens: string[];
  form: FormState;
}

/** Variants whose scores may be divided by √d_k when there is one head. */
const SCALABLE: readonly string[] = ['scaled-dot', 'local', 'hard'];

/** Read and check every control; pure, so the element only copies values in and applies the result. */
export function readConfig(raw: RawConfig): ConfigRead {
  const errors: Partial<Record<ConfigField, string>> = {};
  const sentence = parseSentence(raw.sentence);
  if (!sentence.ok) errors.sentence = sentence.error ?? 'Type a sentence.';
  const dModel = parseNumber(raw.dModel, {
    label: 'Embedding size d_model',
    min: 1,
    max: MAX_DIM,
    integer: true,
  });
  if (!dModel.ok) errors.dModel = dModel.message;
  const heads = parseNumber(raw.heads, { label: 'Heads', min: 1, max: MAX_HEADS, integer: true });
  const headsError = !heads.ok ? heads.message : dModel.ok ? headsMessage(heads.value, dModel.value) : null;
  if (headsError) errors.heads = headsError;
  const multi = heads.ok && heads.value > 1;
  let dk: number | null = null;
  let derivedDk: number | null = null;
  if (multi) {
    if (dModel.ok && !headsError) dk = derivedDk = dModel.value / heads.value;
  } else {
    const p = parseDk(raw.dk);
    if (p.ok) dk = p.value;
    else errors.dk = p.message;
  }
  const seed = parseNumber(raw.seed, { ...SEED, label: 'Random seed' });
  if (!seed.ok) errors.seed = seed.message;
  const variant = raw.variant as Variant;
  const variantError = heads.ok ? variantMessage(variant, heads.value) : null;
  if (variantError) errors.variant = variantError;
  const win =
    variant === 'local'
      ? parseNumber(raw.window, { label: 'Window size', min: 0, max: MAX_TOKENS - 1, integer: true })
      : ({ ok: true, value: 1 } as const);
  if (!win.ok) errors.window = win.message;
  const scalable = !multi && SCALABLE.includes(variant);
  const form: FormState = {
    multi,
    derivedDk,
    scalable,
    scaleHint: multi ? '(always on with several heads)' : '(not used by this variant)',
    showLuong: variant === 'multiplicative',
    showWindow: variant === 'local',
  };
  const base = { errors, notes: sentence.notes, tokens: sentence.tokens, form };
  if (Object.keys(errors).length > 0 || !dModel.ok || !heads.ok || dk === null || !seed.ok || !win.ok) {
    return { config: null, ...base };
  }
  return {
    config: {
      tokens: sentence.tokens,
      dModel: dModel.value,
      dk,
      heads: heads.value,
      seed: seed.value,
      variant,
      luong: raw.luong as LuongScore,
      window: win.value,
      causal: raw.causal,
      scaled: !scalable || raw.scaled,
    },
    ...base,
  };
}
