/** Words after -- reach the test command exactly as typed, whatever they hold. */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shellLine } from '../../src/cli/shell-line.js';
import { shellFor } from '../../src/runner/run-command.js';

/** Runs the line through the shell the core uses and returns the words printf saw. */
function wordsSeenBy(line: string): string[] {
  const [shell, args] = shellFor(line, 'linux');
  const out = execFileSync(shell, args, { encoding: 'utf8' });
  return out.split('\u0001').slice(0, -1);
}

describe('shellLine', () => {
  it('passes words with spaces, quotes, globs and $ through bash unchanged', () => {
    const words = ['a b', "it's", '"q"', '*.xml', '$HOME', '`id`', 'x;y', '', 'é✓', '\\n'];
    expect(wordsSeenBy(shellLine(['printf', '%s\\001', ...words], 'linux'))).toEqual(words);
  });

  it('round-trips any words (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 12 }), { minLength: 1, maxLength: 5 }),
        (words) => {
          const clean = words.map((w) => w.split('\u0000').join(''));
          expect(wordsSeenBy(shellLine(['printf', '%s\\001', ...clean], 'linux'))).toEqual(clean);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('takes a single word as a whole shell line', () => {
    expect(shellLine(['pytest -x && ./report.sh'], 'linux')).toBe('pytest -x && ./report.sh');
  });

  it('quotes for cmd on Windows', () => {
    expect(shellLine(['pytest', '-k', 'a "b"'], 'win32')).toBe('pytest -k "a ""b"""');
  });
});
