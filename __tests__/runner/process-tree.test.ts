import { describe, expect, it } from 'vitest';
import { parseProcStat } from '../../src/runner/process-tree.js';

describe('parseProcStat', () => {
  it('reads the parent pid and start time even when the command name has spaces and parentheses', () => {
    const stat =
      '4242 (my (weird) name) S 17 4242 4242 0 -1 4194304 100 0 0 0 5 3 0 0 20 0 1 0 987654 1000 200';
    expect(parseProcStat(stat)).toEqual({ ppid: 17, start: 987654 });
  });

  it('reads this process from /proc', async () => {
    const { readFile } = await import('node:fs/promises');
    const parsed = parseProcStat(await readFile('/proc/self/stat', 'latin1'));
    expect(parsed?.ppid).toBe(process.ppid);
  });
});
