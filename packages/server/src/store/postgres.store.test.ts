// Runs the Store conformance suite on a real PostgreSQL, in a fresh schema that is dropped afterwards.
import { describeWithPostgres, TEST_DATABASE_URL } from '../testing/postgres.js';
import { openStore } from './open-store.js';
import { runStoreConformance } from './testing/store.conformance.js';

describeWithPostgres('Store on PostgreSQL', (pgSchema) => {
  runStoreConformance('postgres', () =>
    openStore({ databaseUrl: TEST_DATABASE_URL, sqlitePath: '', pgSchema }),
  );
});
