/**
 * The core's log on a terminal: progress on stderr (stdout is the test command's), colour only on
 * a TTY and never with NO_COLOR, debug lines with --verbose, every line redacted. Inside a GitHub
 * Actions `run:` step, groups fold and warnings become annotations as they do for the action.
 */
import type { Log } from '../pipeline/log.js';
import { redact } from '../pipeline/secrets.js';

/** Text styles; identity functions when colour is off. */
export interface Style {
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
  readonly yellow: (text: string) => string;
}

const sgr =
  (open: number, close: number) =>
  (text: string): string =>
    `\u001b[${open}m${text}\u001b[${close}m`;

const PLAIN: Style = {
  bold: (t) => t,
  dim: (t) => t,
  red: (t) => t,
  green: (t) => t,
  yellow: (t) => t,
};
const COLOURED: Style = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  red: sgr(31, 39),
  green: sgr(32, 39),
  yellow: sgr(33, 39),
};

/** Colour on a TTY unless NO_COLOR is set to anything (no-color.org) or the terminal is dumb. */
export function wantsColour(isTty: boolean, env: NodeJS.ProcessEnv): boolean {
  return isTty && (env.NO_COLOR ?? '') === '' && env.TERM !== 'dumb';
}

/** The style for a stream. */
export function styleFor(colour: boolean): Style {
  return colour ? COLOURED : PLAIN;
}

/** Control characters from reports or commands must not drive the user's terminal. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '�');
}

/** Where and how the command writes its own lines. */
export interface TerminalOptions {
  readonly write: (line: string) => void;
  readonly style: Style;
  readonly verbose: boolean;
  /** Speak GitHub's workflow commands (a `run:` step). */
  readonly github: boolean;
  readonly secrets: readonly string[];
}

/** Escapes a workflow command's data, as @actions/core does. */
function commandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** The terminal's log, plus warnings (which the core returns rather than logs). */
export interface TerminalLog extends Log {
  warning(message: string): void;
  error(message: string): void;
}

/** A log writing through `options.write`. */
export function terminalLog(options: TerminalOptions): TerminalLog {
  const { write, style, github } = options;
  const clean = (message: string): string => printable(redact(message, options.secrets));
  return {
    info: (message) => {
      write(clean(message));
    },
    debug: (message) => {
      if (options.verbose) write(style.dim(`debug: ${clean(message)}`));
      else if (github) write(`::debug::${commandData(redact(message, options.secrets))}`);
    },
    warning: (message) => {
      if (github) write(`::warning::${commandData(redact(message, options.secrets))}`);
      else write(style.yellow(`warning: ${clean(message)}`));
    },
    error: (message) => {
      if (github) write(`::error::${commandData(redact(message, options.secrets))}`);
      else write(style.red(`error: ${clean(message)}`));
    },
    group: async (title, body) => {
      write(github ? `::group::${clean(title)}` : style.bold(`▸ ${clean(title)}`));
      try {
        return await body();
      } finally {
        if (github) write('::endgroup::');
      }
    },
  };
}
