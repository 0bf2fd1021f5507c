// The field tables that describe the files, webhooks, admin and worker bodies in the OpenAPI document agree
// with the validators that read those bodies: every documented field is read under its name, a wrong JSON
// type and a missing required field are refused naming the field, null is accepted exactly where the table
// says so, and every documented enumeration value is accepted.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../api-error.js';
import { CLIENT_UPDATE, parseClientChange } from '../client-admin.wire.js';
import type { FieldSpec, ObjectSpec, ValueSpec } from '../field-table.js';
import { FILE_CREATE, parseFileCreateJson } from '../validate-file.js';
import { parseWebhookEndpointCreate, WEBHOOK_ENDPOINT_CREATE } from '../validate-webhook.js';
import {
  parseClaimBody,
  parseCompleteBody,
  parseFailBody,
  parseHeartbeatBody,
  parseReleaseBody,
  WORKER_BODIES,
} from '../worker-protocol.js';
import { REQUEST_EXAMPLES } from './request-examples.js';

type Body = Record<string, unknown>;
interface Case {
  table: ObjectSpec;
  parse: (body: unknown) => unknown;
  /** A body that passes. */
  base: Body;
}

const lease = { attempt: 1, lease: 'x' };
const CASES: Case[] = [
  {
    table: FILE_CREATE,
    parse: (b) => parseFileCreateJson(b, Date.now()),
    base: REQUEST_EXAMPLES.createFile[0].value,
  },
  {
    table: WEBHOOK_ENDPOINT_CREATE,
    parse: (b) => parseWebhookEndpointCreate(b, { allowLoopbackHttp: false }),
    base: REQUEST_EXAMPLES.createWebhookEndpoint[0].value,
  },
  { table: CLIENT_UPDATE, parse: parseClientChange, base: {} },
  { table: WORKER_BODIES.claim, parse: parseClaimBody, base: REQUEST_EXAMPLES.claimJob[0].value },
  { table: WORKER_BODIES.heartbeat, parse: parseHeartbeatBody, base: lease },
  { table: WORKER_BODIES.complete, parse: parseCompleteBody, base: lease },
  { table: WORKER_BODIES.fail, parse: parseFailBody, base: { ...lease, failure_code: 'generation_failed' } },
  { table: WORKER_BODIES.release, parse: parseReleaseBody, base: lease },
];

/** A JSON value of the wrong type for `spec`. */
const wrongType = (spec: ValueSpec): unknown => {
  switch (spec.kind) {
    case 'string':
    case 'enum':
      return 12345;
    case 'boolean':
    case 'integer':
    case 'number':
    case 'array':
    case 'object':
      return 'not of this type';
  }
};

/** The detail `parse(body)` is refused with, or null when it passes. */
const refusal = (parse: Case['parse'], body: Body): string | null => {
  try {
    parse(body);
    return null;
  } catch (err) {
    assert.ok(err instanceof ApiError, String(err));
    assert.ok(err.status === 400 || err.status === 422, `${err.status} ${err.detail}`);
    return err.detail;
  }
};

const namesField = (detail: string | null, f: FieldSpec): boolean =>
  detail !== null && (detail.startsWith(`${f.name}:`) || detail.startsWith(`${f.name} `));

describe('request field tables agree with their validators', () => {
  for (const c of CASES) {
    describe(c.table.name, () => {
      it('accepts the base body', () => {
        assert.equal(refusal(c.parse, c.base), null);
      });

      for (const f of c.table.fields) {
        it(`${f.name}: a wrong type is refused naming it`, () => {
          const detail = refusal(c.parse, { ...c.base, [f.name]: wrongType(f.value) });
          assert.ok(namesField(detail, f), String(detail));
        });

        it(`${f.name}: ${f.nullable ? 'null is accepted' : 'null is refused'}`, () => {
          const detail = refusal(c.parse, { ...c.base, [f.name]: null });
          if (f.nullable) assert.equal(detail, null);
          else assert.ok(namesField(detail, f), String(detail));
        });

        if (f.required) {
          it(`${f.name}: required, so its absence is refused naming it`, () => {
            const body = { ...c.base };
            delete body[f.name];
            assert.ok(namesField(refusal(c.parse, body), f));
          });
        }

        const values = f.value.kind === 'enum' ? f.value.values : undefined;
        const items =
          f.value.kind === 'array' && f.value.items.kind === 'enum' ? f.value.items.values : undefined;
        if (values !== undefined || items !== undefined) {
          it(`${f.name}: every documented value is accepted`, () => {
            for (const v of values ?? []) assert.equal(refusal(c.parse, { ...c.base, [f.name]: v }), null, v);
            for (const v of items ?? [])
              assert.equal(refusal(c.parse, { ...c.base, [f.name]: [v] }), null, v);
          });
        }
      }
    });
  }
});
