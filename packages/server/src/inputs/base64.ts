// Strict base64 for ImageRef.data (contract §2.4, §4.2): the size cap is applied to the decoded length,
// computed from the text before anything is allocated, so an oversized body costs one scan, not a buffer.
import { IngestError, sizeLimitReason, type MediaKind } from './ingest-error.js';

const INVALID = 'invalid base64 data';

// A `data:<mime>[;params];base64,` prefix is tolerated because browsers' FileReader produces it and
// clients paste it verbatim; only the first few hundred characters are examined so the regex stays cheap.
const DATA_URL_PREFIX = /^\s*data:[^,]*?;base64,/i;
const DATA_URL_ANY = /^\s*data:/i;

type CharClass = 'data' | 'std' | 'url' | 'pad' | 'space' | 'bad';

function classify(c: number): CharClass {
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57)) return 'data';
  if (c === 43 || c === 47) return 'std'; // + /
  if (c === 45 || c === 95) return 'url'; // - _
  if (c === 61) return 'pad'; // =
  if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11) return 'space';
  return 'bad';
}

/**
 * Decodes `data` (standard or URL-safe alphabet, padding optional, whitespace ignored, optional
 * `data:…;base64,` prefix) into bytes.
 *
 * Throws IngestError 413 `<kind> exceeds N MB limit` when the decoded size would exceed `maxBytes`
 * (detected while scanning, before decoding), and 422 `invalid base64 data` for a bad alphabet, misplaced
 * or excess padding, mixed alphabets, an impossible length, or empty input.
 */
export function decodeBase64Strict(data: string, maxBytes: number, kind: MediaKind = 'image'): Buffer {
  let start = 0;
  const head = data.slice(0, 512);
  const prefix = DATA_URL_PREFIX.exec(head);
  if (prefix) start = prefix[0].length;
  else if (DATA_URL_ANY.test(head))
    throw new IngestError(422, INVALID, 'invalid_base64', 'data URL without ;base64');

  // Four characters carry three bytes, so n data characters decode to floor(3n/4) bytes. Once n proves the
  // decoded size is over the cap the scan stops: a 200 MB string is refused without allocating anything.
  const maxDataChars = Math.ceil((4 * (maxBytes + 1)) / 3) - 1;
  let n = 0;
  let pad = 0;
  let std = false;
  let url = false;
  for (let i = start; i < data.length; i++) {
    const cls = classify(data.charCodeAt(i));
    switch (cls) {
      case 'space':
        continue;
      case 'pad':
        pad++;
        if (pad > 2) throw new IngestError(422, INVALID, 'invalid_base64', 'too much padding');
        continue;
      case 'bad':
        throw new IngestError(422, INVALID, 'invalid_base64', `bad character at ${i}`);
      case 'std':
        std = true;
        break;
      case 'url':
        url = true;
        break;
      case 'data':
        break;
    }
    if (pad > 0) throw new IngestError(422, INVALID, 'invalid_base64', 'data after padding');
    n++;
    if (n > maxDataChars) {
      throw new IngestError(413, sizeLimitReason(kind, maxBytes), 'too_large', `base64 over ${maxBytes} B`);
    }
  }
  // Mixing both alphabets is never produced by a real encoder; it signals corruption or concatenation.
  if (std && url) throw new IngestError(422, INVALID, 'invalid_base64', 'mixed alphabets');
  if (n === 0) throw new IngestError(422, INVALID, 'invalid_base64', 'empty');
  if (pad > 0 ? (n + pad) % 4 !== 0 : n % 4 === 1) {
    throw new IngestError(422, INVALID, 'invalid_base64', 'bad length or padding');
  }
  const size = Math.floor((n * 3) / 4);
  if (size > maxBytes) {
    throw new IngestError(413, sizeLimitReason(kind, maxBytes), 'too_large', `${size} B > ${maxBytes} B`);
  }
  // Node's decoder accepts both alphabets and skips whitespace, and the text is now known to be valid.
  const bytes = Buffer.from(start === 0 ? data : data.slice(start), 'base64');
  if (bytes.length !== size) throw new IngestError(422, INVALID, 'invalid_base64', 'length mismatch');
  return bytes;
}
