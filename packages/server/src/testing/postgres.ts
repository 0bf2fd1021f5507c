// PostgreSQL for tests: where it is, whether it answers, and a describe() that runs only when it does.
// Without a reachable server a suite is skipped locally with one line saying why, but fails under CI,
// where PostgreSQL must be tested.
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { dropPgSchemas, pgProblem } from '../store/pg-admin.js';

export const TEST_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The URL with any password hidden, for messages. */
const where = TEST_DATABASE_URL.replace(/(\/\/[^:@/]*):[^@/]*@/, '$1:…@');

const unreachable = await pgProblem(TEST_DATABASE_URL);

export const dropSchema = (schema: string): Promise<void> => dropPgSchemas(TEST_DATABASE_URL, schema);

/**
 * Runs `body` with a fresh schema name when PostgreSQL answers; the schema is dropped afterwards.
 * Otherwise skips (locally) or fails (under CI) with the reason.
 */
export function describeWithPostgres(name: string, body: (schema: string) => void): void {
  if (unreachable === null) {
    const schema = `umbra_test_${randomBytes(6).toString('hex')}`;
    describe(name, () => {
      body(schema);
      after(() => dropSchema(schema));
    });
  } else if (process.env.CI) {
    describe(name, () => {
      it('needs a reachable PostgreSQL under CI', () => {
        throw new Error(`PostgreSQL not reachable at ${where}: ${unreachable}`);
      });
    });
  } else {
    describe(name, { skip: `PostgreSQL not reachable at ${where}: ${unreachable}` }, () => {});
  }
}
