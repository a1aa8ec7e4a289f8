import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../../golden/lib/', import.meta.url));
const SPECIAL: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** Load tests/golden/lib/<name>.json (written by scripts/reference/lib_goldens.py), reviving NaN/±Infinity. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function loadGolden(name: string): any {
  const text = readFileSync(`${dir}${name}.json`, 'utf8');
  return JSON.parse(text, (_key, value) =>
    typeof value === 'string' && value in SPECIAL ? SPECIAL[value] : value,
  );
}
