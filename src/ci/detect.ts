/** Which CI a command runs in, decided by each CI's own variables; a laptop when none matches. */
import { isAzurePipelines, readAzurePipelinesContext } from './azure-pipelines.js';
import { isBuildkite, readBuildkiteContext } from './buildkite.js';
import { isCircleci, readCircleciContext } from './circleci.js';
import type { CiContext } from './context.js';
import { readGithubContext } from './github.js';
import { isGitlab, readGitlabContext } from './gitlab.js';
import { isJenkins, readJenkinsContext } from './jenkins.js';
import { readLocalContext } from './local.js';

/** A CI this tool reads: how to recognise it and how to read it. */
interface CiReader {
  readonly provider: string;
  readonly matches: (env: NodeJS.ProcessEnv) => boolean;
  readonly read: (env: NodeJS.ProcessEnv) => CiContext;
}

/** Checked in order; Jenkins last, since its variables may be passed on to other tools' jobs. */
const READERS: readonly CiReader[] = [
  {
    provider: 'github-actions',
    matches: (env) => env.GITHUB_ACTIONS === 'true',
    read: readGithubContext,
  },
  { provider: 'gitlab-ci', matches: isGitlab, read: readGitlabContext },
  { provider: 'buildkite', matches: isBuildkite, read: readBuildkiteContext },
  { provider: 'circleci', matches: isCircleci, read: readCircleciContext },
  { provider: 'azure-pipelines', matches: isAzurePipelines, read: readAzurePipelinesContext },
  { provider: 'jenkins', matches: isJenkins, read: readJenkinsContext },
];

/** Every provider name {@link detectCi} may return. */
export const CI_PROVIDERS: readonly string[] = [...READERS.map((r) => r.provider), 'local'];

/** The context of the CI found in `env`, or of the git checkout around `cwd` when none is. */
export async function detectCi(
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): Promise<CiContext> {
  const reader = READERS.find((candidate) => candidate.matches(env));
  return reader !== undefined ? reader.read(env) : readLocalContext(cwd, env);
}
