/** Small readers shared by the CI readers: trimmed variables, repository paths, branch names. */

/** Reads a variable trimmed; '' when unset. */
export type EnvGetter = (name: string) => string;

/** A getter over `env`. */
export function envGetter(env: NodeJS.ProcessEnv): EnvGetter {
  return (name) => env[name]?.trim() ?? '';
}

/**
 * `owner/name` (or `group/sub/name`) from a clone URL in any of git's forms (https, ssh,
 * `git@host:path`), without credentials or `.git`; '' when the URL has no path.
 */
export function repositoryFromUrl(url: string): string {
  const raw = url.trim();
  if (raw === '') return '';
  let path: string;
  const scp = /^(?:[^@/:]+@)?[^/:]+:(?!\/\/)(.+)$/.exec(raw);
  if (scp?.[1] !== undefined && !/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    path = scp[1];
  } else {
    try {
      path = new URL(raw).pathname;
    } catch {
      return '';
    }
  }
  return decodeURIComponent(path)
    .replace(/^\/+|\/+$/g, '')
    .replace(/\.git$/, '');
}

/** A branch name from a full ref or a remote-tracking name (`refs/heads/x`, `origin/x`). */
export function branchName(ref: string): string {
  return ref.replace(/^refs\/heads\//, '').replace(/^origin\//, '');
}
