// Public surface of the server package, for the CLI and for embedding.
export * from './contract/wire.js';
export { ConfigError, loadConfig } from './config.js';
export type { Config, ConfigOverrides, Role } from './config.js';
export { openConfiguredStore, startUmbra } from './main.js';
export type { RunningUmbra } from './main.js';
export { createKeyForClient } from './policy/key-admin.js';
export type { CreateKeyOptions, CreatedKey } from './policy/key-admin.js';
export type { ClientRecord, KeyRecord, Store } from './store/store.js';
