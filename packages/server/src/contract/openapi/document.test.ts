// The OpenAPI document is a valid OpenAPI 3.1 document (checked by a real validator of the specification's
// own schemas), marks every Umbra-only route, and takes its enumerations, request schemas and answer schemas
// from the contract modules that validate and serialise.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { generationSchema } from '../generation.schema.js';
import { ASPECT_RATIOS, GENERATION_TYPES, MODELS, RESOLUTIONS } from '../wire.js';
import { buildOpenApiDocument, EXTENSION_KEY } from './document.js';
import { ERROR_CATALOGUE } from './error-catalogue.js';
import { OPERATIONS } from './operations.js';

type Json = Record<string, unknown>;
const doc = buildOpenApiDocument();
const schemas = doc.components.schemas as Record<string, Json>;
const props = (name: string): Record<string, Json> =>
  (schemas[name]?.properties ?? {}) as Record<string, Json>;

const operations = (): Array<{ path: string; method: string; op: Json }> =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(JSON.stringify(doc)) as Record<string, unknown>);
    assert.equal(validator.version, '3.1');
    assert.deepEqual(result.errors ?? [], []);
    assert.equal(result.valid, true);
  });

  it('is the same on every build (pure)', () => {
    assert.deepEqual(buildOpenApiDocument(), doc);
  });

  it('marks every Umbra-only route, and only those, with the extension and an Umbra tag', () => {
    for (const o of OPERATIONS) {
      const op = doc.paths[o.path]?.[o.method];
      assert.ok(op, `${o.method} ${o.path}`);
      assert.equal(op[EXTENSION_KEY] === true, o.extension, o.id);
      assert.equal((op.tags as string[])[0]?.startsWith('Umbra:'), o.extension, o.id);
    }
    const hosted = OPERATIONS.filter((o) => !o.extension).map((o) => `${o.method} ${o.path}`);
    assert.deepEqual(hosted.sort(), [
      'delete /v1/files/{id}',
      'get /v1/files',
      'get /v1/files/{id}',
      'get /v1/generations/{id}',
      'post /v1/files',
      'post /v1/files/{id}/complete',
      'post /v1/generations',
    ]);
  });

  it("marks Umbra's own headers on the hosted routes", () => {
    const create = doc.paths['/v1/generations']?.post as Json;
    const params = create.parameters as Json[];
    const marked = params.filter((p) => p[EXTENSION_KEY] === true).map((p) => p.name);
    assert.deepEqual(marked, ['idempotency-key', 'x-umbra-fail']);
    const get = (doc.paths['/v1/generations/{id}']?.get?.responses as Record<string, Json>)['200'];
    const headers = get?.headers as Record<string, Json>;
    assert.equal(headers['umbra-progress']?.[EXTENSION_KEY], true);
    assert.equal(headers['X-Request-Id']?.[EXTENSION_KEY], undefined);
  });

  it('has unique operation ids and declares every path parameter', () => {
    const ids = operations().map(({ op }) => op.operationId);
    assert.equal(new Set(ids).size, ids.length);
    for (const { path, op } of operations()) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = ((op.parameters ?? []) as Json[]).filter((p) => p.in === 'path').map((p) => p.name);
      assert.deepEqual(declared.sort(), inPath.sort(), path);
    }
  });

  it('secures routes with the API key, the admin key or the worker token', () => {
    const schemeOf = (path: string, method: string): string[] =>
      ((doc.paths[path]?.[method]?.security ?? []) as Json[]).flatMap((s) => Object.keys(s));
    assert.deepEqual(schemeOf('/v1/generations', 'post'), ['apiKey']);
    assert.deepEqual(schemeOf('/v1/admin/clients', 'get'), ['adminKey']);
    assert.deepEqual(schemeOf('/v1/worker/claim', 'post'), ['workerToken']);
    assert.deepEqual(schemeOf('/healthz', 'get'), []);
    assert.equal(doc.components.securitySchemes.apiKey?.scheme, 'bearer');
  });

  it('takes request enumerations from the wire constants', () => {
    const create = props('GenerationCreateParams');
    assert.deepEqual(create.type?.enum, [...GENERATION_TYPES]);
    assert.deepEqual(create.model?.enum, [...MODELS]);
    assert.deepEqual(create.aspect_ratio?.enum, [...ASPECT_RATIOS, null]);
    assert.deepEqual(props('VideoOptions').resolution?.enum, [...RESOLUTIONS, null]);
    assert.deepEqual(schemas.GenerationCreateParams?.required, ['prompt']);
    assert.equal(create.prompt?.maxLength, 6000);
    assert.equal(typeof create.prompt?.description, 'string');
  });

  it('answers with the schemas the server serialises through', () => {
    assert.deepEqual(Object.keys(props('Generation')), Object.keys(generationSchema.properties));
    const created = doc.paths['/v1/generations']?.post?.responses as Record<string, Json>;
    assert.deepEqual(created['201']?.content, {
      'application/json': { schema: { $ref: '#/components/schemas/Generation' } },
    });
    const list = props('GenerationList');
    assert.deepEqual(list.data?.items, { $ref: '#/components/schemas/Generation' });
  });

  it('lists every catalogued error under its operations with its exact detail as an example', () => {
    for (const e of ERROR_CATALOGUE) {
      assert.ok(e.ops.length > 0, e.detail);
      for (const id of e.ops) {
        const o = OPERATIONS.find((x) => x.id === id);
        assert.ok(o, `unknown operation ${id}`);
        const res = (doc.paths[o.path]?.[o.method]?.responses as Record<string, Json>)[String(e.status)];
        const content = res?.content as Record<string, Json> | undefined;
        const examples = Object.values(
          (content?.['application/json']?.examples ?? {}) as Record<string, Json>,
        );
        assert.ok(
          examples.some((x) => (x.value as Json).detail === e.detail),
          `${id} ${e.status} ${e.detail}`,
        );
      }
    }
  });
});
