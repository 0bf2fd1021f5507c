// Pure SQL builders for the statements whose column list comes from a record (inserts; client patches
// are in clients.sql.ts).
// Table and column names only ever come from our own code (rows.ts); values are always bound.
import type { ListCursor } from '../contract/list-query.js';
import type { SqlValue } from './rows.js';

/** Renders the i-th (1-based) bind parameter: `?` for SQLite, `$i` for PostgreSQL. */
export type Placeholder = (i: number) => string;

/** better-sqlite3 binds an array to anonymous `?` in order. */
export const sqlitePlaceholder: Placeholder = () => '?';
/** pg binds an array to `$1`, `$2`, …. */
export const pgPlaceholder: Placeholder = (i) => `$${i}`;

/** A statement and its parameters, ready for a driver. */
export interface Sql {
  text: string;
  params: SqlValue[];
}

/** `INSERT INTO table (cols) VALUES (…) RETURNING *`. */
export function insertSql(table: string, values: Record<string, SqlValue>, ph: Placeholder): Sql {
  const cols = Object.keys(values);
  const marks = cols.map((_, i) => ph(i + 1));
  return {
    text: `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${marks.join(', ')}) RETURNING *`,
    params: Object.values(values),
  };
}

/**
 * The keyset condition of a newest-first page (`ORDER BY created_at DESC, id DESC`): the rows strictly
 * older than `after`. `bind` adds a parameter and returns its placeholder, so the caller keeps numbering.
 */
export const olderThan = (after: ListCursor, bind: (v: SqlValue) => string): string =>
  `(created_at < ${bind(after.createdAt)} OR (created_at = ${bind(after.createdAt)} AND id < ${bind(after.id)}))`;
