// Test helper: reads a `text/event-stream` response frame by frame, as raw as it came (comments too), so
// tests can check the wire itself rather than what a client library makes of it.

/** One frame: its fields (the last of each name; `data` lines joined) and its comment lines. */
export interface RawFrame {
  id?: string;
  event?: string;
  data?: string;
  retry?: string;
  comments: string[];
}

/** The parsed `data:` of a frame. */
export const dataOf = <T = Record<string, unknown>>(f: RawFrame): T => JSON.parse(f.data ?? 'null') as T;

/**
 * Reads `res`'s frames until the body ends or `stop(frame)` says so (then the connection is closed: the
 * client leaves mid-stream). Returns the frames read.
 */
export async function readFrames(res: Response, stop?: (f: RawFrame) => boolean): Promise<RawFrame[]> {
  if (res.body === null) return [];
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const frames: RawFrame[] = [];
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return frames;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const f = parse(buffer.slice(0, cut));
        buffer = buffer.slice(cut + 2);
        frames.push(f);
        if (stop?.(f) === true) return frames;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

function parse(text: string): RawFrame {
  const f: RawFrame = { comments: [] };
  const data: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith(':')) {
      f.comments.push(line.slice(1).trim());
      continue;
    }
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1).replace(/^ /, '');
    if (name === 'data') data.push(value);
    else if (name === 'id' || name === 'event' || name === 'retry') f[name] = value;
  }
  if (data.length > 0) f.data = data.join('\n');
  return f;
}
