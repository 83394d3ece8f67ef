/**
 * Turns the runner's cancellation signals into an AbortSignal: on cancel the runner sends SIGINT,
 * then SIGTERM, then kills. The first one starts the shutdown; later ones must not end the action
 * before it has pushed what it has.
 */

/** Installs the handlers; `dispose` removes them. */
export function onCancellation(log: (message: string) => void): {
  signal: AbortSignal;
  dispose: () => void;
} {
  const controller = new AbortController();
  const handler = (signal: NodeJS.Signals): void => {
    if (!controller.signal.aborted) {
      log(
        `Received ${signal}: cancelling the run (the test command's process tree is ended if it runs); what was measured is still written and pushed.`,
      );
      controller.abort(signal);
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
