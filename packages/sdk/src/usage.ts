// `client.usage` (Umbra; the hosted API only mentions /v1/usage): your client's generations, images, video
// seconds and money over a window.
import type { RequestOptions, Transport } from './transport.js';
import type { UsageParams, UsageReport } from './tenant-types.js';

/** `?start=…&end=…&group_by=…&user_id=…` with only the given members, in a stable order. */
export const usageQuery = (params: UsageParams): string => {
  const q = new URLSearchParams();
  for (const k of ['start', 'end', 'group_by', 'user_id'] as const) {
    const v = params[k];
    if (v !== undefined && v !== null) q.set(k, v);
  }
  const qs = q.toString();
  return qs === '' ? '' : `?${qs}`;
};

export class Usage {
  constructor(private readonly transport: Transport) {}

  /**
   * `GET /usage`: what your client's generations created in [start, end) came to — counts by state, images,
   * video seconds, `charged_micros` (what the balance lost) and `reserved_micros` (held for jobs still
   * running) — in `total`, and per model, type, `user_id` or day in `data` when `group_by` is given.
   *
   *     const { total } = await client.usage.get({ start: '2026-04-01', end: '2026-05-01' });
   */
  get(params: UsageParams = {}, options?: RequestOptions): Promise<UsageReport> {
    return this.transport.json<UsageReport>('GET', `/usage${usageQuery(params)}`, undefined, options);
  }
}
