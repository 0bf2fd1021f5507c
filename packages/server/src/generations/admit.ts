// POST /v1/generations as a use case, in the order of contract §2.9:
// (auth, done by the caller) → body validation → RPM + concurrency → balance → media ingest → insert → 201.
import { randomUUID } from 'node:crypto';
import { ApiError } from '../contract/api-error.js';
import {
  IDEMPOTENCY_TTL_MS,
  IDEMPOTENT_REPLAYED_HEADER,
  idempotencyMismatch,
  requestHash,
} from '../contract/idempotency.js';
import { parseCreateRequest } from '../contract/validate-create.js';
import type { FailureCode, GenerationRequest, ImageRef } from '../contract/wire.js';
import { FAILURE_CODES } from '../contract/wire.js';
import type { Ingestor } from '../inputs/ingest.js';
import type { Moderator } from '../policy/moderation.js';
import { priceMicros } from '../policy/pricing.js';
import {
  ACTIVE_JOB_TTL_MS,
  checkBalance,
  checkConcurrency,
  insufficientBalance,
  takeRpmSlot,
  tooManyConcurrent,
} from '../policy/rate-limit.js';
import type { ClientRecord, GenerationRow, IdempotencyRecord, Store } from '../store/store.js';

export interface AdmitDeps {
  store: Store;
  ingestor: Ingestor;
  maxAttempts: number;
  /** Emulator mode: honour a requested failure code. */
  emulator: boolean;
  /** Checks the prompt (UMBRA_MODERATION); absent = no moderation. */
  moderator?: Moderator;
  now: () => number;
}

export interface Admitted {
  row: GenerationRow;
  /** X-RateLimit-* headers for the 201 (contract §4.3), or `Idempotent-Replayed` on a replay. */
  headers: Record<string, string>;
  /** True when an earlier request with the same key created the job and this one created nothing. */
  replayed: boolean;
}

/** Parses the emulator's `X-Umbra-Fail` header; outside emulator mode it is ignored. */
export function parseEmulatedFailure(emulator: boolean, header: string | undefined): FailureCode | null {
  if (!emulator || header === undefined || header === '') return null;
  const code = FAILURE_CODES.find((c) => c === header.trim());
  if (code === undefined) {
    throw new ApiError(
      400,
      `X-Umbra-Fail: unknown failure code '${header}'. Valid: ${FAILURE_CODES.join(', ')}`,
    );
  }
  return code;
}

// The stored request keeps the shape of what was asked but not the base64 bytes, which now live in blobs.
const withoutData = (req: GenerationRequest): GenerationRequest => {
  const strip = (r: ImageRef): ImageRef => (r.data == null ? r : { ...r, data: null });
  const v = req.video;
  return {
    ...req,
    source: req.source ? strip(req.source) : null,
    image_ref: req.image_ref.map(strip),
    video: v
      ? {
          ...v,
          start_frame: v.start_frame ? strip(v.start_frame) : v.start_frame,
          end_frame: v.end_frame ? strip(v.end_frame) : v.end_frame,
          keyframes: v.keyframes ? v.keyframes.map(strip) : v.keyframes,
          edit: v.edit
            ? { ...v.edit, keyframes: v.edit.keyframes ? v.edit.keyframes.map(strip) : v.edit.keyframes }
            : v.edit,
        }
      : null,
  };
};

/**
 * A replay answers the job as it stood when its first request admitted it (queued, no output), as the
 * first 201 did: the original answer, not the current state (GET gives that).
 */
const asAdmitted = (row: GenerationRow): GenerationRow => ({
  ...row,
  state: 'queued',
  outputs: [],
  failureCode: null,
  failureReason: null,
});

async function replay(store: Store, prior: IdempotencyRecord, hash: string): Promise<Admitted> {
  if (prior.requestHash !== hash) throw idempotencyMismatch();
  const row = await store.generations.get(prior.generationId);
  if (row === null) throw new Error(`generation ${prior.generationId} of an idempotency key is missing`);
  return { row: asAdmitted(row), headers: { [IDEMPOTENT_REPLAYED_HEADER]: 'true' }, replayed: true };
}

/** True when moderation blocks the prompt (the moderator logs why; the client sees only the code). */
async function promptFlagged(deps: AdmitDeps, prompt: string): Promise<boolean> {
  if (deps.moderator === undefined) return false;
  return (await deps.moderator.checkPrompt(prompt)).flagged;
}

/**
 * Admits one create. With an `idempotencyKey` (already checked for form), a live key of the client whose
 * body matches replays its job, and one whose body differs is a 422. A request refused before the insert
 * (validation, limits, balance, inputs) records nothing, so a corrected retry may reuse its key.
 */
export async function admitGeneration(
  deps: AdmitDeps,
  client: ClientRecord,
  body: unknown,
  emulatedFailure: FailureCode | null,
  idempotencyKey: string | null = null,
): Promise<Admitted> {
  const request = parseCreateRequest(body, { hdrAccess: client.hdrAccess });
  const now = deps.now();
  const idem =
    idempotencyKey === null
      ? undefined
      : { key: idempotencyKey, requestHash: requestHash(body), liveSince: now - IDEMPOTENCY_TTL_MS };
  if (idem !== undefined) {
    // A replay takes no rate-limit slot and no balance: it creates nothing.
    const prior = await deps.store.idempotency.find(client.id, idem.key, idem.liveSince);
    if (prior !== null) return replay(deps.store, prior, idem.requestHash);
  }
  const headers = await takeRpmSlot(deps.store, client, now);
  await checkConcurrency(deps.store, client, now);
  const price = priceMicros(request);
  // `client` may be a few seconds old (policy/key-cache.ts): a balance that looks too low is read again
  // before the 402, as a top-up or a refund may have come since. The debit itself is checked in the insert.
  checkBalance(
    client.balanceMicros !== null && client.balanceMicros < price
      ? ((await deps.store.clients.getClient(client.id)) ?? client)
      : client,
    price,
  );
  // A flagged prompt is admitted and fails before rendering, as the hosted API answers (decisions.md).
  const failure = (await promptFlagged(deps, request.prompt)) ? 'content_moderated' : emulatedFailure;

  const id = randomUUID();
  const inputs = await deps.ingestor.ingestAll(id, client.id, request);
  const createdAt = deps.now();
  const result = await deps.store.generations.admit(
    {
      id,
      clientId: client.id,
      type: request.type,
      model: request.model,
      request: withoutData(request),
      inputs,
      createdAt,
      maxAttempts: deps.maxAttempts,
      priceMicros: price,
      emulateFailure: failure,
    },
    { concurrencyLimit: client.concurrencyLimit, activeSince: createdAt - ACTIVE_JOB_TTL_MS },
    idem,
  );
  if (typeof result === 'object' && 'admitted' in result) {
    return { row: result.admitted, headers, replayed: false };
  }
  await deps.ingestor.discard(id, inputs);
  if (typeof result === 'object') {
    // A racing request with the same key won: our inputs are orphans, its job is the answer.
    return replay(deps.store, result.replayOf, idem?.requestHash ?? '');
  }
  throw result === 'too_many_concurrent' ? tooManyConcurrent() : insufficientBalance();
}
