// Test helper: one API call, authenticated with a key, timed, its JSON body read — for tests that assert
// how fast and with what an outage is answered.

export interface TimedAnswer {
  status: number;
  /** From sending the request to having the whole body. */
  ms: number;
  retryAfter: string | null;
  body: { id?: string; state?: string; detail?: string; output?: { url: string }[] };
}

/** A caller of the API at `origin` (no /v1) with `key`. */
export const timedCaller =
  (origin: string, key: string) =>
  async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<TimedAnswer> => {
    const started = Date.now();
    const res = await fetch(`${origin}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const parsed = (await res.json()) as TimedAnswer['body'];
    return {
      status: res.status,
      ms: Date.now() - started,
      retryAfter: res.headers.get('retry-after'),
      body: parsed,
    };
  };
