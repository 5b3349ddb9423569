/**
 * upsertComment against a local HTTP server that answers the three GitHub REST endpoints it uses (list issue
 * comments, create one, update one) the way GitHub does, pagination included, and records every request.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { upsertComment } from '../../../scripts/pr-diff-comment/github';

interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly authorization?: string;
  readonly body?: { body: string };
}

interface FakeGitHub {
  readonly apiUrl: string;
  readonly requests: Recorded[];
  /** Comments of issue 7, in creation order. */
  readonly comments: { id: number; body: string }[];
  failWith?: number;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return text;
}

async function startFakeGitHub(initial: string[]): Promise<FakeGitHub> {
  const comments = initial.map((body, index) => ({ id: 1000 + index, body }));
  const requests: Recorded[] = [];
  let nextId = 5000;
  const state = { failWith: undefined as number | undefined };
  const server: Server = createServer(async (request, response) => {
    const text = await readBody(request);
    requests.push({ method: request.method!, url: request.url!, authorization: request.headers.authorization, body: text ? JSON.parse(text) : undefined });
    const reply = (status: number, value: unknown): void => {
      response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
    };
    if (state.failWith) return reply(state.failWith, { message: 'Resource not accessible by integration' });
    const url = new URL(request.url!, 'http://localhost');
    if (request.method === 'GET' && url.pathname === '/repos/example/skyline/issues/7/comments') {
      const perPage = Number(url.searchParams.get('per_page'));
      const page = Number(url.searchParams.get('page'));
      return reply(200, comments.slice((page - 1) * perPage, page * perPage));
    }
    if (request.method === 'POST' && url.pathname === '/repos/example/skyline/issues/7/comments') {
      const comment = { id: nextId++, body: (JSON.parse(text) as { body: string }).body };
      comments.push(comment);
      return reply(201, comment);
    }
    const patch = /^\/repos\/example\/skyline\/issues\/comments\/(\d+)$/.exec(url.pathname);
    if (request.method === 'PATCH' && patch) {
      const comment = comments.find((candidate) => candidate.id === Number(patch[1]));
      if (!comment) return reply(404, { message: 'Not Found' });
      comment.body = (JSON.parse(text) as { body: string }).body;
      return reply(200, comment);
    }
    return reply(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}`,
    requests,
    comments,
    set failWith(status: number | undefined) {
      state.failWith = status;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const MARKER = '<!-- skyline-pr-diff -->';

describe('upsertComment', () => {
  let github: FakeGitHub;
  afterEach(() => github.close());

  const target = () => ({ apiUrl: github.apiUrl, token: 'test-token', repository: 'example/skyline', issueNumber: 7 });

  it('creates the comment when the pull request has none with the marker, authenticated with the token', async () => {
    github = await startFakeGitHub(['LGTM', 'please rebase']);
    await expect(upsertComment(target(), MARKER, `${MARKER}\nfirst`)).resolves.toEqual({ action: 'created', id: 5000 });
    expect(github.comments.map((comment) => comment.body)).toEqual(['LGTM', 'please rebase', `${MARKER}\nfirst`]);
    expect(github.requests.every((request) => request.authorization === 'Bearer test-token')).toBe(true);
  });

  it('updates the one comment with the marker in place, even past the first page, and posts nothing new', async () => {
    const others = Array.from({ length: 130 }, (_, index) => `comment ${index}`);
    github = await startFakeGitHub([...others, `${MARKER}\nold plan`, 'after']);
    await expect(upsertComment(target(), MARKER, `${MARKER}\nnew plan`)).resolves.toEqual({ action: 'updated', id: 1130 });
    expect(github.comments).toHaveLength(132);
    expect(github.comments[130].body).toBe(`${MARKER}\nnew plan`);
    expect(github.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /repos/example/skyline/issues/7/comments?per_page=100&page=1',
      'GET /repos/example/skyline/issues/7/comments?per_page=100&page=2',
      'PATCH /repos/example/skyline/issues/comments/1130',
    ]);
  });

  it('updates, not duplicates, on the next push', async () => {
    github = await startFakeGitHub([]);
    await upsertComment(target(), MARKER, `${MARKER}\nfirst push`);
    await upsertComment(target(), MARKER, `${MARKER}\nsecond push`);
    expect(github.comments.map((comment) => comment.body)).toEqual([`${MARKER}\nsecond push`]);
  });

  it('fails with GitHub\'s status and message when the token may not write', async () => {
    github = await startFakeGitHub([]);
    github.failWith = 403;
    await expect(upsertComment(target(), MARKER, 'x')).rejects.toThrow(/GitHub GET .*\/issues\/7\/comments\?per_page=100&page=1 answered 403: .*Resource not accessible by integration/);
  });
});
