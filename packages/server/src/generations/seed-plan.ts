// What a seeded database holds (issue 15, "Scale"): the rows `umbra seed` writes, decided here and
// nowhere else, as a pure function of the row's index. They look like months of a real deployment:
// every row terminal (a queued or processing seeded row would be picked up by the first worker that
// starts, or reaped), mostly completed with outputs, some failed with catalogued codes, images and
// videos, some tagged with an end user, spread over the clients given and over the span, oldest first.
import type { FailureCode, GenerationRequest } from '../contract/wire.js';
import { FAILURES } from '../contract/failures.js';
import { parseCreateRequest } from '../contract/validate-create.js';
import { expectedOutputs } from '../jobs/outputs.js';
import { priceMicros } from '../policy/pricing.js';
import type { SeedRow } from '../store/store.js';

export interface SeedPlan {
  /** Rows to write. */
  count: number;
  /** The clients the rows are spread over, in turn (at least one). */
  clientIds: readonly string[];
  /** The newest row is created just before this time. */
  now: number;
  /** How far before `now` the oldest row is created. */
  spanMs: number;
  /** Claims a job may take (the server's UMBRA_MAX_ATTEMPTS). */
  maxAttempts: number;
}

const DAY_MS = 86_400_000;
/** Six months of history unless told otherwise. */
export const DEFAULT_SEED_SPAN_MS = 182 * DAY_MS;

/** A small, fast, well-mixed hash of the row index: the same index always seeds the same row. */
const mix = (i: number, salt: number): number => {
  let x = (i + Math.imul(salt, 0x9e3779b1)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
};

const PROMPTS = [
  'a lighthouse on a cliff at dawn',
  'a harbour at dusk',
  'snowy mountains above a lake at sunset',
  'a red bicycle leaning on a brick wall',
  'a bowl of ramen, steam rising, overhead shot',
  'a city street in the rain at night, neon reflections',
  'a golden retriever running on a beach',
  'a product shot of a ceramic mug on linen',
];

/** The kinds of request seeded, with their share in per cent (they sum to 100). */
const KINDS: ReadonlyArray<{ share: number; body: Record<string, unknown> }> = [
  { share: 62, body: {} },
  { share: 10, body: { aspect_ratio: '16:9' } },
  { share: 8, body: { model: 'uni-1-max' } },
  { share: 5, body: { output_format: 'jpeg' } },
  { share: 12, body: { type: 'video' } },
  { share: 3, body: { type: 'video', video: { duration: '10s', resolution: '1080p' } } },
];

/** Failed rows, in per cent of all rows, by code. */
const FAILED: ReadonlyArray<{ share: number; code: FailureCode }> = [
  { share: 3, code: 'generation_failed' },
  { share: 1, code: 'content_moderated' },
];

/** End users a tagged row belongs to; a third of the rows carry a `user_id`. */
const USERS = 200;

const pick = <T extends { share: number }>(xs: readonly T[], roll: number): T | null => {
  let at = 0;
  for (const x of xs) {
    at += x.share;
    if (roll < at) return x;
  }
  return null;
};

/** Every validated request a plan can seed, parsed once: [kind][prompt][user + 1] (user -1 = none). */
function requestTable(): GenerationRequest[][][] {
  return KINDS.map((k) =>
    PROMPTS.map((prompt) =>
      Array.from({ length: USERS + 1 }, (_, u) =>
        parseCreateRequest(
          { ...k.body, prompt, ...(u === 0 ? {} : { user_id: `user-${u - 1}` }) },
          { hdrAccess: true },
        ),
      ),
    ),
  );
}

/**
 * The rows of `plan`: `rowAt(i)` for i in [0, count), created in order of i. Ids are random UUIDs, as the
 * server makes them (`randomId` is there for tests).
 */
export function seedRows(plan: SeedPlan, randomId: () => string): (i: number) => SeedRow {
  if (plan.clientIds.length === 0) throw new Error('seeding needs at least one client');
  const requests = requestTable();
  const prices = requests.map((byPrompt) => priceMicros(byPrompt[0]?.[0] as GenerationRequest));
  const step = plan.count > 1 ? plan.spanMs / plan.count : 0;
  const start = plan.now - plan.spanMs;
  return (i) => {
    const kind = pick(KINDS, mix(i, 1) % 100) ?? KINDS[0];
    const k = kind === undefined ? 0 : KINDS.indexOf(kind);
    const user = mix(i, 2) % 3 === 0 ? 1 + (mix(i, 3) % USERS) : 0;
    const request = requests[k]?.[mix(i, 4) % PROMPTS.length]?.[user] as GenerationRequest;
    const failure = pick(FAILED, mix(i, 5) % 100);
    const id = randomId();
    const createdAt = Math.floor(start + i * step);
    const video = request.type === 'video';
    // Seconds from admission to the end: images in a few, videos in a minute or two.
    const took = (video ? 30_000 + (mix(i, 6) % 90_000) : 2000 + (mix(i, 6) % 6000)) / (failure ? 2 : 1);
    const endedAt = Math.min(plan.now, createdAt + Math.floor(took));
    const clientId = plan.clientIds[i % plan.clientIds.length] as string;
    return {
      id,
      clientId,
      type: request.type,
      model: request.model,
      request,
      inputs: [],
      state: failure ? 'failed' : 'completed',
      createdAt,
      updatedAt: endedAt,
      attempts: 1,
      maxAttempts: plan.maxAttempts,
      runAfter: createdAt,
      leaseOwner: null,
      leaseExpiresAt: null,
      progress: failure ? 0 : 1,
      outputs: failure
        ? []
        : expectedOutputs(id, 1, request).map((o) => ({
            type: o.type,
            key: o.key,
            contentType: o.contentType,
          })),
      failureCode: failure ? failure.code : null,
      failureReason: failure ? FAILURES[failure.code].reason : null,
      priceMicros: prices[k] ?? 0,
      emulateFailure: null,
      completedAt: endedAt,
      upstreamId: null,
      userId: request.user_id,
      videoMs: failure || !video ? null : request.video?.duration === '10s' ? 10_000 : 5000,
    };
  };
}
