// Resource ids on the wire: generations and files are UUIDs, answered in lower case.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The id in a path as the store keeps it (lower case), or null when it cannot be one of ours. Callers
 * answer null exactly like an unknown or another client's id (404), so the three cannot be told apart.
 */
export const canonicalId = (id: string): string | null => (UUID.test(id) ? id.toLowerCase() : null);
