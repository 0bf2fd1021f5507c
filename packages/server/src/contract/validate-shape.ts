// Stage 1 of request validation: the JSON shape of a POST /v1/generations body (contract §2.3–§2.5).
// Checks the JSON type of every known field in the order of the field table (generation-request.fields.ts)
// and copies only known fields, so unknown fields are ignored at every level (§1.5). Value rules that need
// more than one field live in validate-create.ts and validate-video.ts. Pure, no I/O.
import { ApiError } from './api-error.js';
import { readObject } from './field-table.js';
import { GENERATION_CREATE } from './generation-request.fields.js';
import type { GenerationType, ImageRef, OutputFormat, Style, VideoOptions } from './wire.js';
import { isObject } from './validate-json.js';

/**
 * The body after the JSON-type pass: every field has its wire type, but defaults are not applied yet and the
 * values whose documented errors need other fields (`model`, `aspect_ratio`) are still plain strings.
 * `undefined` = absent; `null` = sent as null (only where the contract allows it).
 */
export interface BodyShape {
  prompt: string;
  type: GenerationType | undefined;
  model: string | undefined;
  aspect_ratio: string | null | undefined;
  image_ref: ImageRef[] | undefined;
  source: ImageRef | null | undefined;
  style: Style | undefined;
  output_format: OutputFormat | null | undefined;
  web_search: boolean | undefined;
  user_id: string | null | undefined;
  video: VideoOptions | null | undefined;
}

/** Reads the top level in the order of the §2.3 table; the first wrong type wins. */
export function readBody(body: unknown): BodyShape {
  // Malformed JSON never reaches us (the HTTP layer answers it); a JSON array/string/null body lands here.
  if (!isObject(body)) throw new ApiError(400, 'Request body must be a JSON object');
  // The table's types are the BodyShape's (generation-request.fields.ts follows the §2.3 table).
  return readObject(GENERATION_CREATE, body, '') as unknown as BodyShape;
}
