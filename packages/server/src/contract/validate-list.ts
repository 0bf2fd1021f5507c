// Validation of the query of `GET /v1/generations` (issue 11, "List"): the list window every list route
// shares (limit, cursor) and the three filters. Pure, no I/O. Every bad value answers 422 with a detail
// in the validators' style (`state: must be one of: …`), as on `GET /v1/files`.
import { readEnumParam, readListWindow } from './list-query.js';
import { isObject } from './validate-json.js';
import {
  GENERATION_TYPES,
  MODELS,
  STATES,
  type GenerationListQuery,
  type GenerationState,
  type GenerationType,
  type Model,
} from './wire.js';

/**
 * `GET /v1/generations?limit&cursor&state&type&model`: `limit` 1–100 (default 25), the opaque `cursor`
 * of a previous page, and optional filters on `state`, `type` and `model` (each one value of its enum).
 * Unknown parameters are ignored.
 * @throws ApiError 422 (a bad value).
 */
export function parseGenerationListQuery(query: unknown): GenerationListQuery {
  const q = isObject(query) ? query : {};
  const { limit, after } = readListWindow(q);
  return {
    limit,
    state: readEnumParam<GenerationState>(q.state, 'state', STATES),
    type: readEnumParam<GenerationType>(q.type, 'type', GENERATION_TYPES),
    model: readEnumParam<Model>(q.model, 'model', MODELS),
    after,
  };
}
