// The change a `PATCH /v1/admin/clients/{name}` body (or `umbra clients set`) asks for: every field, its
// limits, and the status of each refusal (issue 12, "Tenants").
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from './api-error.js';
import { parseClientChange } from './client-admin.wire.js';

const refused = (body: unknown, status: number, detail: RegExp | string): void => {
  assert.throws(
    () => parseClientChange(body),
    (e: unknown) =>
      e instanceof ApiError &&
      e.status === status &&
      (typeof detail === 'string' ? e.detail === detail : detail.test(e.detail)),
    JSON.stringify(body),
  );
};

describe('parseClientChange', () => {
  it('maps every field to the store’s terms; absent fields stay absent', () => {
    assert.deepEqual(parseClientChange({}), {});
    assert.deepEqual(
      parseClientChange({
        status: 'suspended',
        admin: true,
        hdr_access: false,
        rpm_limit: 5,
        concurrency_limit: null,
        balance_micros: 0,
      }),
      {
        status: 'suspended',
        admin: true,
        hdrAccess: false,
        rpmLimit: 5,
        concurrencyLimit: null,
        balanceMicros: 0,
      },
    );
    assert.deepEqual(parseClientChange({ add_balance_micros: -250 }), { addBalanceMicros: -250 });
    assert.deepEqual(parseClientChange({ balance_micros: null }), { balanceMicros: null });
  });

  it('refuses a body that is not an object with 400, and every bad field with 422', () => {
    for (const body of [null, [], 'x', 3]) refused(body, 400, 'Request body must be a JSON object');
    refused({ status: 'paused' }, 422, 'status: must be one of: active, suspended, deactivated');
    refused({ admin: 'yes' }, 422, 'admin: must be true or false');
    refused({ hdr_access: 1 }, 422, 'hdr_access: must be true or false');
    for (const v of [0, -1, 1.5, '30'])
      refused({ rpm_limit: v }, 422, 'rpm_limit: must be a positive integer, or null for unlimited');
    refused({ concurrency_limit: 0 }, 422, /^concurrency_limit: must be a positive integer/);
    for (const v of [-1, 0.5, '1', 2 ** 60])
      refused({ balance_micros: v }, 422, /^balance_micros: must be a whole number of micro-USD/);
    refused({ add_balance_micros: 0.5 }, 422, 'add_balance_micros: must be a whole number of micro-USD');
    refused({ add_balance_micros: null }, 422, 'add_balance_micros: must be a whole number of micro-USD');
    refused(
      { balance_micros: 1, add_balance_micros: 1 },
      422,
      'balance_micros and add_balance_micros cannot be given together',
    );
    refused({ rpm: 5 }, 422, /^unknown field 'rpm'; valid: status, admin, hdr_access/);
  });
});
