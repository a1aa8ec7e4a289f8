// Print one closing line for the whole test run from the runners' JSON reports:
// "tests: N passed, N failed, N skipped" (unit + e2e). Exit non-zero if a report is missing.
import { readFileSync, existsSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];

if (existsSync('reports/vitest.json')) {
  const v = JSON.parse(readFileSync('reports/vitest.json', 'utf8'));
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += v.numPendingTests + (v.numTodoTests ?? 0);
  console.log(`unit (vitest): ${v.numPassedTests} passed, ${v.numFailedTests} failed`);
} else missing.push('reports/vitest.json');

for (const [label, file] of [
  ['e2e (playwright)', 'reports/playwright.json'],
  ['e2e under a sub-path (playwright)', 'reports/playwright-subpath.json'],
]) {
  if (!existsSync(file)) {
    missing.push(file);
    continue;
  }
  const s = JSON.parse(readFileSync(file, 'utf8')).stats;
  passed += s.expected + s.flaky;
  failed += s.unexpected;
  skipped += s.skipped;
  console.log(`${label}: ${s.expected + s.flaky} passed, ${s.unexpected} failed`);
}

if (missing.length) console.log(`missing reports: ${missing.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed || missing.length ? 1 : 0);
