// Public surface of the server package, for the CLI and for embedding.
export * from './contract/wire.js';
export { ConfigError, loadConfig } from './config.js';
export type { Config, ConfigOverrides, Role } from './config.js';
export type { Logger } from './log.js';
export { openConfiguredStore, seedConfiguredDatabase, startRemoteWorker, startUmbra } from './main.js';
export { installProcessGuards } from './process-guards.js';
export type { RunningRemoteWorker, RunningUmbra, SeedOptions, SeedReport } from './main.js';
export { WorkerTokenError, createWorkerToken, parseModelList } from './policy/worker-tokens.js';
export { createKeyForClient } from './policy/key-admin.js';
export { changeClient, findClient, listClients, presentClient } from './policy/client-admin.js';
export { ApiError } from './contract/api-error.js';
export type { AdminClient, AdminClientUpdateParams, ClientStatus } from './contract/client-admin.wire.js';
export { CLIENT_STATUSES } from './contract/client-admin.wire.js';
export type { CreateKeyOptions, CreatedKey } from './policy/key-admin.js';
export type { ClientRecord, KeyRecord, SeenWorker, Store, WorkerTokenRecord } from './store/store.js';
export {
  WebhookAdminError,
  addWebhookEndpoint,
  listWebhookEndpoints,
  removeWebhookEndpoint,
} from './webhooks/admin.js';
export type { WebhookAdminOptions } from './webhooks/admin.js';
export { WEBHOOK_EVENT_TYPES } from './contract/webhook.wire.js';
export type * from './contract/webhook.wire.js';
