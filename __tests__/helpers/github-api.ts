/**
 * A stand-in for the GitHub REST API's issue comments on loopback (the real one cannot be reached
 * from here): list with Link pagination, create, update; a pull request can be made read-only to
 * answer 403 as GitHub does for a fork's token.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One stored comment. */
export interface StoredComment {
  id: number;
  body: string;
  issue: number;
}

/** A request the stand-in saw. */
export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization?: string;
}

/** The running stand-in. */
export interface GithubApi {
  readonly url: string;
  readonly comments: StoredComment[];
  readonly requests: ApiRequest[];
  /** Pull requests whose comments answer 403 on writes. */
  readonly readOnly: Set<number>;
  close(): Promise<void>;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Starts the stand-in for repository `owner/repo` with a page size of `perPage` at most. */
export async function startGithubApi(
  repository = 'acme/widgets',
  maxPerPage = 100,
): Promise<GithubApi> {
  const comments: StoredComment[] = [];
  const requests: ApiRequest[] = [];
  const readOnly = new Set<number>();
  let nextId = 1000;
  const view = (c: StoredComment, base: string): Record<string, unknown> => ({
    id: c.id,
    body: c.body,
    html_url: `${base}/${repository}/pull/${c.issue}#issuecomment-${c.id}`,
    user: { login: 'github-actions[bot]', type: 'Bot' },
  });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const base = `http://${req.headers.host ?? ''}`;
      requests.push({
        method: req.method ?? '',
        path: `${url.pathname}${url.search}`,
        authorization: req.headers.authorization,
      });
      const list = new RegExp(`^/repos/${repository}/issues/(\\d+)/comments$`).exec(url.pathname);
      const one = new RegExp(`^/repos/${repository}/issues/comments/(\\d+)$`).exec(url.pathname);
      const body =
        chunks.length > 0
          ? (JSON.parse(Buffer.concat(chunks).toString()) as { body?: string })
          : {};
      if (list !== null && req.method === 'GET') {
        const issue = Number(list[1]);
        const perPage = Math.min(maxPerPage, Number(url.searchParams.get('per_page') ?? 30));
        const page = Number(url.searchParams.get('page') ?? 1);
        const all = comments.filter((c) => c.issue === issue);
        const pages = Math.max(1, Math.ceil(all.length / perPage));
        const headers: Record<string, string> = {};
        if (page < pages) {
          const next = new URL(url.href.replace('http://127.0.0.1', base));
          next.searchParams.set('page', String(page + 1));
          next.searchParams.set('per_page', String(perPage));
          headers.link = `<${next.href}>; rel="next"`;
        }
        send(
          res,
          200,
          all.slice((page - 1) * perPage, page * perPage).map((c) => view(c, base)),
          headers,
        );
        return;
      }
      if (list !== null && req.method === 'POST') {
        const issue = Number(list[1]);
        if (readOnly.has(issue)) {
          send(res, 403, { message: 'Resource not accessible by integration', status: '403' });
          return;
        }
        const comment = { id: nextId++, body: body.body ?? '', issue };
        comments.push(comment);
        send(res, 201, view(comment, base));
        return;
      }
      if (one !== null && req.method === 'PATCH') {
        const comment = comments.find((c) => c.id === Number(one[1]));
        if (comment === undefined) {
          send(res, 404, { message: 'Not Found' });
          return;
        }
        if (readOnly.has(comment.issue)) {
          send(res, 403, { message: 'Resource not accessible by integration', status: '403' });
          return;
        }
        comment.body = body.body ?? '';
        send(res, 200, view(comment, base));
        return;
      }
      send(res, 404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    comments,
    requests,
    readOnly,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
