// The signed-in key lives in this tab's session storage only, and travels only in the Authorization
// header the client library sets. The console talks to the server it was served from.
import { Umbra } from '@umbra/sdk';
import type { GenerationCreateParams } from '@umbra/sdk';

const KEY = 'umbra.console.apiKey';
const REQUESTS = 'umbra.console.requests';
/** How many sent requests the tab remembers (shown on their detail pages). */
const MAX_REQUESTS = 200;

/** The API root of the server that served this page. */
export const apiBaseURL = (): string => `${location.origin}/v1`;

export const storedKey = (): string | null => sessionStorage.getItem(KEY);
export const storeKey = (key: string): void => sessionStorage.setItem(KEY, key);
export const forgetKey = (): void => sessionStorage.removeItem(KEY);

export const clientFor = (apiKey: string): Umbra =>
  new Umbra({ apiKey, baseURL: apiBaseURL(), maxRetries: 1, timeout: 30_000 });

const readRequests = (): [string, GenerationCreateParams][] => {
  try {
    const v = JSON.parse(sessionStorage.getItem(REQUESTS) ?? '[]') as unknown;
    return Array.isArray(v) ? (v as [string, GenerationCreateParams][]) : [];
  } catch {
    return [];
  }
};

/** Remembers the body sent for a generation (the API does not echo requests back). */
export function rememberRequest(id: string, body: GenerationCreateParams): void {
  const kept = readRequests().filter(([k]) => k !== id);
  kept.push([id, body]);
  sessionStorage.setItem(REQUESTS, JSON.stringify(kept.slice(-MAX_REQUESTS)));
}

/** The body this tab sent for `id`, if it sent it. */
export const requestOf = (id: string): GenerationCreateParams | null =>
  readRequests().find(([k]) => k === id)?.[1] ?? null;
