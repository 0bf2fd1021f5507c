// The shape of one route as the OpenAPI document describes it (operations.ts lists them all), and the
// helpers the route lists share. Pure data.
import type { JsonSchema, ObjectSpec } from '../field-table.js';
import { LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT } from '../list-query.js';
import type { RequestExample } from './request-examples.js';

/** Who may call a route. */
export type Auth =
  /** `Authorization: Bearer luma-api-…`, any client. */
  | 'apiKey'
  /** An API key of an admin client. */
  | 'adminKey'
  /** `Authorization: Bearer umbra-wkr-…`, a worker token. */
  | 'workerToken'
  /** A signed URL (`expires` + `signature` in the query). */
  | 'signedUrl'
  | 'none';

/** The groups of the reference page. */
export const TAGS = [
  { name: 'Generations', description: 'The hosted API: submit and poll generations.' },
  { name: 'Files', description: 'The hosted Files API: upload once, reference by `file_id`.' },
  {
    name: 'Umbra: generations',
    description: "Umbra's own routes for generations: list, cancel, live events.",
  },
  { name: 'Umbra: webhooks', description: 'Umbra only: webhook endpoints and their deliveries.' },
  { name: 'Umbra: usage and admin', description: 'Umbra only: usage figures and the admin API.' },
  { name: 'Umbra: workers', description: 'Umbra only: the remote worker protocol (worker tokens).' },
  {
    name: 'Umbra: operations',
    description: 'Umbra only: health, readiness, metrics, stored media, this reference.',
  },
] as const;
export type Tag = (typeof TAGS)[number]['name'];

export interface Param {
  /** Umbra's own parameter on a route of the hosted API. */
  extension?: boolean;
  name: string;
  in: 'path' | 'query' | 'header';
  doc: string;
  schema: JsonSchema;
  required?: boolean;
}

export interface RequestBody {
  contentType: string;
  /** A field table (the validator's), or a JSON Schema for non-JSON bodies. */
  schema: ObjectSpec | JsonSchema;
  /** Bodies that succeed as they are; each is sent to a real server by a test. */
  examples?: readonly RequestExample[];
}

export interface Answer {
  status: number;
  doc: string;
  /** The JSON Schema that serialises it (application/json unless `contentType`). */
  schema?: object;
  contentType?: string;
  /** Response headers: name → description (or, for Umbra's own headers on hosted routes, {@link umbraHeader}). */
  headers?: Readonly<Record<string, string | UmbraHeader>>;
}

export interface Operation {
  id: string;
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** OpenAPI form: `/v1/generations/{id}`. */
  path: string;
  tag: Tag;
  summary: string;
  doc?: string;
  /** Not in the hosted API: Umbra's own. */
  extension: boolean;
  auth: Auth;
  params?: readonly Param[];
  body?: readonly RequestBody[];
  answers: readonly Answer[];
}

/** A response header the hosted API does not send. */
export interface UmbraHeader {
  doc: string;
  extension: true;
}
export const umbraHeader = (doc: string): UmbraHeader => ({ doc, extension: true });

export const idParam = (what: string): Param => ({
  name: 'id',
  in: 'path',
  required: true,
  doc: `The ${what}'s id. An unknown, malformed or another client's id answers 404 alike.`,
  schema: { type: 'string' },
});

export const listParams = (filters: readonly Param[]): Param[] => [
  {
    name: 'limit',
    in: 'query',
    doc: `Page size, 1–${LIST_MAX_LIMIT}; default ${LIST_DEFAULT_LIMIT}.`,
    schema: { type: 'integer', minimum: 1, maximum: LIST_MAX_LIMIT, default: LIST_DEFAULT_LIMIT },
  },
  {
    name: 'cursor',
    in: 'query',
    doc: 'The `next_cursor` of the previous page; absent = from the newest.',
    schema: { type: 'string' },
  },
  ...filters,
];

export const enumQuery = (name: string, values: readonly string[], doc: string): Param => ({
  name,
  in: 'query',
  doc,
  schema: { type: 'string', enum: [...values] },
});

/** A JSON body described by a field table. */
export const json = (spec: ObjectSpec, examples?: readonly RequestExample[]): RequestBody =>
  examples === undefined
    ? { contentType: 'application/json', schema: spec }
    : { contentType: 'application/json', schema: spec, examples };
