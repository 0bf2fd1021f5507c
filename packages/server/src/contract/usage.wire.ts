// `GET /v1/usage` (issue 12, "Usage"): Umbra's answer to the `/v1/usage` the contract only mentions (§1.1,
// §5.1, §6, §7 item 28). Wire types and the JSON Schema the HTTP layer serialises through. Pure.
//
// Money is integer micro-USD (1 USD = 1 000 000), as in balances, so figures add up exactly.

/** What `group_by` can split the figures by: the generation's model, type, `user_id`, or UTC day of creation. */
export const USAGE_GROUPS = ['model', 'type', 'user_id', 'day'] as const;
export type UsageGroupBy = (typeof USAGE_GROUPS)[number];

/**
 * The query of `GET /v1/usage` (and `GET /v1/admin/clients/{name}/usage`) as it travels: every member
 * optional. The client library's `UsageParams` must fit it (`sdk-types.test.ts`).
 */
export interface UsageParams {
  /**
   * Start of the window, inclusive: an ISO-8601 date (`2026-04-01`, midnight UTC) or date-time with a zone
   * (`2026-04-01T12:00:00Z`). Default: 30 days before `end`.
   */
  start?: string | null;
  /** End of the window, exclusive, in the same forms. Default: now. */
  end?: string | null;
  /** Split the figures by `model`, `type`, `user_id` or `day` (UTC); absent = totals only. */
  group_by?: UsageGroupBy | null;
  /** Only generations created with this `user_id`. */
  user_id?: string | null;
}

/** `GET /v1/usage` query, validated: a half-open window [start, end) in epoch milliseconds. */
export interface UsageQuery {
  start: number;
  end: number;
  groupBy: UsageGroupBy | null;
  userId: string | null;
}

/** Generations created in the window, by their state now. */
export interface UsageCounts {
  /** Every generation created in the window. */
  total: number;
  queued: number;
  processing: number;
  completed: number;
  /** Failed (canceled ones included); their reservations were refunded, so they cost nothing. */
  failed: number;
}

/** The figures of one group, or of the whole window. */
export interface UsageFigures {
  generations: UsageCounts;
  /** Images delivered: completed `image` and `image_edit` generations (one image each, contract §3.2). */
  images: number;
  /**
   * Seconds of video delivered by completed video generations: the requested 5 s or 10 s (an extend is
   * one 5 s block), and for edits and reframes the measured length of the source, which the output follows.
   */
  video_seconds: number;
  /**
   * What the balance lost for good, micro-USD: the settled price of every completed generation (contract
   * §5; edits and reframes by their source's real length). Failed generations were refunded in full.
   */
  charged_micros: number;
  /**
   * Held, not yet spent, micro-USD: the reservations of generations still queued or processing. They
   * become charges (edits and reframes possibly smaller ones) or refunds when those generations end.
   */
  reserved_micros: number;
}

/** One group of `data`: its `key` and its figures. */
export interface UsageGroup extends UsageFigures {
  /**
   * The group's value: a model, a type, a `user_id` (null for generations created without one), or a
   * UTC day as `YYYY-MM-DD`.
   */
  key: string | null;
}

/** The answer of `GET /v1/usage`. */
export interface UsageReport {
  /** The window's start (inclusive), ISO-8601 UTC. */
  start: string;
  /** The window's end (exclusive), ISO-8601 UTC. */
  end: string;
  /** How `data` is split; null = not split (`data` is empty). */
  group_by: UsageGroupBy | null;
  /** The `user_id` filter, or null. */
  user_id: string | null;
  /** One entry per group that has generations in the window, ordered by key (null last). */
  data: UsageGroup[];
  /** The whole window: the sum of `data` when it is split. */
  total: UsageFigures;
}

const count = (description: string) => ({ type: 'integer', minimum: 0, description }) as const;

const figuresProperties = {
  generations: {
    type: 'object',
    additionalProperties: false,
    required: ['total', 'queued', 'processing', 'completed', 'failed'],
    description: 'Generations created in the window, by their state now',
    properties: {
      total: count('Every generation created in the window'),
      queued: count('Still queued'),
      processing: count('Being rendered'),
      completed: count('Completed'),
      failed: count('Failed or canceled (refunded)'),
    },
  },
  images: count('Images delivered'),
  video_seconds: { type: 'number', minimum: 0, description: 'Seconds of video delivered' },
  charged_micros: count('Settled price of the completed generations, micro-USD'),
  reserved_micros: count('Reservations of generations still queued or processing, micro-USD'),
} as const;

const FIGURES = ['generations', 'images', 'video_seconds', 'charged_micros', 'reserved_micros'] as const;

/** JSON Schema of {@link UsageReport}. */
export const usageReportSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['start', 'end', 'group_by', 'user_id', 'data', 'total'],
  properties: {
    start: { type: 'string', description: 'Window start (inclusive), ISO-8601 UTC' },
    end: { type: 'string', description: 'Window end (exclusive), ISO-8601 UTC' },
    group_by: { type: ['string', 'null'], enum: [...USAGE_GROUPS, null], description: 'How data is split' },
    user_id: { type: ['string', 'null'], description: 'The user_id filter' },
    data: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['key', ...FIGURES],
        properties: {
          key: { type: ['string', 'null'], description: 'Model, type, user_id or YYYY-MM-DD' },
          ...figuresProperties,
        },
      },
    },
    total: {
      type: 'object',
      additionalProperties: false,
      required: [...FIGURES],
      properties: figuresProperties,
    },
  },
} as const;
