// Wire types of Umbra's tenant routes (not on the hosted API): usage (`GET /usage`) and the admin API's
// clients (`/admin/clients…`). Written by hand, like the Generations types, because the library has no
// dependencies; `sdk-types.test.ts` on the server checks them against the server's own. Money is integer
// micro-USD (1 USD = 1 000 000).
import type { GenerationState } from './types.js';

/** How `usage.get` can split its figures: by model, type, `user_id`, or UTC day of creation. */
export type UsageGroupBy = 'model' | 'type' | 'user_id' | 'day';

/** The query of `usage.get` (and `admin.clients.usage`); every member optional. */
export interface UsageParams {
  /**
   * Start of the window, inclusive: an ISO-8601 date (`2026-04-01`, midnight UTC) or date-time with a zone.
   * Default: 30 days before `end`.
   */
  start?: string | null;
  /** End of the window, exclusive, in the same forms. Default: now. */
  end?: string | null;
  /** Split the figures by `model`, `type`, `user_id` or `day` (UTC); absent = totals only. */
  group_by?: UsageGroupBy | null;
  /** Only generations created with this `user_id`. */
  user_id?: string | null;
}

/** Generations created in the window, by their state now. */
export type UsageCounts = { [S in GenerationState]: number } & {
  /** Every generation created in the window. */
  total: number;
};

/** The figures of one group, or of the whole window. */
export interface UsageFigures {
  /** Generations created in the window, by state (failed ones were refunded and cost nothing). */
  generations: UsageCounts;
  /** Images delivered (completed `image` and `image_edit` generations). */
  images: number;
  /** Seconds of video delivered: 5 s or 10 s per generated video, the source's length per edit or reframe. */
  video_seconds: number;
  /** What the balance lost: the settled price of every completed generation, micro-USD. */
  charged_micros: number;
  /** Held for generations still queued or processing, micro-USD: charged or refunded when they end. */
  reserved_micros: number;
}

/** One group of a usage report. */
export interface UsageGroup extends UsageFigures {
  /** A model, a type, a `user_id` (null = generations without one), or a UTC day as `YYYY-MM-DD`. */
  key: string | null;
}

/** The answer of `usage.get`. */
export interface UsageReport {
  /** Window start (inclusive), ISO-8601 UTC. */
  start: string;
  /** Window end (exclusive), ISO-8601 UTC. */
  end: string;
  /** How `data` is split; null = not split (`data` is empty). */
  group_by: UsageGroupBy | null;
  /** The `user_id` filter, or null. */
  user_id: string | null;
  /** One entry per group with generations in the window, ordered by key (null last). */
  data: UsageGroup[];
  /** The whole window (the sum of `data` when split). */
  total: UsageFigures;
}

/** A client's state; `suspended` and `deactivated` clients are refused with 403. */
export type ClientStatus = 'active' | 'suspended' | 'deactivated';

/** A client (account) as the admin API shows it. */
export interface AdminClient {
  id: string;
  /** Unique; the admin routes address clients by it. */
  name: string;
  status: ClientStatus;
  /** Its keys may use the admin API. */
  admin: boolean;
  /** May request `video.hdr`. */
  hdr_access: boolean;
  /** Generation creates per sliding minute; null = unlimited. */
  rpm_limit: number | null;
  /** Generations queued or processing at once; null = unlimited. */
  concurrency_limit: number | null;
  /** Prepaid balance, micro-USD; null = unmetered. */
  balance_micros: number | null;
  /** ISO-8601 UTC. */
  created_at: string;
}

/** `admin.clients.list`: every client, oldest first. */
export interface AdminClientList {
  data: AdminClient[];
}

/** What `admin.clients.update` may change; every member optional, absent ones stay as they are. */
export interface AdminClientUpdateParams {
  status?: ClientStatus;
  admin?: boolean;
  hdr_access?: boolean;
  /** A positive integer, or null for unlimited. */
  rpm_limit?: number | null;
  /** A positive integer, or null for unlimited. */
  concurrency_limit?: number | null;
  /** Sets the balance (micro-USD, 0 or more), or null for unmetered. Not with `add_balance_micros`. */
  balance_micros?: number | null;
  /** Adds to a metered balance atomically (negative takes away, never below zero). Not with `balance_micros`. */
  add_balance_micros?: number;
}

/** Where one model's jobs stand now (`admin.queue`). */
export interface AdminQueueModel {
  model: string;
  /** Generations waiting to be claimed (due, or waiting out a retry backoff). */
  queued: number;
  /** Generations a worker (in-process or remote) is rendering. */
  processing: number;
  /** ISO-8601 UTC: since when the longest-waiting queued one could be claimed; null when none is queued. */
  oldest_queued_at: string | null;
}

/** `admin.queue`: every model with queued or processing generations. */
export interface AdminQueue {
  data: AdminQueueModel[];
}

/** A remote worker process seen claiming or heartbeating (`admin.workers`). */
export interface AdminWorker {
  /** The name of the worker token it uses. */
  token_name: string;
  /** The process's own name (`--instance`; default host and pid). */
  instance: string;
  /** The `model/type` kinds it asks for. */
  kinds: string[];
  /** ISO-8601 UTC of its last call. */
  last_seen_at: string;
  /** Jobs it holds a lease on now. */
  running: number;
}

/** `admin.workers`: the remote workers seen in the last `window_seconds`. */
export interface AdminWorkerList {
  window_seconds: number;
  data: AdminWorker[];
}
