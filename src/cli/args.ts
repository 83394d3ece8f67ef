/**
 * Parses `reliability-metrics [run] [flags] -- <command...>` with `node:util`'s parseArgs into the
 * action's option names, so the core validates flags exactly as it validates inputs.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { COMMAND_FLAGS, INPUT_FLAGS, type FlagSpec } from './flags.js';
import { shellLine } from './shell-line.js';

/** A command line that cannot be run: exit code 2, with the message and a pointer to --help. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** What the command line asks for. */
export type Invocation =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | {
      readonly kind: 'run';
      /** Option values by action input name, as the action's runner would give them. */
      readonly values: ReadonlyMap<string, string>;
      /** Where each given value came from (`--flag` or the environment variable), for errors. */
      readonly sources: ReadonlyMap<string, string>;
      readonly summaryFile?: string;
      readonly verbose: boolean;
    };

type Options = NonNullable<ParseArgsConfig['options']>;

function parseConfig(): Options {
  const options: Options = {};
  for (const flag of [...INPUT_FLAGS, ...COMMAND_FLAGS]) {
    if (flag.kind === 'boolean') {
      options[flag.name] = {
        type: 'boolean',
        ...(flag.short !== undefined && { short: flag.short }),
      };
    } else {
      options[flag.name] = { type: 'string', multiple: flag.kind === 'list' };
      if (flag.alias !== undefined) options[flag.alias] = { type: 'string', multiple: true };
    }
  }
  // Negations only for the action's boolean inputs (some default to true).
  for (const flag of INPUT_FLAGS.filter((f) => f.kind === 'boolean')) {
    options[`no-${flag.name}`] = { type: 'boolean' };
  }
  return options;
}

/** Rewords parseArgs' errors so each names the flag and what to do. */
function usageFrom(error: unknown): UsageError {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const flag = /'(-[^' ]+)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return new UsageError(
      `unknown flag ${flag}: see reliability-metrics --help (flags of the test command go after --).`,
    );
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/does not take an argument/.test(message)) {
      const name = flag.replace(/^--(no-)?/, '');
      return new UsageError(
        `${flag} takes no value: write --${name} to turn it on${INPUT_FLAGS.some((f) => f.name === name) ? ` or --no-${name} to turn it off` : ''}.`,
      );
    }
    return new UsageError(`${flag} needs a value: ${flag} <value> or ${flag}=<value>.`);
  }
  return new UsageError(message);
}

/** Reads the environment variables of the flags that were not given on the command line. */
function fromEnvironment(
  flag: FlagSpec,
  env: NodeJS.ProcessEnv,
  values: Map<string, string>,
  sources: Map<string, string>,
): void {
  if (flag.env === undefined || values.has(flag.name)) return;
  const value = env[flag.env];
  if (value === undefined || value === '') return;
  values.set(flag.name, value);
  sources.set(flag.name, flag.env);
}

/** Parses `argv` (without node and the script); `env` supplies the secrets' variables. */
export function parseInvocation(argv: readonly string[], env: NodeJS.ProcessEnv): Invocation {
  // Help first, even next to a flag that would be refused: it is what the user needs then.
  const end = argv.indexOf('--');
  const flags = end < 0 ? argv : argv.slice(0, end);
  if (flags.includes('--help') || flags.includes('-h')) return { kind: 'help' };
  if (flags.includes('--version')) return { kind: 'version' };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: parseConfig(),
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
  } catch (error) {
    throw usageFrom(error);
  }
  const tokens = parsed.tokens ?? [];
  const terminator = tokens.findIndex((token) => token.kind === 'option-terminator');
  const before = tokens.filter(
    (token, index) => token.kind === 'positional' && (terminator < 0 || index < terminator),
  );
  const after = terminator < 0 ? [] : argv.slice(tokens[terminator]?.index ?? argv.length).slice(1);

  const [subcommand, ...extra] = before.map((token) =>
    token.kind === 'positional' ? token.value : '',
  );
  if (subcommand === undefined) {
    throw new UsageError('no subcommand: use reliability-metrics run [flags] -- <test command>.');
  }
  if (subcommand !== 'run') throw new UsageError(`unknown subcommand '${subcommand}': use run.`);
  if (extra.length > 0) {
    throw new UsageError(
      `unexpected argument '${extra[0] ?? ''}': put the test command after --, as in run -- pytest -x.`,
    );
  }

  const values = new Map<string, string>();
  const sources = new Map<string, string>();
  // Tokens keep the order of repeated flags across both spellings (--grouping-label, --grouping-labels).
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const flag = INPUT_FLAGS.find(
      (f) => f.name === token.name || f.alias === token.name || `no-${f.name}` === token.name,
    );
    if (flag === undefined) continue;
    const value = flag.kind === 'boolean' ? String(token.name === flag.name) : (token.value ?? '');
    const previous = values.get(flag.name);
    values.set(
      flag.name,
      flag.kind === 'list' && previous !== undefined ? `${previous}\n${value}` : value,
    );
    sources.set(flag.name, `--${token.name}`);
  }
  for (const flag of INPUT_FLAGS) fromEnvironment(flag, env, values, sources);

  if (after.length > 0) {
    if (values.has('command')) {
      throw new UsageError('--command and a command after -- were both given: keep one.');
    }
    values.set('command', shellLine(after));
    sources.set('command', 'the command after --');
  }
  const summaryFile = parsed.values['summary-file'];
  return {
    kind: 'run',
    values,
    sources,
    ...(typeof summaryFile === 'string' && { summaryFile }),
    verbose: parsed.values.verbose === true,
  };
}
