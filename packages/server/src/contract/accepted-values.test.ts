// The client library's table of what each model/type accepts (accepted-values.ts in @umbra/sdk) is
// written by hand, like its types; this test asks the server's own validation about every model, type,
// closed field and value, and fails wherever the two answers differ.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Sdk from '@umbra/sdk';
import { ApiError } from './api-error.js';
import { MODEL_TYPES, defaultModel } from './model-matrix.js';
import { parseCreateRequest } from './validate-create.js';
import {
  ASPECT_RATIOS,
  DURATIONS,
  EDIT_STRENGTHS,
  GENERATION_TYPES,
  MODELS,
  OUTPUT_FORMATS,
  RESOLUTIONS,
  STYLES,
  type GenerationType,
  type Model,
} from './wire.js';

/** The server's value list of each closed field. */
const SERVER_VALUES: { [F in Sdk.ClosedField]: readonly string[] } = {
  aspect_ratio: ASPECT_RATIOS,
  output_format: OUTPUT_FORMATS,
  style: STYLES,
  'video.resolution': RESOLUTIONS,
  'video.duration': DURATIONS,
  'video.edit.strength': EDIT_STRENGTHS,
};
const FIELDS = Object.keys(SERVER_VALUES) as Sdk.ClosedField[];

/** The smallest body the server accepts for a model/type: a prompt, and what the type requires. */
function baseBody(model: Model, type: GenerationType): Record<string, unknown> {
  const body: Record<string, unknown> = { prompt: 'p', type, model };
  if (type === 'image_edit') body.source = { url: 'https://a.example/in.png' };
  if (type === 'video_edit' || type === 'video_reframe') {
    body.source = { url: 'https://a.example/in.mp4', media_type: 'video/mp4' };
  }
  if (type === 'video_reframe') body.aspect_ratio = '16:9'; // required (§2.8 F30)
  return body;
}

/** `body` with `value` at the dotted `path`. */
function withField(body: Record<string, unknown>, path: string, value: string): Record<string, unknown> {
  const copy = structuredClone(body);
  const keys = path.split('.');
  let at = copy;
  for (const k of keys.slice(0, -1)) {
    at[k] ??= {};
    at = at[k] as Record<string, unknown>;
  }
  at[keys.at(-1) ?? ''] = value;
  return copy;
}

/** Whether the server's validation passes `body`; any other error than a 400/422 is a test failure. */
function serverAccepts(body: Record<string, unknown>): boolean {
  try {
    parseCreateRequest(body, { hdrAccess: true });
    return true;
  } catch (err) {
    if (err instanceof ApiError && (err.status === 400 || err.status === 422)) return false;
    throw err;
  }
}

const sorted = (xs: readonly string[]): string[] => [...xs].sort();

describe("the SDK's accepted-values table matches the server's validation", () => {
  it('the same models, types and value lists', () => {
    assert.deepEqual(Sdk.MODELS, MODELS);
    assert.deepEqual(Sdk.GENERATION_TYPES, GENERATION_TYPES);
    for (const f of FIELDS) assert.deepEqual(sorted(Sdk.CLOSED_FIELD_VALUES[f]), sorted(SERVER_VALUES[f]), f);
  });

  it('the same model ↔ type pairs, and the same default model per type', () => {
    assert.deepEqual(Sdk.MODEL_TYPES, MODEL_TYPES);
    for (const type of GENERATION_TYPES) {
      assert.equal(Sdk.defaultModel(type), defaultModel(type), type);
      for (const model of MODELS) {
        const sdk = Sdk.acceptedValues(model, type) !== null;
        assert.equal(sdk, MODEL_TYPES[model].includes(type), `${model}/${type} in MODEL_TYPES`);
        assert.equal(sdk, serverAccepts(baseBody(model, type)), `${model}/${type} on the server`);
      }
    }
  });

  it('every value of every closed field: listed by the SDK exactly when the server accepts it', () => {
    const disagreements: string[] = [];
    let checked = 0;
    for (const model of MODELS) {
      for (const type of MODEL_TYPES[model]) {
        const accepted = Sdk.acceptedValues(model, type);
        assert.ok(accepted !== null);
        const base = baseBody(model, type);
        for (const field of FIELDS) {
          // Listed values must be real values of the field, in no particular relation to the server's.
          const listed: readonly string[] = accepted[field];
          for (const v of listed) assert.ok(SERVER_VALUES[field].includes(v), `${field} ${v}`);
          for (const value of [...SERVER_VALUES[field], 'bogus']) {
            const server = serverAccepts(withField(base, field, value));
            if (server !== listed.includes(value)) {
              disagreements.push(
                `${model}/${type} ${field}=${value}: server ${server ? 'accepts' : 'refuses'}, SDK ${server ? 'omits' : 'lists'} it`,
              );
            }
            checked++;
          }
        }
      }
    }
    assert.deepEqual(disagreements, []);
    assert.ok(checked > 100, `${checked} cases`);
  });

  it('the check itself sees a refusal: a ratio only video takes, on an image model', () => {
    assert.equal(serverAccepts(withField(baseBody('uni-1', 'image'), 'aspect_ratio', '21:9')), false);
    assert.equal(serverAccepts(withField(baseBody('ray-3.2', 'video'), 'aspect_ratio', '21:9')), true);
    assert.deepEqual(withField({ a: 1 }, 'video.edit.strength', 'flex_1'), {
      a: 1,
      video: { edit: { strength: 'flex_1' } },
    });
  });
});
