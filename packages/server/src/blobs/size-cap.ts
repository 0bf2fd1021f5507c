// A pass-through that refuses a stream once it grows past a cap, so an upload is stopped while it arrives
// instead of after it was stored (the disk store's signed uploads, the Files API's inline uploads).
import { Transform } from 'node:stream';

/** Passes bytes through until more than `maxBytes` went by, then errors with `tooLarge()`. */
export function sizeCap(maxBytes: number, tooLarge: () => Error): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > maxBytes) done(tooLarge());
      else done(null, chunk);
    },
  });
}
