// Worker tokens: the credential of remote workers (docs/worker-protocol.md). `umbra-wkr-` + 40 random
// characters, stored only as SHA-256, never interchangeable with API keys: each kind is refused with 401
// where the other belongs.
import { randomBytes, randomUUID } from 'node:crypto';
import { ApiError } from '../contract/api-error.js';
import type { Model } from '../contract/wire.js';
import { MODELS } from '../contract/wire.js';
import type { Store, WorkerTokenRecord } from '../store/store.js';
import { hashKey } from './api-keys.js';

export const WORKER_TOKEN_PREFIX = 'umbra-wkr-';
const SHOWN = WORKER_TOKEN_PREFIX.length + 8;
/** Token names: what `umbra workers` shows and `worker-tokens revoke` takes. */
export const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const generateWorkerToken = (): string =>
  WORKER_TOKEN_PREFIX + randomBytes(30).toString('base64url').replace(/[-_]/g, 'x').slice(0, 40);

export class WorkerTokenError extends Error {
  override name = 'WorkerTokenError';
}

/** Parses `uni-1,ray-3.2`; throws WorkerTokenError naming an unknown model. */
export function parseModelList(raw: string): Model[] {
  const models = raw
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m !== '');
  for (const m of models) {
    if (!(MODELS as readonly string[]).includes(m))
      throw new WorkerTokenError(`unknown model '${m}' (use ${MODELS.join(', ')})`);
  }
  return [...new Set(models)] as Model[];
}

/** Creates a token; the plain token is returned once and never stored. */
export async function createWorkerToken(
  store: Store,
  o: { name: string; models: Model[] | null },
  now: number,
): Promise<{ token: string; record: WorkerTokenRecord }> {
  if (!TOKEN_NAME.test(o.name))
    throw new WorkerTokenError('--name must be 1-64 letters, digits, dots, dashes or underscores');
  const live = (await store.workers.listTokens()).find((t) => t.name === o.name && t.revokedAt === null);
  if (live) throw new WorkerTokenError(`a live worker token named '${o.name}' exists; revoke it first`);
  const token = generateWorkerToken();
  const record = await store.workers.createToken({
    id: randomUUID(),
    name: o.name,
    prefix: token.slice(0, SHOWN),
    hash: hashKey(token),
    models: o.models,
    createdAt: now,
  });
  return { token, record };
}

/** Resolves `Authorization: Bearer umbra-wkr-…`, or throws 401 (an API key here is refused too). */
export async function authenticateWorker(
  store: Store,
  header: string | undefined,
): Promise<WorkerTokenRecord> {
  const token = header === undefined ? undefined : /^Bearer ([^\s]+)$/.exec(header)?.[1];
  if (token === undefined || !token.startsWith(WORKER_TOKEN_PREFIX))
    throw new ApiError(401, 'Worker routes need a worker token (Authorization: Bearer umbra-wkr-…)');
  const found = await store.workers.findTokenByHash(hashKey(token));
  if (found === null) throw new ApiError(401, 'Invalid worker token');
  if (found.revokedAt !== null) throw new ApiError(401, 'Worker token has been revoked');
  return found;
}
