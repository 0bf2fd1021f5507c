// Client statements written once for both dialects (only the bind placeholders differ, and every
// placeholder is used once, in order, so SQLite's `?` binds alike).
import type { ClientPatch } from './store.js';
import { clientPatchValues, type SqlValue } from './rows.js';
import type { Placeholder, Sql } from './sql.js';

/**
 * `UPDATE clients SET … WHERE id = … RETURNING *` for a patch, in one statement. A balance increment is
 * written `balance_micros = balance_micros + x` and guarded in the WHERE clause (metered, and not below
 * zero after it), so a top-up racing an admission's reservation or a refund can never lose either: the
 * row lock serialises them, and each one adds to what the other left. Null when no row matched.
 */
export function updateClientSql(id: string, patch: ClientPatch, ph: Placeholder): Sql | null {
  const params: SqlValue[] = [];
  const bind = (v: SqlValue): string => {
    params.push(v);
    return ph(params.length);
  };
  const values = clientPatchValues(patch);
  const add = patch.addBalanceMicros;
  if (add !== undefined && values.balance_micros !== undefined)
    throw new Error('a client patch cannot both set and add to the balance');
  const sets = Object.entries(values).map(([col, v]) => `${col} = ${bind(v)}`);
  if (add !== undefined) sets.push(`balance_micros = balance_micros + ${bind(add)}`);
  if (sets.length === 0) return null;
  let where = `id = ${bind(id)}`;
  if (add !== undefined) where += ` AND balance_micros IS NOT NULL AND balance_micros + ${bind(add)} >= 0`;
  return { text: `UPDATE clients SET ${sets.join(', ')} WHERE ${where} RETURNING *`, params };
}
