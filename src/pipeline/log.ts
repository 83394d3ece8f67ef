/**
 * Where the core writes what it is doing. The core never prints: each adapter (the action, the
 * command) gives it a log that speaks its own medium (workflow commands, a terminal).
 */

/** Progress lines of a run. Warnings are not logged here: every phase returns its own. */
export interface Log {
  /** A line of progress for people reading the log. */
  info(message: string): void;
  /** Detail for whoever debugs the run (`ACTIONS_STEP_DEBUG`, `--verbose`). */
  debug(message: string): void;
  /** Runs `body` with its output folded under `title` where the medium can fold. */
  group<T>(title: string, body: () => Promise<T>): Promise<T>;
}

/** A log that drops everything, for callers that only want the result. */
export const SILENT_LOG: Log = {
  info: () => undefined,
  debug: () => undefined,
  group: (_title, body) => body(),
};
