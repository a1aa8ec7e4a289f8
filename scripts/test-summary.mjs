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

if (existsSync('reports/playwright.json')) {
  const s = JSON.parse(readFileSync('reports/playwright.json', 'utf8')).stats;
  passed += s.expected + s.flaky;
  failed += s.unexpected;
  skipped += s.skipped;
  console.log(`e2e (playwright): ${s.expected + s.flaky} passed, ${s.unexpected} failed`);
} else missing.push('reports/playwright.json');

if (missing.length) console.log(`missing reports: ${missing.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed || missing.length ? 1 : 0);
