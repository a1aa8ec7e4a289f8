/**
 * The training cell's form, without the DOM: the hyperparameter fields, reading typed text into a config,
 * validating it with messages in the notes' Python names, the summary line, and the generation settings.
 * The element collects the inputs' text into a `FormValues` record and renders what these return.
 */
import {
  estimateParams,
  makeConfig,
  presets,
  validateConfig,
  type GPTConfig,
  type PresetName,
} from '../../src/model/config';
import type { GenerateSettings } from '../../src/workers/protocol';

/** Form field name → config key, with the notes' Python name shown in messages. */
export const FIELDS: readonly (readonly [keyof GPTConfig, string])[] = [
  ['batchSize', 'batch_size'],
  ['blockSize', 'block_size'],
  ['nEmbd', 'n_embd'],
  ['nHead', 'n_head'],
  ['nLayer', 'n_layer'],
  ['dropout', 'dropout'],
  ['learningRate', 'learning_rate'],
  ['maxIters', 'max_iters'],
  ['evalInterval', 'eval_interval'],
  ['evalIters', 'eval_iters'],
];

/** The cell's own fields besides the config, with their label and smallest value. */
const RUN_FIELDS = [
  ['checkpointEvery', 'checkpoint every', 1],
  ['sampleEvery', 'sample every', 0],
] as const;

/** Largest value of checkpoint every / sample every. */
const MAX_INTERVAL = 1e6;

/** The text of every input, keyed by its name. */
export type FormValues = Readonly<Record<string, string>>;

/** The preset's values for every config field, as the form shows them. */
export function presetValues(name: PresetName): Record<string, string> {
  const p = presets[name];
  return Object.fromEntries(FIELDS.map(([key]) => [key, String(p[key])]));
}

/** The config the form describes: numbers as typed (empty text is NaN; validateConfig names it). */
export function readConfig(values: FormValues): GPTConfig {
  const cfg = makeConfig('tiny');
  const c = cfg as unknown as Record<string, number>;
  for (const [key] of FIELDS) {
    const raw = (values[key] ?? '').trim();
    c[key] = raw === '' ? NaN : Number(raw);
  }
  return cfg;
}

/** A whole number in [lo, hi], or the sentence that says why the text is not one. */
export function wholeNumber(raw: string, lo: number, hi: number): number | string {
  const text = raw.trim();
  const x = Number(text);
  if (text === '' || !Number.isInteger(x) || x < lo || x > hi) {
    return `must be a whole number from ${lo} to ${hi}, got ${text === '' ? 'nothing' : JSON.stringify(text)}`;
  }
  return x;
}

/** What validating the form gives: the config and run settings when usable, and one message per bad field. */
export interface FormCheck {
  config: GPTConfig;
  checkpointEvery: number;
  sampleEvery: number;
  /** field name → message (in the notes' names); empty when the form is usable. */
  problems: Map<string, string>;
}

/** Validate every field; the vocabulary size is the data's, so it is not checked here. */
export function checkForm(values: FormValues): FormCheck {
  const config = readConfig(values);
  const problems = new Map<string, string>();
  for (const e of validateConfig({ ...config, vocabSize: 2 })) {
    if (e.field === 'vocabSize') continue;
    const py = FIELDS.find(([k]) => k === e.field)?.[1] ?? e.field;
    const msg = e.message.replace(e.field, py).replace('nEmbd', 'n_embd').replace('nHead', 'n_head');
    if (!problems.has(e.field)) problems.set(e.field, msg);
  }
  const run = { checkpointEvery: NaN, sampleEvery: NaN };
  for (const [name, label, lo] of RUN_FIELDS) {
    const v = wholeNumber(values[name] ?? '', lo, MAX_INTERVAL);
    if (typeof v === 'string') problems.set(name, `${label} ${v}`);
    else run[name] = v;
  }
  return { config, ...run, problems };
}

/**
 * The line under the form: parameters and characters per step, and a warning at a crawling learning rate.
 * The parameter count needs the vocabulary size (the embedding and the output layer have a row per
 * character): pass the data's when it is known, else the count says what it leaves out. Empty when invalid.
 */
export function configSummary(cfg: GPTConfig, vocabSize: number | null): string {
  if (validateConfig({ ...cfg, vocabSize: vocabSize ?? 2 }).length) return '';
  const slow =
    cfg.learningRate <= 1e-5
      ? ' At this learning rate AdamW moves each weight by about lr per step: the loss will crawl.'
      : '';
  const chars = cfg.batchSize * cfg.blockSize;
  const perStep = `${chars} ${chars === 1 ? 'character' : 'characters'} per step.${slow}`;
  if (vocabSize !== null) {
    return `${(estimateParams({ ...cfg, vocabSize }) / 1e6).toFixed(3)} M parameters with a vocabulary of ${vocabSize} characters, ${perStep}`;
  }
  const withoutVocab = estimateParams({ ...cfg, vocabSize: 0 });
  return (
    `${(withoutVocab / 1e6).toFixed(3)} M parameters plus ${2 * cfg.nEmbd + 1} per character of the ` +
    `file's vocabulary, ${perStep}`
  );
}

/** The generation panel's settings as typed (the seed is fixed so a prompt reproduces its text). */
export function readSampleSettings(values: FormValues): GenerateSettings {
  const num = (name: string): number => Number((values[name] ?? '').trim() || NaN);
  return {
    prompt: values.prompt ?? '',
    maxNewTokens: num('maxNewTokens'),
    temperature: num('temperature'),
    topK: num('topK'),
    topP: num('topP'),
    seed: 1337,
  };
}

/** What is wrong with generation settings, one sentence each (empty when they are usable). */
export function sampleProblems(s: GenerateSettings): string[] {
  const bad: string[] = [];
  if (!Number.isInteger(s.maxNewTokens) || s.maxNewTokens < 1 || s.maxNewTokens > 5000)
    bad.push('max new tokens must be a whole number from 1 to 5000');
  if (!(s.temperature > 0 && s.temperature <= 10)) bad.push('temperature must be in (0, 10]');
  if (!Number.isInteger(s.topK) || s.topK < 0) bad.push('top-k must be a whole number ≥ 0 (0 = off)');
  if (!(s.topP > 0 && s.topP <= 1)) bad.push('top-p must be in (0, 1]');
  return bad;
}
