import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  countByStatus,
  FAILING_STATUSES,
  isSuccess,
  outputCounts,
  TEST_STATUSES,
} from '../src/model.js';
import { TestTable } from '../src/tables/test-table.js';

describe('countByStatus and outputCounts', () => {
  it('count every status, and the output counts add up to the total', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TEST_STATUSES)), (statuses) => {
        const tests = statuses.map((status, i) => ({
          id: `t${i}`,
          name: `t${i}`,
          classname: '',
          status,
        }));
        const counts = countByStatus(tests);
        // The table the parsers fill counts the same, from its status column.
        expect(countByStatus(TestTable.from(tests))).toEqual(counts);
        for (const status of TEST_STATUSES) {
          expect(counts[status]).toBe(statuses.filter((s) => s === status).length);
        }
        const out = outputCounts(counts);
        expect(out.total).toBe(statuses.length);
        expect(out.passed + out.failed + out.skipped + out.flaky + out.xfailed + out.other).toBe(
          out.total,
        );
        // tests-failed is every status that fails a run, xpassed included.
        expect(out.failed).toBe(statuses.filter((s) => FAILING_STATUSES.has(s)).length);
      }),
    );
  });

  it('gives every status, zero when absent', () => {
    expect(countByStatus([{ id: 'a', name: 'a', classname: '', status: 'xpassed' }])).toEqual({
      passed: 0,
      failed: 0,
      error: 0,
      skipped: 0,
      xfailed: 0,
      xpassed: 1,
      flaky: 0,
      other: 0,
    });
  });
});

describe('isSuccess', () => {
  it('is the command verdict: exit 0, neither timed out nor cancelled', () => {
    const ok = { exitCode: 0, timedOut: false, cancelled: false };
    expect(isSuccess(ok)).toBe(true);
    expect(isSuccess({ ...ok, exitCode: 1 })).toBe(false);
    expect(isSuccess({ ...ok, timedOut: true })).toBe(false);
    expect(isSuccess({ ...ok, cancelled: true })).toBe(false);
  });
});
