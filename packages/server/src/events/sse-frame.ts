// Server-sent event frames (the WHATWG `text/event-stream` format), as pure functions. A frame is a few
// `field: value` lines and a blank line; values here never contain a line break (JSON is written on one
// line), so no field needs splitting.

/** One event: `id:` (what a reconnecting client sends back as Last-Event-ID), `event:` (its name), `data:`. */
export function sseEvent(e: { id?: number; event: string; data: unknown }): string {
  const id = e.id === undefined ? '' : `id: ${e.id}\n`;
  return `${id}event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
}

/** A comment line: clients ignore it, proxies see bytes flowing (a keep-alive). */
export const sseComment = (text: string): string => `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;

/** How long a client should wait before reconnecting after the connection drops, in ms. */
export const sseRetry = (ms: number): string => `retry: ${Math.max(0, Math.round(ms))}\n\n`;
