// Builders for the Store conformance suite: clients, generations and claims with sensible defaults.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { GenerationRequest } from '../../contract/wire.js';
import {
  admitOutcome,
  type AdmitLimits,
  type ClientRecord,
  type GenerationRow,
  type NewClient,
  type NewGeneration,
  type Store,
} from '../store.js';

/** A fixed epoch for tests, far from both 0 and now, so ordering bugs show. */
export const T0 = 1_700_000_000_000;

/** No concurrency cap. */
export const NO_CAP: AdmitLimits = { concurrencyLimit: null, activeSince: 0 };

/** A validated request as the admission use case would store it. */
export const REQUEST: GenerationRequest = {
  prompt: 'a lighthouse at dusk, long exposure',
  type: 'image',
  model: 'uni-1',
  aspect_ratio: '16:9',
  image_ref: [{ url: 'https://example.com/ref.png' }],
  source: null,
  style: 'auto',
  output_format: 'png',
  web_search: false,
  user_id: 'user-1',
  video: null,
};

/** Creates a client with a unique name; unmetered and uncapped unless overridden. */
export function newClient(store: Store, over: Partial<NewClient> = {}): Promise<ClientRecord> {
  const id = randomUUID();
  return store.clients.createClient({
    id,
    name: `client-${id}`,
    hdrAccess: false,
    rpmLimit: null,
    concurrencyLimit: null,
    balanceMicros: null,
    createdAt: T0,
    ...over,
  });
}

/** A new generation of `clientId`, created at T0, free, three attempts. */
export function newGen(clientId: string, over: Partial<NewGeneration> = {}): NewGeneration {
  return {
    id: randomUUID(),
    clientId,
    type: 'image',
    model: 'uni-1',
    request: REQUEST,
    inputs: [{ slot: 'image_ref[0]', key: 'inputs/abc.png', mediaType: 'image/png', generationId: null }],
    createdAt: T0,
    maxAttempts: 3,
    priceMicros: 0,
    emulateFailure: null,
    ...over,
  };
}

/** Admits a generation without a cap and asserts it went in. */
export async function admitted(store: Store, g: NewGeneration): Promise<NewGeneration> {
  assert.equal(admitOutcome(await store.generations.admit(g, NO_CAP)), 'admitted');
  return g;
}

/** Reads a row that must exist. */
export async function row(store: Store, id: string): Promise<GenerationRow> {
  const r = await store.generations.get(id);
  assert.ok(r, `generation ${id} should exist`);
  return r;
}

/** Claims the next row and asserts it is `id`. */
export async function claimed(
  store: Store,
  id: string,
  worker: string,
  now = T0,
  leaseMs = 60_000,
): Promise<GenerationRow> {
  const r = await store.generations.claim(worker, now, leaseMs);
  assert.equal(r?.id, id);
  assert.ok(r);
  return r;
}

/** The metered balance of a client. */
export async function balance(store: Store, clientId: string): Promise<number | null> {
  const c = await store.clients.getClient(clientId);
  assert.ok(c);
  return c.balanceMicros;
}
