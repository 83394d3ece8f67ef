/**
 * Each CI's reader on the variables its documentation lists, and detect choosing by them. The
 * values are the documented examples' shapes (GitLab's predefined variables reference, Jenkins'
 * env-vars.html, CircleCI's project values, Buildkite's environment variables, Azure's predefined
 * variables).
 */
import { describe, expect, it } from 'vitest';
import { readAzurePipelinesContext } from '../../src/ci/azure-pipelines.js';
import { readBuildkiteContext } from '../../src/ci/buildkite.js';
import { readCircleciContext } from '../../src/ci/circleci.js';
import { detectCi } from '../../src/ci/detect.js';
import { branchName, repositoryFromUrl } from '../../src/ci/env.js';
import { readGitlabContext } from '../../src/ci/gitlab.js';
import { readJenkinsContext } from '../../src/ci/jenkins.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';

const GITLAB = {
  GITLAB_CI: 'true',
  CI_PROJECT_PATH: 'group/sub/widgets',
  CI_PROJECT_DIR: '/builds/group/sub/widgets',
  CI_COMMIT_REF_NAME: 'main',
  CI_COMMIT_BRANCH: 'main',
  CI_COMMIT_SHA: SHA,
  CI_PIPELINE_ID: '1000',
  CI_PIPELINE_IID: '12',
  CI_PIPELINE_SOURCE: 'push',
  CI_PIPELINE_URL: 'https://gitlab.com/group/sub/widgets/-/pipelines/1000',
  CI_JOB_NAME: 'reliability',
  GITLAB_USER_LOGIN: 'alice',
};

describe('GitLab CI', () => {
  it('reads a branch pipeline', () => {
    expect(readGitlabContext(GITLAB)).toMatchObject({
      provider: 'gitlab-ci',
      repository: 'group/sub/widgets',
      branch: 'main',
      workflow: '.gitlab-ci.yml',
      workflowJob: 'reliability',
      commit: SHA,
      runId: '1000',
      runNumber: '12',
      event: 'push',
      ref: 'refs/heads/main',
      actor: 'alice',
      workspace: '/builds/group/sub/widgets',
      runUrl: 'https://gitlab.com/group/sub/widgets/-/pipelines/1000',
    });
    expect(readGitlabContext(GITLAB).pullRequest).toBe('');
  });

  it('groups a merge-request pipeline under its source branch, with its IID', () => {
    const { CI_COMMIT_BRANCH: _, ...mr } = GITLAB;
    const context = readGitlabContext({
      ...mr,
      CI_COMMIT_REF_NAME: 'feature/x',
      CI_PIPELINE_SOURCE: 'merge_request_event',
      CI_MERGE_REQUEST_IID: '42',
      CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'feature/x',
      CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'develop',
      CI_PIPELINE_NAME: 'MR pipeline',
    });
    expect(context).toMatchObject({
      branch: 'feature/x',
      pullRequest: '42',
      // The merge request is compared with the branch it merges into.
      baseBranch: 'develop',
      event: 'merge_request_event',
      ref: 'refs/merge-requests/42/head',
      workflow: 'MR pipeline',
    });
  });

  it('reads a tag pipeline', () => {
    const { CI_COMMIT_BRANCH: _, ...tag } = GITLAB;
    expect(
      readGitlabContext({ ...tag, CI_COMMIT_REF_NAME: 'v1.2.0', CI_COMMIT_TAG: 'v1.2.0' }),
    ).toMatchObject({
      branch: 'v1.2.0',
      ref: 'refs/tags/v1.2.0',
    });
  });
});

describe('Jenkins', () => {
  it('reads a freestyle job with the Git plugin', () => {
    expect(
      readJenkinsContext({
        JENKINS_URL: 'http://ci:8080/',
        JOB_NAME: 'nightly-reliability',
        BUILD_NUMBER: '153',
        BUILD_URL: 'http://ci:8080/job/nightly-reliability/153/',
        GIT_URL: 'git@github.com:acme/widgets.git',
        GIT_BRANCH: 'origin/main',
        GIT_COMMIT: SHA,
        WORKSPACE: '/var/lib/jenkins/workspace/nightly-reliability',
      }),
    ).toMatchObject({
      provider: 'jenkins',
      repository: 'acme/widgets',
      branch: 'main',
      workflow: 'nightly-reliability',
      commit: SHA,
      runId: '153',
      runNumber: '153',
      ref: 'origin/main',
      runUrl: 'http://ci:8080/job/nightly-reliability/153/',
    });
  });

  it('reads a multibranch change request: source branch, number, stable job name', () => {
    const context = readJenkinsContext({
      JENKINS_URL: 'http://ci:8080/',
      JOB_NAME: 'acme/widgets/PR-24',
      BRANCH_NAME: 'PR-24',
      BUILD_NUMBER: '3',
      CHANGE_ID: '24',
      CHANGE_BRANCH: 'feature/y',
      CHANGE_AUTHOR: 'bob',
      STAGE_NAME: 'Reliability',
    });
    expect(context).toMatchObject({
      repository: 'acme/widgets',
      workflow: 'acme/widgets',
      workflowJob: 'Reliability',
      branch: 'feature/y',
      pullRequest: '24',
      event: 'change_request',
      actor: 'bob',
    });
  });

  it('keeps a multibranch job name stable for a branch with a slash (encoded in JOB_NAME)', () => {
    const context = readJenkinsContext({
      JENKINS_URL: 'http://ci:8080/',
      JOB_NAME: 'acme/widgets/feature%2Fz',
      BRANCH_NAME: 'feature/z',
      BUILD_NUMBER: '9',
    });
    expect(context).toMatchObject({ workflow: 'acme/widgets', branch: 'feature/z' });
  });
});

describe('CircleCI', () => {
  it('reads a pull-request job', () => {
    expect(
      readCircleciContext({
        CIRCLECI: 'true',
        CIRCLE_PROJECT_USERNAME: 'acme',
        CIRCLE_PROJECT_REPONAME: 'widgets',
        CIRCLE_BRANCH: 'feature/c',
        CIRCLE_SHA1: SHA,
        CIRCLE_JOB: 'reliability',
        CIRCLE_WORKFLOW_ID: '6f1c-uuid',
        CIRCLE_BUILD_NUM: '88',
        CIRCLE_BUILD_URL: 'https://circleci.com/gh/acme/widgets/88',
        CIRCLE_PULL_REQUEST: 'https://github.com/acme/widgets/pull/7',
        CIRCLE_USERNAME: 'carol',
        CIRCLE_WORKING_DIRECTORY: '~/project',
        HOME: '/home/circleci',
      }),
    ).toMatchObject({
      provider: 'circleci',
      repository: 'acme/widgets',
      branch: 'feature/c',
      workflowJob: 'reliability',
      runId: '6f1c-uuid',
      runNumber: '88',
      pullRequest: '7',
      event: 'pull_request',
      actor: 'carol',
      workspace: '/home/circleci/project',
    });
  });
});

describe('Buildkite', () => {
  it('reads a pull-request build and ignores BUILDKITE_PULL_REQUEST=false', () => {
    const env = {
      BUILDKITE: 'true',
      BUILDKITE_REPO: 'git@github.com:acme/widgets.git',
      BUILDKITE_ORGANIZATION_SLUG: 'acme',
      BUILDKITE_PIPELINE_SLUG: 'widgets-reliability',
      BUILDKITE_BRANCH: 'feature/b',
      BUILDKITE_COMMIT: SHA,
      BUILDKITE_BUILD_ID: 'b81ed283-uuid',
      BUILDKITE_BUILD_NUMBER: '59034',
      BUILDKITE_BUILD_URL: 'https://buildkite.com/acme/widgets-reliability/builds/59034',
      BUILDKITE_LABEL: ':pytest: reliability',
      BUILDKITE_RETRY_COUNT: '1',
      BUILDKITE_SOURCE: 'webhook',
      BUILDKITE_BUILD_CREATOR: 'dave',
      BUILDKITE_PULL_REQUEST: '99',
      BUILDKITE_BUILD_CHECKOUT_PATH: '/buildkite/builds/agent/acme/widgets',
    };
    expect(readBuildkiteContext(env)).toMatchObject({
      provider: 'buildkite',
      repository: 'acme/widgets',
      branch: 'feature/b',
      workflow: 'widgets-reliability',
      workflowJob: ':pytest: reliability',
      runId: 'b81ed283-uuid',
      runNumber: '59034',
      runAttempt: '1',
      pullRequest: '99',
      event: 'pull_request',
      actor: 'dave',
      workspace: '/buildkite/builds/agent/acme/widgets',
    });
    const push = readBuildkiteContext({ ...env, BUILDKITE_PULL_REQUEST: 'false' });
    expect(push.pullRequest).toBe('');
    expect(push.event).toBe('webhook');
  });
});

describe('Azure Pipelines', () => {
  it('reads a GitHub pull-request build', () => {
    expect(
      readAzurePipelinesContext({
        TF_BUILD: 'True',
        BUILD_REPOSITORY_NAME: 'acme/widgets',
        BUILD_SOURCEBRANCH: 'refs/pull/17/merge',
        SYSTEM_PULLREQUEST_SOURCEBRANCH: 'refs/heads/feature/az',
        SYSTEM_PULLREQUEST_PULLREQUESTID: '123456',
        SYSTEM_PULLREQUEST_PULLREQUESTNUMBER: '17',
        BUILD_SOURCEVERSION: SHA,
        BUILD_DEFINITIONNAME: 'widgets-ci',
        SYSTEM_JOBDISPLAYNAME: 'Reliability',
        BUILD_BUILDID: '4711',
        BUILD_BUILDNUMBER: '20240101.3',
        SYSTEM_JOBATTEMPT: '2',
        BUILD_REASON: 'PullRequest',
        BUILD_REQUESTEDFOR: 'Erin',
        AGENT_OS: 'Darwin',
        BUILD_SOURCESDIRECTORY: '/Users/runner/work/1/s',
        AGENT_TEMPDIRECTORY: '/Users/runner/work/_temp',
        SYSTEM_COLLECTIONURI: 'https://dev.azure.com/acme/',
        SYSTEM_TEAMPROJECT: 'Widgets Team',
      }),
    ).toMatchObject({
      provider: 'azure-pipelines',
      repository: 'acme/widgets',
      branch: 'feature/az',
      pullRequest: '17',
      workflow: 'widgets-ci',
      workflowJob: 'Reliability',
      runId: '4711',
      runNumber: '20240101.3',
      runAttempt: '2',
      event: 'PullRequest',
      ref: 'refs/pull/17/merge',
      runnerOs: 'macOS',
      runnerTemp: '/Users/runner/work/_temp',
      runUrl: 'https://dev.azure.com/acme/Widgets%20Team/_build/results?buildId=4711',
    });
  });
});

describe('detectCi', () => {
  it.each([
    [{ GITHUB_ACTIONS: 'true', CI: 'true' }, 'github-actions'],
    [{ GITLAB_CI: 'true', CI: 'true' }, 'gitlab-ci'],
    [{ JENKINS_URL: 'http://ci/', BUILD_NUMBER: '1' }, 'jenkins'],
    [{ CIRCLECI: 'true', CI: 'true' }, 'circleci'],
    [{ BUILDKITE: 'true', CI: 'true' }, 'buildkite'],
    [{ TF_BUILD: 'True' }, 'azure-pipelines'],
    // A Jenkins agent running a GitLab job still is a GitLab job.
    [{ GITLAB_CI: 'true', JENKINS_URL: 'http://ci/', BUILD_NUMBER: '1' }, 'gitlab-ci'],
    [{ CI: 'true' }, 'local'],
    [{}, 'local'],
  ])('%j is %s', async (env, provider) => {
    expect((await detectCi(env, '/')).provider).toBe(provider);
  });
});

describe('helpers', () => {
  it.each([
    ['https://github.com/acme/widgets.git', 'acme/widgets'],
    ['https://user:token@gitlab.com/group/sub/widgets', 'group/sub/widgets'],
    ['git@github.com:acme/widgets.git', 'acme/widgets'],
    ['ssh://git@git.example.com:2222/acme/widgets.git', 'acme/widgets'],
    ['github.com:acme/widgets', 'acme/widgets'],
    ['', ''],
    ['not a url', ''],
  ])('repositoryFromUrl(%j) is %j', (url, repository) => {
    expect(repositoryFromUrl(url)).toBe(repository);
  });

  it('names branches from refs and remote-tracking names', () => {
    expect(branchName('refs/heads/feature/x')).toBe('feature/x');
    expect(branchName('origin/main')).toBe('main');
    expect(branchName('main')).toBe('main');
  });
});
