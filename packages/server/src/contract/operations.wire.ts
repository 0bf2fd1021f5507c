// The operator's view over the admin API (issue 13, the console's operators page): `GET /v1/admin/queue`
// (where each model's jobs stand) and `GET /v1/admin/workers` (the remote workers seen lately). Wire types
// and the JSON Schemas the HTTP layer serialises through; the client library's types must match them
// (`sdk-types.test.ts`).

/** Where one model's jobs stand now. */
export interface AdminQueueModel {
  /** The model. */
  model: string;
  /** Generations waiting to be claimed (due, or waiting out a retry backoff). */
  queued: number;
  /** Generations a worker (in-process or remote) is rendering. */
  processing: number;
  /**
   * ISO-8601 UTC: since when the longest-waiting queued generation could be claimed; null when none is
   * queued.
   */
  oldest_queued_at: string | null;
}

/** `GET /v1/admin/queue`: every model with queued or processing generations, by model name. */
export interface AdminQueue {
  data: AdminQueueModel[];
}

/** A remote worker process seen claiming or heartbeating. */
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

/** `GET /v1/admin/workers`: the remote workers seen in the last `window_seconds`, by token and instance. */
export interface AdminWorkerList {
  /** How far back "seen" reaches, in seconds. */
  window_seconds: number;
  data: AdminWorker[];
}

const nullableString = (description: string) => ({ type: ['string', 'null'], description }) as const;

export const adminQueueSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['data'],
  properties: {
    data: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['model', 'queued', 'processing', 'oldest_queued_at'],
        properties: {
          model: { type: 'string', description: 'Model' },
          queued: { type: 'integer', description: 'Generations waiting to be claimed' },
          processing: { type: 'integer', description: 'Generations being rendered' },
          oldest_queued_at: nullableString('Since when the longest-waiting one could be claimed'),
        },
      },
    },
  },
} as const;

export const adminWorkerListSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['window_seconds', 'data'],
  properties: {
    window_seconds: { type: 'integer', description: 'How far back "seen" reaches' },
    data: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['token_name', 'instance', 'kinds', 'last_seen_at', 'running'],
        properties: {
          token_name: { type: 'string', description: 'Worker token name' },
          instance: { type: 'string', description: "The process's own name" },
          kinds: { type: 'array', items: { type: 'string' }, description: 'model/type kinds it asks for' },
          last_seen_at: { type: 'string', description: 'ISO-8601 UTC of its last call' },
          running: { type: 'integer', description: 'Jobs it holds a lease on' },
        },
      },
    },
  },
} as const;
