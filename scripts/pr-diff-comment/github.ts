/** Creates or updates the one comment that carries COMMENT_MARKER on an issue or pull request (GitHub REST API). */

export interface CommentTarget {
  /** `https://api.github.com`, or GITHUB_API_URL on GitHub Enterprise. */
  readonly apiUrl: string;
  /** A token with `pull-requests: write` (the workflow's GITHUB_TOKEN). */
  readonly token: string;
  /** `owner/name`. */
  readonly repository: string;
  readonly issueNumber: number;
}

interface IssueComment {
  readonly id: number;
  readonly body?: string;
}

/** Updates the first comment whose body contains `marker`, or creates one: the body is replaced whole. */
export async function upsertComment(target: CommentTarget, marker: string, body: string): Promise<{ action: 'created' | 'updated'; id: number }> {
  const base = `${target.apiUrl.replace(/\/$/, '')}/repos/${target.repository}/issues`;
  const existing = await findComment(target, `${base}/${target.issueNumber}/comments`, marker);
  if (existing) {
    await call(target, 'PATCH', `${base}/comments/${existing.id}`, { body });
    return { action: 'updated', id: existing.id };
  }
  const created = (await call(target, 'POST', `${base}/${target.issueNumber}/comments`, { body })) as IssueComment;
  return { action: 'created', id: created.id };
}

async function findComment(target: CommentTarget, url: string, marker: string): Promise<IssueComment | undefined> {
  const perPage = 100;
  for (let page = 1; ; page++) {
    const comments = (await call(target, 'GET', `${url}?per_page=${perPage}&page=${page}`)) as IssueComment[];
    const found = comments.find((comment) => comment.body?.includes(marker));
    if (found || comments.length < perPage) return found;
  }
}

async function call(target: CommentTarget, method: string, url: string, body?: object): Promise<unknown> {
  const response = await fetch(url, {
    method,
    headers: {
      Accept: 'application/vnd.github+json',
      Authorization: `Bearer ${target.token}`,
      'X-GitHub-Api-Version': '2022-11-28',
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`GitHub ${method} ${url} answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
  return response.json();
}
