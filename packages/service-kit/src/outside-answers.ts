/**
 * How the suite reads an answer from a system outside it (the national procedure database, the
 * national portal): one rule for every client, so they agree on what trying again may cure.
 */

/** A status the other side may get over by itself: a timeout, too many requests, a server error. */
export function isTransientStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 425 || status === 429;
}

/** Whether an answer says it is JSON (a proxy's or a maintenance page's HTML is not). */
export function answersJson(res: Pick<Response, 'headers'>): boolean {
  return /\bjson\b/i.test(res.headers.get('content-type') ?? '');
}
