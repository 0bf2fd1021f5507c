export { DEFAULT_BASE_URL, Generations, Umbra, retryDelay } from './client.js';
export type { ClientOptions, RequestOptions, WaitOptions } from './client.js';
export * from './errors.js';
export type * from './types.js';
