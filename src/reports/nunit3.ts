/**
 * NUnit 3 result XML (`<test-run>`), as written by nunit3-console, the NUnit 3 VSTest adapter and
 * NUnitLite: nested `<test-suite>`s and `<test-case>`s with `result`, `label`, `duration`,
 * `<failure><message>`, `<reason><message>` and `<properties>`. Streamed (see xml-stream.ts).
 * Format: https://docs.nunit.org/articles/nunit/technical-notes/usage/Test-Result-XML-Format.html
 */
import type { TestCase, TestStatus } from '../model.js';
import { messageOf, nameUnder, splitQualifiedName } from './dotnet-names.js';
import { FigureSink } from './figures.js';
import { detach, Interner, parseSeconds, testId } from './ids.js';
import { type ParsedReport, type ReportParser } from './types.js';
import { streamXml, xmlRootIs, type XmlElement, type XmlFormat } from './xml-stream.js';
import { TestTable } from '../tables/test-table.js';

const FORMAT: XmlFormat = { label: 'NUnit 3 XML', roots: ['test-run'] };

/** Most warnings about unknown results kept per report. */
const MAX_STATUS_WARNINGS = 100;

/**
 * Our status for an NUnit 3 `result` and `label`. NUnit's ResultState has a status (Passed,
 * Failed, Skipped, Inconclusive, Warning) and a label that refines it.
 */
export function nunit3Status(result: string, label: string): TestStatus | undefined {
  switch (result) {
    case 'Passed':
      return 'passed';
    case 'Failed':
      // Error: an unexpected exception; Invalid: the test could not run (bad signature or
      // arguments); Cancelled: the run was stopped under it. None is an assertion failure.
      return label === 'Error' || label === 'Invalid' || label === 'Cancelled' ? 'error' : 'failed';
    case 'Skipped':
      // Ignored, Explicit (not selected) or plain skipped: not run.
      return 'skipped';
    case 'Inconclusive':
      // Assert.Inconclusive: the test could not decide, and NUnit does not fail the run for it.
      return 'skipped';
    case 'Warning':
      // Assert.Warn / Warn.If: the test ran to the end and passed, with an advisory message.
      return 'passed';
    default:
      return undefined;
  }
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
  // A passed test's message (Assert.Pass, a warning) says nothing about a failure.
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

/** Where a `<message>` inside a test case sits. */
type MessageOwner = 'failure' | 'reason' | undefined;

/**
 * Class and id of a test case. The fullname is unique where classname and name are not (one
 * class run as several parameterised fixtures, `Ns.Store("redis").Saves(1)`), so the class is
 * the fullname without the name when it ends with it, which NUnit 2 gives too.
 */
function identity(tag: XmlElement, strings: Interner): { classname: string; id: string } {
  const attrs = tag.attributes;
  const fullname = attrs.fullname ?? '';
  const name = attrs.name ?? '';
  let classname: string;
  if (name !== '' && fullname.endsWith(`.${name}`)) {
    classname = fullname.slice(0, -name.length - 1);
  } else {
    classname = attrs.classname ?? splitQualifiedName(fullname).classname;
  }
  const shared = strings.get(classname);
  const short = name === '' ? nameUnder(shared, fullname) : name;
  return { classname: shared, id: detach(testId(shared, short)) };
}

/**
 * Streams one NUnit 3 result file into tests and figures. `<properties>` of a test case become
 * figures of that test; those of a test suite figures whose `test` is the suite's full name.
 * Suites themselves are not tests.
 */
export async function parseNunit3(filePath: string): Promise<ParsedReport> {
  const tests = new TestTable();
  const sink = new FigureSink();
  const strings = new Interner();
  /** Full names of the open suites, for suite-level properties. */
  const suites: string[] = [];
  let current: OpenCase | undefined;
  let messageOwner: MessageOwner;
  let statusWarnings = 0;

  await streamXml(filePath, FORMAT, {
    open(tag, text) {
      const attrs = tag.attributes;
      switch (tag.name) {
        case 'test-suite':
          // An assembly's fullname is its path on the machine that ran it: its name is stabler.
          suites.push(
            strings.get(
              (attrs.type === 'Assembly' ? attrs.name : attrs.fullname) ?? attrs.name ?? '',
            ),
          );
          return;
        case 'test-case': {
          const { classname, id } = identity(tag, strings);
          const result = attrs.result ?? '';
          let status = nunit3Status(result, attrs.label ?? '');
          if (status === undefined) {
            if (statusWarnings++ < MAX_STATUS_WARNINGS) {
              sink.warnings.push(`test "${id}": result "${result}" counted as skipped`);
            }
            status = 'skipped';
          }
          current = {
            id,
            name: classname === '' ? id : id.slice(classname.length + 1),
            classname,
            status,
            duration: parseSeconds(attrs.duration),
            message: undefined,
          };
          return;
        }
        case 'failure':
        case 'reason':
          if (current !== undefined && current.message === undefined) messageOwner = tag.name;
          return;
        case 'message':
          if (current !== undefined && messageOwner !== undefined && !tag.selfClosing) text.start();
          return;
        case 'property': {
          const owner = current?.id ?? suites.at(-1) ?? '';
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
          if (text.active && current !== undefined) {
            current.message ??= messageOf(text.take());
            messageOwner = undefined;
          }
          return;
        case 'failure':
        case 'reason':
          messageOwner = undefined;
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
  return { format: 'nunit3', tests, figures: sink.figures, warnings: sink.warnings };
}

/** Parser of NUnit 3 result XML. */
export const nunit3Parser: ReportParser = {
  format: 'nunit3',
  detect: (head) => xmlRootIs(head, FORMAT.roots),
  parse: parseNunit3,
};
