// Tenants (issue 12): listing, showing and changing clients. One use case behind both `umbra clients …`
// (which opens the store itself) and the admin API (`/v1/admin/clients…`), so the two cannot drift: both
// hand a wire-shaped change to the same validator and the same rules below.
import { ApiError } from '../contract/api-error.js';
import type { AdminClient, ClientChange } from '../contract/client-admin.wire.js';
import { parseClientChange } from '../contract/client-admin.wire.js';
import type { ClientRecord, Store } from '../store/store.js';
import { authenticate } from './api-keys.js';

/** A client as the admin API shows it. */
export const presentClient = (c: ClientRecord): AdminClient => ({
  id: c.id,
  name: c.name,
  status: c.status,
  admin: c.admin,
  hdr_access: c.hdrAccess,
  rpm_limit: c.rpmLimit,
  concurrency_limit: c.concurrencyLimit,
  balance_micros: c.balanceMicros,
  created_at: new Date(c.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
});

const notFound = (): ApiError => new ApiError(404, 'Client not found');

/** Every client, oldest first. */
export async function listClients(store: Store): Promise<AdminClient[]> {
  return (await store.clients.listClients()).map(presentClient);
}

/**
 * The client named `name`.
 * @throws ApiError 404.
 */
export async function findClient(store: Store, name: string): Promise<ClientRecord> {
  const c = await store.clients.findClientByName(name);
  if (c === null) throw notFound();
  return c;
}

const usd = (micros: number): string => `${(micros / 1e6).toFixed(6).replace(/0{1,4}$/, '')} USD`;

/** Why a balance increment cannot apply to `c`, or null when it can. */
function topUpProblem(c: ClientRecord, add: number): string | null {
  if (c.balanceMicros === null)
    return `add_balance_micros: client '${c.name}' is unmetered; set balance_micros first`;
  if (c.balanceMicros + add < 0)
    return `add_balance_micros: would take the balance below zero (it is ${usd(c.balanceMicros)})`;
  return null;
}

/**
 * Applies `body` (an `AdminClientUpdateParams`, unvalidated) to the client named `name`, in one statement.
 * `actor` is the admin client making the change over HTTP (null from the command line): it may not take
 * its own admin flag away or suspend itself, which would lock the operator out of the API.
 * @throws ApiError 400 (not an object), 404 (no such client), 422 (a bad value or an impossible change).
 */
export async function changeClient(
  store: Store,
  name: string,
  body: unknown,
  actor: ClientRecord | null,
): Promise<AdminClient> {
  const change: ClientChange = parseClientChange(body);
  const c = await findClient(store, name);
  if (actor?.id === c.id && (change.admin === false || (change.status ?? 'active') !== 'active'))
    throw new ApiError(422, 'an admin client cannot take its own admin access away or suspend itself');
  const add = change.addBalanceMicros;
  const before = add === undefined ? null : topUpProblem(c, add);
  if (before !== null) throw new ApiError(422, before);
  const updated = await store.clients.updateClient(c.id, change);
  if (updated !== null) return presentClient(updated);
  // The balance moved (or the client went) between the look above and the guarded UPDATE.
  const now = await store.clients.getClient(c.id);
  if (now === null) throw notFound();
  throw new ApiError(422, topUpProblem(now, add ?? 0) ?? 'the client changed meanwhile; try again');
}

/**
 * Resolves the bearer key like every route, then requires an admin client.
 * @throws ApiError 401/403 (authenticate), 403 when the key's client is not an admin.
 */
export async function authenticateAdmin(
  store: Store,
  header: string | undefined,
  now: number,
): Promise<ClientRecord> {
  const client = await authenticate(store, header, now);
  if (!client.admin) throw new ApiError(403, "Admin access required: this key's client is not an admin");
  return client;
}
