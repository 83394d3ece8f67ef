/**
 * The words given after `--` as one line for the shell the core runs commands in (bash, or cmd on
 * Windows), each word passed through as it was typed. One word is taken as a whole shell line, so
 * `-- "pytest -x && ./report.sh"` works as `--command` does.
 */

/** Words that need no quoting in either shell. */
const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

function quotePosix(word: string): string {
  return PLAIN.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function quoteCmd(word: string): string {
  // cmd.exe and the C runtime's argv rules: double quotes, inner quotes doubled.
  return PLAIN.test(word) ? word : `"${word.replace(/"/g, '""')}"`;
}

/** Joins `words` into a command line for the platform's shell. */
export function shellLine(
  words: readonly string[],
  platform: NodeJS.Platform = process.platform,
): string {
  if (words.length === 1) return words[0] ?? '';
  const quote = platform === 'win32' ? quoteCmd : quotePosix;
  return words.map(quote).join(' ');
}
