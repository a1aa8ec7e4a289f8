/**
 * A chapter's "last updated" date, read from git at build time: the committer date of the last commit that
 * touched the file. Null (the page then shows no date) when git or its history is unavailable — no git
 * binary, not a repository, an uncommitted file, or a shallow clone (CI checkouts of depth 1 would date
 * every file to the one commit they hold).
 */
import { execFileSync } from 'node:child_process';

/** Run git with `args` and return its trimmed output, or null when it fails. */
function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

let shallow: boolean | null = null;

/** The ISO date (YYYY-MM-DD) `file` was last committed, or null when git cannot say truthfully. */
export function lastUpdated(file: string | undefined): string | null {
  if (!file) return null;
  shallow ??= git(['rev-parse', '--is-shallow-repository']) !== 'false';
  if (shallow) return null;
  return parseGitDate(git(['log', '-1', '--format=%cI', '--', file]));
}

/** `git log --format=%cI` output → its calendar date (YYYY-MM-DD, as committed), or null when there is none. */
export function parseGitDate(output: string | null): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}/.exec(output ?? '');
  return m ? m[1] : null;
}
