// Public entry of @umbra/sdk: runs in Node ≥ 20 and in browsers (fetch only, no Node built-ins at load).
export { DEFAULT_BASE_URL, Umbra, parseCustomHeaders } from './client.js';
export type { ClientOptions } from './client.js';
export { Generations } from './generations.js';
export type { CreateOptions, WaitOptions, WaitProgress } from './generations.js';
export type { EventStreamOptions } from './generation-events.js';
export { DEFAULT_INLINE_THRESHOLD, Files } from './files.js';
export { Usage } from './usage.js';
export { Admin, AdminClients } from './admin.js';
export type { FileWaitOptions, UploadOptions, UploadParams } from './files.js';
export type { DownloadResult, DownloadTarget, NodeWritableLike } from './download.js';
export type { UploadSource } from './upload-source.js';
export { mediaTypeForName, sniffMediaType } from './sniff.js';
export {
  CLOSED_FIELD_VALUES,
  GENERATION_TYPES,
  MODELS,
  MODEL_TYPES,
  acceptedValues,
  defaultModel,
} from './accepted-values.js';
export type { AcceptedValues, ClosedField, ClosedFieldValues } from './accepted-values.js';
export type { RequestOptions } from './transport.js';
export { isRetryableStatus, retryDelay, shouldRetry } from './retry.js';
export { VERSION } from './version.js';
export * from './errors.js';
export type * from './types.js';
export type * from './file-types.js';
export { WebhookEndpoints } from './webhooks.js';
export type * from './webhook-types.js';
export type * from './tenant-types.js';
export type * from './stream-types.js';
