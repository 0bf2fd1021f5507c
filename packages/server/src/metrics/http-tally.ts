// The two HTTP metric families, tallied by hand (issue 15). They are the only metrics touched on every
// request, and prom-client's labelled `inc` and `observe` validate and hash their labels each time (over a
// microsecond of a GET's budget, measured in a profile of the server under load). Here a request costs two
// map look-ups and a few additions; the text is written at scrape time, as prom-client writes it (the test
// renders the same observations through prom-client and compares).

/** A request's tally for one method and route: answers by status, and durations by bucket. */
interface RouteTally {
  statuses: Map<number, number>;
  /** Observations per bucket (not cumulative); one more at the end for those above every bound. */
  buckets: number[];
  sum: number;
  count: number;
}

export interface HttpTallyFamily {
  name: string;
  help: string;
}

/** Counts `umbra_http_requests_total` and the duration histogram. Label values are written escaped. */
export class HttpTally {
  /** By route, then method: insertion order is the order series are written in. */
  readonly #tallies = new Map<string, Map<string, RouteTally>>();

  constructor(
    readonly requests: HttpTallyFamily,
    readonly seconds: HttpTallyFamily,
    /** Upper bounds, ascending (`le`). */
    readonly bounds: readonly number[],
  ) {}

  record(method: string, route: string, status: number, seconds: number): void {
    if (!Number.isFinite(seconds)) seconds = 0;
    let byMethod = this.#tallies.get(route);
    if (byMethod === undefined) this.#tallies.set(route, (byMethod = new Map<string, RouteTally>()));
    let t = byMethod.get(method);
    if (t === undefined) {
      t = {
        statuses: new Map(),
        buckets: new Array<number>(this.bounds.length + 1).fill(0),
        sum: 0,
        count: 0,
      };
      byMethod.set(method, t);
    }
    t.statuses.set(status, (t.statuses.get(status) ?? 0) + 1);
    let i = 0;
    while (i < this.bounds.length && seconds > this.bounds[i]!) i++;
    t.buckets[i]!++;
    t.sum += seconds;
    t.count++;
  }

  /** Both families in Prometheus text format: HELP, TYPE and samples, families separated by a blank line. */
  exposition(): string {
    const requests: string[] = [];
    const seconds: string[] = [];
    for (const [route, byMethod] of this.#tallies) {
      for (const [method, t] of byMethod) {
        const series = `method="${escapeLabel(method)}",route="${escapeLabel(route)}"`;
        for (const [status, n] of t.statuses)
          requests.push(`${this.requests.name}{${series},status="${status}"} ${n}`);
        let acc = 0;
        this.bounds.forEach((le, i) => {
          acc += t.buckets[i]!;
          seconds.push(`${this.seconds.name}_bucket{le="${le}",${series}} ${acc}`);
        });
        seconds.push(
          `${this.seconds.name}_bucket{le="+Inf",${series}} ${t.count}`,
          `${this.seconds.name}_sum{${series}} ${t.sum}`,
          `${this.seconds.name}_count{${series}} ${t.count}`,
        );
      }
    }
    return [family(this.requests, 'counter', requests), family(this.seconds, 'histogram', seconds)].join(
      '\n\n',
    );
  }
}

const family = (f: HttpTallyFamily, type: string, samples: string[]): string =>
  [`# HELP ${f.name} ${escapeText(f.help)}`, `# TYPE ${f.name} ${type}`, ...samples].join('\n');

const escapeText = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeLabel = (s: string): string => escapeText(s).replace(/"/g, '\\"');
