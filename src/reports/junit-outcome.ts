/**
 * The outcome of one JUnit `<testcase>`: its outcome elements, decided by severity, and the
 * `status`/`result` attributes that C++ frameworks write instead of a `<skipped>` child.
 */
import type { TestStatus } from '../model.js';

/** Child elements of `<testcase>` that carry an outcome. */
export type Outcome = 'failure' | 'error' | 'skipped';

/** Which outcome decides when a testcase has several: the most severe, whatever the order. */
const SEVERITY: Readonly<Record<Outcome, number>> = { skipped: 1, failure: 2, error: 3 };

/**
 * `status`/`result` attribute values of a `<testcase>` that mean it did not run, though it has no
 * `<skipped>` child: GoogleTest writes `status="notrun" result="suppressed"` for a disabled test,
 * CTest and C++ frameworks write `status="disabled"` or `status="notrun"`.
 */
const NOT_RUN_ATTRIBUTES: ReadonlySet<string> = new Set([
  'disabled',
  'skipped',
  'notrun',
  'suppressed',
]);

/** What decides a testcase's status, as read so far. */
export interface OutcomeState {
  readonly outcome: Outcome | undefined;
  /** First line of the deciding outcome's message. */
  readonly message: string | undefined;
  /** `type` attribute of the deciding outcome element (`pytest.xfail`). */
  readonly skipType: string | undefined;
  /** The testcase's own `status` or `result` attribute says it did not run. */
  readonly notRun: boolean;
  /** `<flakyFailure>`/`<flakyError>` children: failed runs before a pass. */
  readonly flakyRuns: number;
}

/** Whether outcome element `next` decides over the one seen so far (the first of equals stays). */
export function outranks(next: Outcome, current: Outcome | undefined): boolean {
  return current === undefined || SEVERITY[next] > SEVERITY[current];
}

/** Whether a testcase's `status` or `result` attribute says it did not run. */
export function notRun(attributes: Readonly<Record<string, string>>): boolean {
  for (const name of ['status', 'result']) {
    const value = attributes[name];
    if (value !== undefined && NOT_RUN_ATTRIBUTES.has(value.trim().toLowerCase())) return true;
  }
  return false;
}

/** The status of a testcase once it is closed. */
export function statusOf(state: OutcomeState): TestStatus {
  switch (state.outcome) {
    case 'failure':
      // pytest reports a strict xfail that passed as a failure with this message.
      return state.message?.startsWith('[XPASS(strict)]') === true ? 'xpassed' : 'failed';
    case 'error':
      return 'error';
    case 'skipped':
      return state.skipType === 'pytest.xfail' ? 'xfailed' : 'skipped';
    default:
      if (state.notRun) return 'skipped';
      return state.flakyRuns > 0 ? 'flaky' : 'passed';
  }
}
