// A pass-through that refuses a stream once it grows past a cap, so an inline upload is stopped while it
// arrives instead of after it was stored.
import { Transform } from 'node:stream';
import { ApiError } from '../contract/api-error.js';

/** Passes bytes through until more than `maxBytes` went by, then errors with a 413 `detail`. */
export function sizeCap(maxBytes: number, detail: string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > maxBytes) done(new ApiError(413, detail));
      else done(null, chunk);
    },
  });
}
