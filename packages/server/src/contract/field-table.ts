// A declarative description of a JSON request body: one table per object, each field with its JSON type,
// enumeration, range, whether null is accepted, its default and a doc string. The same table drives the
// JSON-type pass of request validation (`readValue`, built on the readers of validate-json.ts, so every
// detail keeps its wording) and the request schemas of the OpenAPI document (`valueSchema`). Pure, no I/O.
import {
  asArray,
  asBoolean,
  asEnum,
  asInteger,
  asNumber,
  asNumberIn,
  asObject,
  asString,
  optional,
  required,
  typeError,
  type Reader,
} from './validate-json.js';

/**
 * Limits that a later stage enforces (validate-create.ts, validate-video.ts), because their documented
 * errors come after other checks or need other fields. The type pass does not check them; the document
 * states them.
 */
export interface LaterLimits {
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  uniqueItems?: boolean;
  /** The values a later stage accepts (`model`, `aspect_ratio`, whose errors need other fields). */
  enum?: readonly string[];
}

/** The JSON value a field holds. */
export type ValueSpec = (
  | { kind: 'string'; format?: string }
  | { kind: 'boolean' }
  | { kind: 'integer' }
  /** A finite number in [minimum, maximum]; with `exclusiveMinimum`, in (minimum, maximum]. */
  | { kind: 'number'; minimum: number; maximum: number; exclusiveMinimum?: boolean }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'array'; items: ValueSpec }
  | ObjectSpec
) & { later?: LaterLimits };

/** A JSON object: its members in the order they are checked (the first wrong one wins). */
export interface ObjectSpec {
  kind: 'object';
  /** The schema's name in the OpenAPI document (`components.schemas`). */
  name: string;
  /** What the object is. */
  doc: string;
  fields: readonly FieldSpec[];
}

/** One member of an object. */
export interface FieldSpec {
  name: string;
  value: ValueSpec;
  /** What the field means, with its rules; becomes the schema's description. */
  doc: string;
  /** Absent → 400 `<path> is required`. */
  required?: boolean;
  /** `null` is accepted and means "absent"; otherwise null is a wrong type. */
  nullable?: boolean;
  /** The value an absent field takes (documentation; the use case applies it). */
  default?: unknown;
}

/** The reader of one value: the JSON-type and range check, with the validators' wording. */
export function readerOf(spec: ValueSpec): Reader<unknown> {
  switch (spec.kind) {
    case 'string':
      return asString;
    case 'boolean':
      return asBoolean;
    case 'integer':
      return asInteger;
    case 'number':
      if (!spec.exclusiveMinimum) return asNumberIn(spec.minimum, spec.maximum);
      return (v, path) => {
        const n = asNumber(v, path);
        if (n <= spec.minimum || n > spec.maximum) {
          throw typeError(path, `must be greater than ${spec.minimum} and at most ${spec.maximum}`);
        }
        return n;
      };
    case 'enum':
      return asEnum(spec.values);
    case 'array':
      return asArray(readerOf(spec.items));
    case 'object':
      return (v, path) => readObject(spec, v, path);
  }
}

/**
 * Reads an object member by member in table order. Only members the caller sent are copied (absent stays
 * absent, null stays null where allowed), so unknown members never reach the result (contract §1.5).
 */
export function readObject(spec: ObjectSpec, v: unknown, path: string): Record<string, unknown> {
  const o = asObject(v, path);
  const out: Record<string, unknown> = {};
  for (const f of spec.fields) {
    const read = readerOf(f.value);
    if (f.required) {
      out[f.name] = required(o, f.name, path, read);
    } else {
      const value = optional(o, f.name, path, read, f.nullable === true);
      if (value !== undefined) out[f.name] = value;
    }
  }
  return out;
}

/** A JSON Schema (2020-12, as OpenAPI 3.1 uses it). */
export type JsonSchema = Record<string, unknown>;

/** Where a schema names an object spec: `#/components/schemas/<name>`. */
export const schemaRef = (name: string): string => `#/components/schemas/${name}`;

/**
 * The JSON Schema of a value. Objects become references; `named` collects each object's own schema by
 * name (call {@link objectSchema} through it), so a document lists each once.
 */
export function valueSchema(spec: ValueSpec, named: Map<string, JsonSchema>, nullable = false): JsonSchema {
  const base = baseSchema(spec, named);
  const later = spec.later ?? {};
  if (!nullable) return { ...base, ...later };
  if (spec.kind === 'object') return { anyOf: [base, { type: 'null' }] };
  const withNull: JsonSchema = { ...base, ...later, type: [base.type, 'null'] };
  const values = spec.kind === 'enum' ? spec.values : later.enum;
  if (values !== undefined) withNull.enum = [...values, null];
  return withNull;
}

function baseSchema(spec: ValueSpec, named: Map<string, JsonSchema>): JsonSchema {
  switch (spec.kind) {
    case 'string':
      return spec.format === undefined ? { type: 'string' } : { type: 'string', format: spec.format };
    case 'boolean':
      return { type: 'boolean' };
    case 'integer':
      return { type: 'integer' };
    case 'number':
      return spec.exclusiveMinimum
        ? { type: 'number', exclusiveMinimum: spec.minimum, maximum: spec.maximum }
        : { type: 'number', minimum: spec.minimum, maximum: spec.maximum };
    case 'enum':
      return { type: 'string', enum: [...spec.values] };
    case 'array':
      return { type: 'array', items: valueSchema(spec.items, named) };
    case 'object':
      if (!named.has(spec.name)) {
        named.set(spec.name, {}); // a placeholder first, so a recursive table would terminate
        named.set(spec.name, objectSchema(spec, named));
      }
      return { $ref: schemaRef(spec.name) };
  }
}

/** The JSON Schema of an object spec itself; unknown members are allowed (they are ignored, §1.5). */
export function objectSchema(spec: ObjectSpec, named: Map<string, JsonSchema>): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const f of spec.fields) {
    const s = valueSchema(f.value, named, f.nullable === true);
    const described: JsonSchema = { ...s, description: f.doc };
    if (f.default !== undefined) described.default = f.default;
    properties[f.name] = described;
  }
  const requiredNames = spec.fields.filter((f) => f.required).map((f) => f.name);
  return {
    type: 'object',
    description: spec.doc,
    ...(requiredNames.length > 0 ? { required: requiredNames } : {}),
    properties,
  };
}
