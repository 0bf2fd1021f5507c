// The OpenAPI 3.1 document of the whole server, generated from contract/: the operation table
// (operations.ts), the request field tables that validate bodies, the JSON Schemas that serialise answers,
// and the error catalogue (error-catalogue.ts). Nothing here is written by hand twice. Pure, no I/O.
import { objectSchema, schemaRef, type JsonSchema, type ObjectSpec } from '../field-table.js';
import { adminClientListSchema, adminClientSchema } from '../client-admin.wire.js';
import {
  createFileResponseSchema,
  fileListSchema,
  fileSchema,
  presignedUploadSchema,
} from '../file.schema.js';
import { generationListSchema, generationSchema } from '../generation.schema.js';
import { usageReportSchema } from '../usage.wire.js';
import {
  createdWebhookEndpointSchema,
  webhookAttemptSchema,
  webhookDeliveryListSchema,
  webhookDeliverySchema,
  webhookEndpointListSchema,
  webhookEndpointSchema,
} from '../webhook.schema.js';
import { API_VERSION } from '../wire.js';
import { ERROR_CATALOGUE, type DocumentedError } from './error-catalogue.js';
import { OPERATIONS, TAGS, type Answer, type Auth, type Operation, type RequestBody } from './operations.js';

/** The vendor extension that marks what the hosted API does not have. */
export const EXTENSION_KEY = 'x-umbra-extension';

/** The answer schemas the server serialises through, by component name. */
const ANSWER_SCHEMAS: Readonly<Record<string, object>> = {
  Generation: generationSchema,
  GenerationList: generationListSchema,
  File: fileSchema,
  FileList: fileListSchema,
  PresignedUpload: presignedUploadSchema,
  CreateFileResponse: createFileResponseSchema,
  WebhookEndpoint: webhookEndpointSchema,
  CreatedWebhookEndpoint: createdWebhookEndpointSchema,
  WebhookAttempt: webhookAttemptSchema,
  WebhookDelivery: webhookDeliverySchema,
  WebhookEndpointList: webhookEndpointListSchema,
  WebhookDeliveryList: webhookDeliveryListSchema,
  AdminClient: adminClientSchema,
  AdminClientList: adminClientListSchema,
  UsageReport: usageReportSchema,
};

const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['detail'],
  properties: { detail: { type: 'string', description: 'What went wrong, in words; branch on the status.' } },
  description: 'The body of every error (contract §4.1).',
};

const SECURITY: Readonly<Record<Exclude<Auth, 'none'>, JsonSchema>> = {
  apiKey: {
    type: 'http',
    scheme: 'bearer',
    description: '`Authorization: Bearer luma-api-…`. Keys of one client share its generations and limits.',
  },
  adminKey: {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key (`luma-api-…`) of a client with admin access.',
  },
  workerToken: {
    type: 'http',
    scheme: 'bearer',
    description:
      '`Authorization: Bearer umbra-wkr-…`: a worker token, never interchangeable with an API key.',
  },
  signedUrl: {
    type: 'apiKey',
    in: 'query',
    name: 'signature',
    description: 'A URL this server signed (with `expires`); valid until it expires.',
  },
};

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Invalid request',
  401: 'Not authenticated',
  402: 'Insufficient balance',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Too large',
  422: 'Rejected combination or content',
  429: 'Too many requests',
  503: 'A part is unavailable',
};

/**
 * A deep copy of `schema` in which every answer schema other than `self` becomes a `$ref`, so that each
 * is listed once (the serialiser nests the same objects).
 */
function withRefs(schema: unknown, self: object | null, names: ReadonlyMap<object, string>): unknown {
  if (Array.isArray(schema)) return schema.map((s: unknown) => withRefs(s, self, names));
  if (typeof schema !== 'object' || schema === null) return schema;
  const name = schema === self ? undefined : names.get(schema);
  if (name !== undefined) return { $ref: schemaRef(name) };
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, withRefs(v, self, names)]));
}

const exampleName = (detail: string, taken: Set<string>): string => {
  const base =
    detail
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_|_$/g, '')
      .slice(0, 48) || 'error';
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
};

const isSpec = (s: RequestBody['schema']): s is ObjectSpec => s.kind === 'object' && 'fields' in s;

export interface OpenApiDocument {
  openapi: string;
  info: JsonSchema;
  servers: JsonSchema[];
  tags: JsonSchema[];
  paths: Record<string, Record<string, JsonSchema>>;
  components: {
    schemas: Record<string, unknown>;
    securitySchemes: Record<string, JsonSchema>;
    headers: Record<string, JsonSchema>;
  };
}

/** The document, built afresh (the caller may cache it; it never changes within a process). */
export function buildOpenApiDocument(): OpenApiDocument {
  const names = new Map<object, string>(Object.entries(ANSWER_SCHEMAS).map(([n, s]) => [s, n]));
  const schemas: Record<string, unknown> = { Error: ERROR_SCHEMA };
  for (const [name, s] of Object.entries(ANSWER_SCHEMAS)) schemas[name] = withRefs(s, s, names);
  const requestSchemas = new Map<string, JsonSchema>();

  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of OPERATIONS) {
    const errors = ERROR_CATALOGUE.filter((e) => e.ops.includes(op.id));
    (paths[op.path] ??= {})[op.method] = operation(op, errors, names, requestSchemas);
  }
  for (const [name, s] of requestSchemas) schemas[name] = s;

  return {
    openapi: '3.1.0',
    info: {
      title: 'Umbra — the Luma Generations API, self-hosted',
      version: API_VERSION,
      description: [
        'A wire-compatible implementation of the Luma Generations API (and its Files API): any client of the',
        'hosted API works by changing its base URL. Routes and headers the hosted API does not have are',
        `marked \`${EXTENSION_KEY}: true\` and grouped under the "Umbra:" tags; the bodies of the hosted routes`,
        'never change.\n\nEvery answer carries `X-Request-Id` (the caller’s, or a new UUID) and',
        '`X-API-Version`. Every error is `{"detail": "…"}`: branch on the status. Any origin may call (CORS);',
        'preflights (`OPTIONS`) are answered for every path.',
      ].join(' '),
    },
    servers: [{ url: '/', description: 'This server' }],
    tags: TAGS.map((t) =>
      t.name.startsWith('Umbra')
        ? { ...t, [EXTENSION_KEY]: true }
        : { name: t.name, description: t.description },
    ),
    paths,
    components: {
      schemas,
      securitySchemes: { ...SECURITY },
      headers: {
        'X-Request-Id': {
          description: 'The caller’s X-Request-Id, or a new UUID.',
          schema: { type: 'string' },
        },
        'X-API-Version': { description: 'The API version.', schema: { type: 'string', const: API_VERSION } },
      },
    },
  };
}

const COMMON_HEADERS = {
  'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' },
  'X-API-Version': { $ref: '#/components/headers/X-API-Version' },
};

function operation(
  op: Operation,
  errors: readonly DocumentedError[],
  names: ReadonlyMap<object, string>,
  requestSchemas: Map<string, JsonSchema>,
): JsonSchema {
  const out: JsonSchema = {
    operationId: op.id,
    summary: op.summary,
    tags: [op.tag],
    ...(op.doc === undefined ? {} : { description: op.doc }),
    security: op.auth === 'none' ? [] : [{ [op.auth]: [] }],
  };
  if (op.extension) out[EXTENSION_KEY] = true;
  if (op.params !== undefined && op.params.length > 0) {
    out.parameters = op.params.map((p) => ({
      name: p.name,
      in: p.in,
      description: p.doc,
      required: p.in === 'path' ? true : p.required === true,
      schema: p.schema,
      ...(p.extension === true ? { [EXTENSION_KEY]: true } : {}),
    }));
  }
  if (op.body !== undefined) {
    const content: Record<string, JsonSchema> = {};
    for (const b of op.body) {
      let schema: JsonSchema;
      if (isSpec(b.schema)) {
        if (!requestSchemas.has(b.schema.name)) {
          requestSchemas.set(b.schema.name, {});
          requestSchemas.set(b.schema.name, objectSchema(b.schema, requestSchemas));
        }
        schema = { $ref: schemaRef(b.schema.name) };
      } else {
        schema = b.schema;
      }
      const media: JsonSchema = { schema };
      if (b.examples !== undefined) {
        media.examples = Object.fromEntries(
          b.examples.map((e) => [e.name, { summary: e.summary, value: e.value }]),
        );
      }
      content[b.contentType] = media;
    }
    out.requestBody = { required: true, content };
  }
  const responses: Record<string, JsonSchema> = {};
  for (const a of op.answers) responses[String(a.status)] = answer(a, names);
  const byStatus = new Map<number, DocumentedError[]>();
  for (const e of errors) byStatus.set(e.status, [...(byStatus.get(e.status) ?? []), e]);
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    const taken = new Set<string>();
    responses[String(status)] = {
      description: STATUS_TEXT[status] ?? 'Error',
      headers: COMMON_HEADERS,
      content: {
        'application/json': {
          schema: { $ref: schemaRef('Error') },
          examples: Object.fromEntries(
            list.map((e) => [exampleName(e.detail, taken), { summary: e.when, value: { detail: e.detail } }]),
          ),
        },
      },
    };
  }
  out.responses = responses;
  return out;
}

function answer(a: Answer, names: ReadonlyMap<object, string>): JsonSchema {
  const headers: Record<string, JsonSchema> = { ...COMMON_HEADERS };
  for (const [name, h] of Object.entries(a.headers ?? {})) {
    headers[name] =
      typeof h === 'string'
        ? { description: h, schema: { type: 'string' } }
        : { description: h.doc, schema: { type: 'string' }, [EXTENSION_KEY]: true };
  }
  const out: JsonSchema = { description: a.doc, headers };
  if (a.schema !== undefined) {
    out.content = { [a.contentType ?? 'application/json']: { schema: withRefs(a.schema, null, names) } };
  }
  return out;
}
