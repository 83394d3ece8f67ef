/**
 * NUnit 2 result XML (`<test-results>`, the NUnit 2.5 schema), as written by nunit-console 2.x,
 * Pester and other tools that adopted it: `<test-suite>`s holding `<results>` with `<test-case>`s
 * that carry `executed`, `result`, `success`, `time`, `<failure><message>`,
 * `<reason><message>` and `<properties>`. Streamed (see xml-stream.ts).
 */
import type { TestCase, TestStatus } from '../model.js';
import { messageOf, nameUnder, splitQualifiedName } from './dotnet-names.js';
import { FigureSink } from './figures.js';
import { detach, Interner, parseSeconds, testId } from './ids.js';
import { type ParsedReport, type ReportParser } from './types.js';
import { streamXml, xmlRootIs, type XmlFormat } from './xml-stream.js';
import { TestTable } from '../tables/test-table.js';

const FORMAT: XmlFormat = { label: 'NUnit 2 XML', roots: ['test-results'] };

/** Most warnings about unknown results kept per report. */
const MAX_STATUS_WARNINGS = 100;

/** Suite types whose names, joined with dots, form the class name of the tests inside. */
const CLASS_SUITES: ReadonlySet<string> = new Set([
  'Namespace',
  'TestFixture',
  'ParameterizedFixture',
  'GenericFixture',
  'SetUpFixture',
]);

/** Suites whose TestFixture children are instances of them, named in full. */
const INSTANCE_PARENTS: ReadonlySet<string> = new Set(['ParameterizedFixture', 'GenericFixture']);

/** Our status for each NUnit 2 `result` (NUnit 2.5+ ResultState). */
const RESULTS: Readonly<Record<string, TestStatus>> = {
  Success: 'passed',
  Failure: 'failed',
  // An exception other than an assertion.
  Error: 'error',
  Ignored: 'skipped',
  // Assert.Inconclusive: no verdict, and nunit-console does not fail the run for it.
  Inconclusive: 'skipped',
  // A test that cannot be run (wrong signature, no arguments): nunit-console counts it as invalid
  // and fails the run, as for an error.
  NotRunnable: 'error',
  Skipped: 'skipped',
  // The run was stopped while the test ran: it did not reach a verdict.
  Cancelled: 'error',
};

/**
 * Our status from `result`, or from `executed`/`success` when `result` is absent (writers of the
 * older 2.2 schema).
 */
function statusOf(attrs: Readonly<Record<string, string>>): TestStatus | undefined {
  const result = attrs.result;
  if (result !== undefined) return RESULTS[result];
  if (attrs.executed === 'False') return 'skipped';
  if (attrs.success === 'True') return 'passed';
  if (attrs.success === 'False') return 'failed';
  return undefined;
}

interface OpenCase {
  readonly id: string;
  readonly name: string;
  readonly classname: string;
  readonly status: TestStatus;
  readonly duration: number | undefined;
  message: string | undefined;
}

function finish(open: OpenCase): TestCase {
  const message = open.status === 'passed' ? undefined : open.message;
  return {
    id: open.id,
    name: open.name,
    classname: open.classname,
    status: open.status,
    durationSeconds: open.duration,
    message,
  };
}

/**
 * Streams one NUnit 2 result file into tests and figures. A test case's `name` is its full name
 * (`Namespace.Class.Method(args)`); the class is the path of namespace and fixture suites around
 * it, or, when the name does not start with it, the name up to its last dot before any argument.
 */
export async function parseNunit2(filePath: string): Promise<ParsedReport> {
  const tests = new TestTable();
  const sink = new FigureSink();
  const strings = new Interner();
  /** Open suites: their name, and whether it is part of the class name. */
  const suites: { name: string; type: string; inClass: boolean }[] = [];
  let current: OpenCase | undefined;
  let inMessageOwner = false;
  let statusWarnings = 0;

  const classPath = (): string =>
    suites
      .filter((suite) => suite.inClass && suite.name !== '')
      .map((suite) => suite.name)
      .join('.');

  await streamXml(filePath, FORMAT, {
    open(tag, text) {
      const attrs = tag.attributes;
      switch (tag.name) {
        case 'test-suite': {
          const type = attrs.type ?? '';
          const parent = suites.at(-1);
          // An instance of a parameterised or generic fixture (`Store("redis")`) names the class
          // in place of its parent (`Store`).
          if (type === 'TestFixture' && parent !== undefined && INSTANCE_PARENTS.has(parent.type)) {
            parent.inClass = false;
          }
          suites.push({ name: attrs.name ?? '', type, inClass: CLASS_SUITES.has(type) });
          return;
        }
        case 'test-case': {
          const full = attrs.name ?? '';
          const path = classPath();
          const split = full.startsWith(`${path}.`) ? undefined : splitQualifiedName(full);
          const classname = strings.get(split?.classname ?? path);
          const id = detach(testId(classname, split?.name ?? nameUnder(classname, full)));
          let status = statusOf(attrs);
          if (status === undefined) {
            if (statusWarnings++ < MAX_STATUS_WARNINGS) {
              sink.warnings.push(`test "${id}": result "${attrs.result ?? ''}" counted as skipped`);
            }
            status = 'skipped';
          }
          current = {
            id,
            name: classname === '' ? id : id.slice(classname.length + 1),
            classname,
            status,
            duration: parseSeconds(attrs.time),
            message: undefined,
          };
          return;
        }
        case 'failure':
        case 'reason':
          inMessageOwner = current !== undefined && current.message === undefined;
          return;
        case 'message':
          if (inMessageOwner && !tag.selfClosing) text.start();
          return;
        case 'property': {
          const owner = current?.id ?? classPath();
          if (attrs.name !== undefined) sink.add(owner, attrs.name, attrs.value);
          return;
        }
        default:
          return;
      }
    },
    close(name, text) {
      switch (name) {
        case 'message':
          if (text.active && current !== undefined) current.message ??= messageOf(text.take());
          return;
        case 'failure':
        case 'reason':
          inMessageOwner = false;
          return;
        case 'test-case':
          if (current !== undefined) tests.push(finish(current));
          current = undefined;
          return;
        case 'test-suite':
          suites.pop();
          return;
        default:
          return;
      }
    },
  });
  return { format: 'nunit2', tests, figures: sink.figures, warnings: sink.warnings };
}

/** Parser of NUnit 2 result XML. */
export const nunit2Parser: ReportParser = {
  format: 'nunit2',
  detect: (head) => xmlRootIs(head, FORMAT.roots),
  parse: parseNunit2,
};
