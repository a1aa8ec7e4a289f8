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
import { parseNumber, type NumberRule } from '../widgets/shared/parse';

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

/** Largest value of checkpoint every / sample every. */
const MAX_INTERVAL = 1e6;

/** The cell's own fields besides the config: how each is read (the label starts its message). */
const RUN_FIELDS = {
  checkpointEvery: { label: 'Checkpoint every', min: 1, max: MAX_INTERVAL, integer: true },
  sampleEvery: { label: 'Sample every', min: 0, max: MAX_INTERVAL, integer: true },
} as const satisfies Record<string, NumberRule>;

/** The generation panel's fields: how each is read (the label starts its message). */
const SAMPLE_FIELDS = {
  maxNewTokens: { label: 'Max new tokens', min: 1, max: 5000, integer: true },
  temperature: { label: 'Temperature', min: 0, minExclusive: true, max: 10 },
  topK: { label: 'Top-k', min: 0, integer: true, hint: ' 0 turns it off.' },
  topP: { label: 'Top-p', min: 0, minExclusive: true, max: 1 },
} as const satisfies Record<string, NumberRule>;

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
  for (const name of ['checkpointEvery', 'sampleEvery'] as const) {
    const r = parseNumber(values[name] ?? '', RUN_FIELDS[name]);
    if (r.ok) run[name] = r.value;
    else problems.set(name, r.message);
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

/** What is wrong with the typed generation settings, one sentence each in the widgets' wording (empty when usable). */
export function sampleProblems(values: FormValues): string[] {
  const names = Object.keys(SAMPLE_FIELDS) as (keyof typeof SAMPLE_FIELDS)[];
  return names.flatMap((name) => {
    const r = parseNumber(values[name] ?? '', SAMPLE_FIELDS[name]);
    return r.ok ? [] : [r.message];
  });
}
