#!/usr/bin/env node
/**
 * Records a real training run of the capstone's GPT (src/model, the notes' architecture at the `tiny`
 * preset's size) on the tfjs CPU backend and writes its loss estimates to src/data/loss-curve.json for the
 * loss-curve figures of chapters 8 and 11. Each evaluation stores train and val loss; the file also stores
 * where the notes' convergence check (notesConvergenceFlags) and the corrected check (ConvergenceDetector,
 * patience on the best val loss) fire. The figure recomputes both from the losses at build time; the stored
 * verdicts are there for a reader of the JSON.
 *
 * To show overfitting within minutes on two shared cores, the model trains on a small slice of the Brown
 * training text (TRAIN_CHARS characters) and is validated on a slice of the held-out documents. The run is
 * deterministic for a given seed and backend.
 *
 * usage: node scripts/prepare-corpus.mjs && node scripts/record-loss-curve.mjs [--steps N] [--out FILE]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { format } from 'prettier';
import { withTfjsCpu } from './lib/tfjs-cpu-node.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : dflt;
};
const steps = Number(opt('--steps', 3000));
const out = opt('--out', 'src/data/loss-curve.json');
const TRAIN_CHARS = Number(opt('--train-chars', 60_000));
const VAL_CHARS = 60_000;

await withTfjsCpu(async (load) => {
  const m = await load('/src/model/index.ts');
  const { createTfjsEngine } = await load('/src/model/tfjs/index.ts');
  const trainText = readFileSync('public/data/brown/train.txt', 'utf8').slice(0, TRAIN_CHARS);
  const valText = readFileSync('public/data/brown/val.txt', 'utf8').slice(0, VAL_CHARS);
  const vocab = m.buildVocab(trainText + valText);
  const cfg = {
    ...m.presets.tiny,
    vocabSize: vocab.size,
    dropout: 0,
    maxIters: steps,
    evalInterval: 100,
    evalIters: 20,
  };
  const engine = await createTfjsEngine(cfg);
  const data = m.memoryBatches(m.encode(trainText, vocab).ids, m.encode(valText, vocab).ids, cfg);
  const evals = [];
  let converged = null;
  const t0 = Date.now();
  const result = await m.train(engine, {
    data,
    stopOnConvergence: false,
    onEval: (e) => {
      evals.push({ step: e.step, train: +e.train.toFixed(4), val: +e.val.toFixed(4) });
      console.log(
        `step ${e.step}: train ${e.train.toFixed(4)} val ${e.val.toFixed(4)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
      );
    },
    onConvergence: (e) => {
      converged = { step: e.step, bestStep: e.bestStep, bestVal: +e.bestVal.toFixed(4) };
    },
  });
  engine.dispose?.();
  const notesFlags = m.notesConvergenceFlags(evals.map((e) => e.train));
  const record = {
    what: 'Train and val loss of the capstone GPT (src/model) recorded by scripts/record-loss-curve.mjs',
    command: `node scripts/record-loss-curve.mjs --steps ${steps} --train-chars ${TRAIN_CHARS}`,
    backend: 'tfjs cpu (Node)',
    corpus: `Brown: first ${TRAIN_CHARS} characters of train.txt, first ${VAL_CHARS} of val.txt`,
    config: cfg,
    convergence: { ...m.CONVERGENCE_DEFAULTS },
    evals,
    notesFires: evals.filter((_, i) => notesFlags[i]).map((e) => e.step),
    correctedFires: converged,
    stop: result.reason,
  };
  writeFileSync(out, await format(JSON.stringify(record), { parser: 'json' })); // as `npm run lint` wants it
  console.log(`wrote ${out}: ${evals.length} evaluations, corrected check at ${converged?.step ?? 'never'}`);
});
