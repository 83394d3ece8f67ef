import { describe, expect, it } from 'vitest';

import {
  countByStatus,
  durationAt,
  statusAt,
  TEST_STATUSES,
  type TestCase,
} from '../../src/model.js';
import { TestTable } from '../../src/tables/test-table.js';

function sample(count: number): TestCase[] {
  return Array.from({ length: count }, (_, i) => ({
    id: i % 5 === 0 ? `test_${i}` : `pkg.Class${i % 13}.test_${i}`,
    name: `test_${i}`,
    classname: i % 5 === 0 ? '' : `pkg.Class${i % 13}`,
    file: i % 4 === 0 ? undefined : `tests/test_${i % 9}.py`,
    line: i % 3 === 0 ? undefined : i + 1,
    status: TEST_STATUSES[i % TEST_STATUSES.length] ?? 'passed',
    durationSeconds: i % 6 === 0 ? undefined : i / 1000,
    message: i % 10 === 0 ? `AssertionError: ${i} != ${i + 1} ✗` : undefined,
    retries: i % 11 === 0 ? 2 : undefined,
  }));
}

describe('TestTable', () => {
  it('gives back every test as it was added, over several blocks of rows', () => {
    const tests = sample(40_000);
    const table = TestTable.from(tests);
    expect(table.length).toBe(40_000);
    expect(table.toArray()).toEqual(tests);
    expect(table.at(-1)).toEqual(tests.at(-1));
    expect(table.at(40_000)).toBeUndefined();
  });

  it('keeps a name that is not the end of its id', () => {
    const test: TestCase = {
      id: 'Suite > renders',
      name: 'renders (chromium)',
      classname: 'Suite',
      status: 'passed',
    };
    expect(TestTable.from([test]).at(0)).toEqual(test);
  });

  it('reads status and duration from their columns, as countByStatus and the histogram do', () => {
    const tests = sample(1_000);
    const table = TestTable.from(tests);
    for (const row of [0, 1, 6, 999]) {
      expect(statusAt(table, row)).toBe(tests[row]?.status);
      expect(durationAt(table, row)).toBe(tests[row]?.durationSeconds);
    }
    expect(countByStatus(table)).toEqual(countByStatus(tests));
  });

  it('replaces a row (a merged test) and rewrites files once per distinct file', () => {
    const table = TestTable.from(sample(100));
    const merged: TestCase = {
      id: 'pkg.Class1.test_1',
      name: 'test_1',
      classname: 'pkg.Class1',
      status: 'flaky',
      retries: 1,
    };
    table.set(1, merged);
    expect(table.at(1)).toEqual(merged);
    const seen: string[] = [];
    table.mapFiles((file) => {
      seen.push(file);
      return `sub/${file}`;
    });
    expect(seen).toHaveLength(new Set(seen).size);
    expect(table.at(2)?.file).toBe('sub/tests/test_2.py');
    expect(table.at(4)?.file).toBeUndefined();
  });

  it('refuses an unknown status and a row past the end', () => {
    const table = new TestTable();
    const bad = { id: 'a', name: 'a', classname: '', status: 'weird' } as unknown as TestCase;
    expect(() => {
      table.push(bad);
    }).toThrow(/unknown test status weird/);
    expect(() => {
      table.set(3, { id: 'a', name: 'a', classname: '', status: 'passed' });
    }).toThrow(RangeError);
  });
});
