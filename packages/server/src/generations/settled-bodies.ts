// The GET body of a settled generation, made once per second (issue 15). A completed or failed row never
// changes again, so its body changes only with its signed URLs, and a URL is a function of its expiry to
// the second (and, for a presigned one, of the second it was signed in). Signing as at the last millisecond
// of the current second makes one body right for the whole second: each URL's expiry is the one a GET at
// that moment would get, or at most a second later, never earlier. So within a second every GET of the row
// answers the same bytes, signed and serialised once. Kept per row object in a WeakMap: the memo lives
// exactly as long as the settled-row cache keeps the row (store/row-cache.ts), which bounds it; a row read
// fresh from the database (the cache off) is a new object each time and simply never hits.
import type { GenerationRow } from '../store/store.js';
import { isSettled } from '../store/store.js';

interface Kept<B> {
  second: number;
  body: B;
}

/** `B`: the serialised body (what the route's serialiser gives). */
export class SettledBodies<B> {
  readonly #bodies = new WeakMap<GenerationRow, Kept<B>>();

  /**
   * The body of settled `row` at `now`: the one made this second, or `make(at)`, which must present the
   * row as at `at` (the last millisecond of this second), not `now`.
   */
  async of(row: GenerationRow, now: number, make: (at: number) => Promise<B>): Promise<B> {
    if (!isSettled(row)) throw new Error(`generation ${row.id} is ${row.state}: only settled rows are kept`);
    const second = Math.floor(now / 1000);
    const kept = this.#bodies.get(row);
    if (kept?.second === second) return kept.body;
    const body = await make(second * 1000 + 999);
    this.#bodies.set(row, { second, body });
    return body;
  }
}
