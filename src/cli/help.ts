/** `reliability-metrics --help`: every flag from the one table, with its variable and default. */
import { CI_PROVIDERS } from '../ci/detect.js';
import { ACTION_VERSION } from '../version.js';
import { COMMAND_FLAGS, INPUT_FLAGS, type FlagSpec } from './flags.js';

const WIDTH = 100;
const COLUMN = 36;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

function usage(flag: FlagSpec): string {
  const value = flag.value !== undefined ? ` ${flag.value}` : '';
  if (flag.kind === 'boolean' && INPUT_FLAGS.includes(flag)) return `--[no-]${flag.name}`;
  const alias = flag.alias !== undefined ? `, --${flag.alias}` : '';
  const short = flag.short !== undefined ? `-${flag.short}, ` : '';
  return `${short}--${flag.name}${alias}${value}`;
}

function describe(flag: FlagSpec): string[] {
  const text = [
    flag.help,
    ...(flag.kind === 'list' ? ['Repeatable.'] : []),
    ...(flag.env !== undefined ? [`Environment: ${flag.env}.`] : []),
  ].join(' ');
  const head = `  ${usage(flag)}`;
  const body = wrap(text, WIDTH - COLUMN);
  const lines =
    head.length < COLUMN - 1
      ? [
          `${head.padEnd(COLUMN)}${body[0] ?? ''}`,
          ...body.slice(1).map((l) => ' '.repeat(COLUMN) + l),
        ]
      : [head, ...body.map((l) => ' '.repeat(COLUMN) + l)];
  return lines;
}

/** The help text. */
export function helpText(): string {
  return [
    `reliability-metrics ${ACTION_VERSION}`,
    'Runs a test suite, samples CPU and memory of its whole process tree, parses its reports and',
    'pushes the results with CI metadata to a Prometheus Pushgateway; writes a metrics file and a',
    'summary whether or not it pushes.',
    '',
    'Usage:',
    '  reliability-metrics run [flags] -- <test command...>',
    '  reliability-metrics run [flags] --command "<shell line>"',
    '  reliability-metrics --help | --version',
    '',
    'Flags of the run (each is the GitHub Action input of the same name; values as in action.yml):',
    ...INPUT_FLAGS.flatMap(describe),
    '',
    'Flags of the command:',
    ...COMMAND_FLAGS.flatMap(describe),
    '',
    ...wrap(
      'Secrets: pass the password, token and headers through their environment variables to keep them out of shell history and process lists. They are redacted from every line and never handed to the test command.',
      WIDTH,
    ),
    '',
    ...wrap(
      `CI: detected from its own variables (${CI_PROVIDERS.join(', ')}); outside any CI, the branch, commit and repository come from git. Relative paths are relative to the current directory.`,
      WIDTH,
    ),
    '',
    ...wrap(
      "Exit code: the test command's, by the action's rules (0 with --no-fail-on-test-failure); 1 when only --fail-on-push-error or --fail-on-report-error fails the run; 2 for an invalid command line.",
      WIDTH,
    ),
    '',
    'Example:',
    '  reliability-metrics run --pushgateway-url http://localhost:9091 -- pytest tests/reliability --junitxml=report.xml',
    '',
  ].join('\n');
}
