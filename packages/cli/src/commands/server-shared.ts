// What the server-side commands share: the lazily loaded server package (so `umbra generate` starts fast
// and works without it), the store of the data directory or DATABASE_URL, and common options.
import { InvalidArgumentError } from 'commander';
import type * as ServerPackage from '@umbra/server';
import type { Config, Store } from '@umbra/server';

export const loadServer = (): Promise<typeof ServerPackage> => import('@umbra/server');

/** Runs `fn` on the store of the data directory (or DATABASE_URL), with the config, and closes it afterwards. */
export async function withStore<T>(
  dataDir: string | undefined,
  fn: (store: Store, config: Config) => Promise<T>,
): Promise<T> {
  const { loadConfig, openConfiguredStore } = await loadServer();
  const config = loadConfig(dataDir === undefined ? {} : { dataDir });
  const store = await openConfiguredStore(config);
  try {
    return await fn(store, config);
  } finally {
    await store.close();
  }
}

export const dataDirOption = [
  '--data-dir <dir>',
  'data directory (env UMBRA_DATA_DIR, default ./data)',
] as const;

export const nonNegativeInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
};

export const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
};
