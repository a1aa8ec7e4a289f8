import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { lastUpdated, parseGitDate } from '../../../src/site/last-updated';

describe('parseGitDate', () => {
  it.each([
    ['2026-12-04T11:37:09+00:00', '2026-12-04'],
    ['2026-01-31T23:59:59-08:00\n', '2026-01-31'],
    ['', null],
    [null, null],
    ['fatal: not a git repository', null],
  ])('%j → %j', (out, expected) => {
    expect(parseGitDate(out)).toBe(expected);
  });
});

describe('lastUpdated', () => {
  it('is null without a file, or for one git does not know', () => {
    expect(lastUpdated(undefined)).toBeNull();
    expect(lastUpdated('content/chapters/no-such-chapter.mdx')).toBeNull();
  });
  it('dates a committed chapter, or says nothing in a shallow clone', () => {
    const shallow = execFileSync('git', ['rev-parse', '--is-shallow-repository'], {
      encoding: 'utf8',
    }).trim();
    const date = lastUpdated('content/chapters/00-start-here.mdx');
    if (shallow === 'false') expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    else expect(date).toBeNull();
  });
});
