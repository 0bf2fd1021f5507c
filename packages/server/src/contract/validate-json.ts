// JSON type readers for request validation (contract §2.9: wrong JSON types → 400 with a string `detail`).
// Each reader takes the value and its field path and either returns it typed or throws
// ApiError(400, `<path>: must be …`). Pure, no I/O.
import { ApiError } from './api-error.js';

/** A parsed JSON object (not an array, not null). */
export type JsonObject = Record<string, unknown>;

/** A reader turns an unknown JSON value at `path` into a typed value, or throws a 400. */
export type Reader<T> = (value: unknown, path: string) => T;

/** 400 with the documented `<path>: <message>` style. */
export const typeError = (path: string, message: string): ApiError =>
  new ApiError(400, `${path}: ${message}`);

export const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const asString: Reader<string> = (v, path) => {
  if (typeof v !== 'string') throw typeError(path, 'must be a string');
  return v;
};

export const asBoolean: Reader<boolean> = (v, path) => {
  if (typeof v !== 'boolean') throw typeError(path, 'must be a boolean');
  return v;
};

export const asNumber: Reader<number> = (v, path) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw typeError(path, 'must be a number');
  return v;
};

export const asInteger: Reader<number> = (v, path) => {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw typeError(path, 'must be an integer');
  return v;
};

export const asObject: Reader<JsonObject> = (v, path) => {
  if (!isObject(v)) throw typeError(path, 'must be an object');
  return v;
};

/** A reader for one of a closed set of strings; any other value (a non-string too) gets the list. */
export const asEnum =
  <T extends string>(values: readonly T[]): Reader<T> =>
  (v, path) => {
    const found = values.find((x) => x === v);
    if (found === undefined) throw typeError(path, `must be one of: ${values.join(', ')}`);
    return found;
  };

/** A reader for an array whose elements are read with `item` at paths `<path>[<i>]`. */
export const asArray =
  <T>(item: Reader<T>): Reader<T[]> =>
  (v, path) => {
    if (!Array.isArray(v)) throw typeError(path, 'must be an array');
    return v.map((e: unknown, i) => item(e, `${path}[${i}]`));
  };

/** A number reader with an inclusive range (contract §2.5 float bounds). */
export const asNumberIn =
  (min: number, max: number): Reader<number> =>
  (v, path) => {
    const n = asNumber(v, path);
    if (n < min || n > max) throw typeError(path, `must be between ${min} and ${max}`);
    return n;
  };

/** Joins an object path and a key (`''` is the body root). */
export const child = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

/**
 * Reads an optional member. Absent (or `undefined`) → `undefined`. `null` → `null` when the contract marks the
 * field `| null` (it then means "absent"); otherwise null is handed to the reader, which rejects it as the
 * wrong type, so `{"style": null}` gets `style: must be one of: …`.
 */
export function optional<T>(
  obj: JsonObject,
  key: string,
  path: string,
  read: Reader<T>,
  nullable: boolean,
): T | null | undefined {
  if (!Object.hasOwn(obj, key)) return undefined;
  const v = obj[key];
  if (v === undefined) return undefined;
  if (v === null && nullable) return null;
  return read(v, child(path, key));
}

/** Reads a required member; absent → 400 `<path> is required` (same shape as `source is required for …`). */
export function required<T>(obj: JsonObject, key: string, path: string, read: Reader<T>): T {
  const p = child(path, key);
  if (!Object.hasOwn(obj, key) || obj[key] === undefined) throw new ApiError(400, `${p} is required`);
  return read(obj[key], p);
}

/**
 * Copies `value` into `target[key]` only when the caller sent the member, so nested optional members stay
 * exactly as sent (absent stays absent, null stays null) and unknown members never reach the result.
 */
export function assignIfSent<T extends object, K extends keyof T>(
  target: T,
  key: K,
  value: T[K] | undefined,
): void {
  if (value !== undefined) target[key] = value;
}
