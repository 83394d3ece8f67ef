/**
 * The CI run a suite is part of, whatever the CI: its fields become grouping labels and
 * `*_run_info` labels. Each CI has a reader beside this file that fills it from its environment.
 */

/** CI metadata that becomes grouping labels and `*_run_info` labels. */
export interface CiContext {
  /** Which CI filled this context (`github-actions`, `local`, …). */
  readonly provider: string;
  /** `owner/name` of the repository. */
  readonly repository: string;
  /** Source branch of a pull request, else the branch or tag that triggered the run. */
  readonly branch: string;
  readonly workflow: string;
  readonly workflowJob: string;
  readonly commit: string;
  readonly runId: string;
  readonly runAttempt: string;
  readonly runNumber: string;
  readonly event: string;
  readonly ref: string;
  /**
   * Number of the pull request the run tests, for runs of a pull request (its own group, never
   * its head branch's); empty for every other run.
   */
  readonly pullRequest: string;
  readonly actor: string;
  readonly runnerOs: string;
  /** Where relative paths are resolved from (the checkout). */
  readonly workspace: string;
  /** A scratch directory of the CI job; empty when it has none. */
  readonly runnerTemp: string;
  /**
   * The branch this run is compared with by default: the branch a pull request targets, else
   * the repository's default branch; undefined when the CI does not say.
   */
  readonly baseBranch?: string;
  /** Link to the run's page, when the CI has one. */
  readonly runUrl?: string;
}

/** The CI's own names of the platforms, for runs that do not say. */
const OS_NAMES: Partial<Record<NodeJS.Platform, string>> = {
  linux: 'Linux',
  darwin: 'macOS',
  win32: 'Windows',
};

/** The operating system as GitHub's runners name it (`Linux`, `macOS`, `Windows`). */
export function platformName(platform: NodeJS.Platform = process.platform): string {
  return OS_NAMES[platform] ?? platform;
}
