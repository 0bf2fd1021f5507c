import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

describe('config', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({}, {});
    assert.equal(c.role, 'all');
    assert.equal(c.port, 8080);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.dataDir, resolve('./data'));
    assert.equal(c.databaseUrl, null);
    assert.equal(c.urlTtlSeconds, 3600);
    assert.equal(c.emulator, false);
    assert.equal(c.allowLoopbackFetch, false);
    assert.equal(c.depthModelPath, null);
    assert.ok(Object.isFrozen(c));
  });

  it('reads the environment, and flags win over it', () => {
    const env = {
      PORT: '9000',
      HOST: '0.0.0.0',
      UMBRA_DATA_DIR: '/tmp/x',
      UMBRA_EMULATOR: '1',
      UMBRA_ROLE: 'worker',
    };
    const fromEnv = loadConfig({}, env);
    assert.deepEqual(
      [fromEnv.port, fromEnv.host, fromEnv.dataDir, fromEnv.emulator, fromEnv.role],
      [9000, '0.0.0.0', '/tmp/x', true, 'worker'],
    );
    const flagged = loadConfig({ port: 1234, dataDir: '/tmp/y', role: 'api' }, env);
    assert.deepEqual([flagged.port, flagged.dataDir, flagged.role], [1234, '/tmp/y', 'api']);
  });

  it('refuses bad values with a message naming the setting', () => {
    const bad: Array<[Record<string, string>, RegExp]> = [
      [{ PORT: 'eighty' }, /PORT/],
      [{ PORT: '70000' }, /PORT/],
      [{ UMBRA_API_KEY: 'sk-123' }, /UMBRA_API_KEY/],
      [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
      [{ UMBRA_PG_SCHEMA: 'Drop Table' }, /UMBRA_PG_SCHEMA/],
      [{ UMBRA_ROLE: 'both' }, /role/],
      [{ UMBRA_LOG_LEVEL: 'loud' }, /UMBRA_LOG_LEVEL/],
      [{ UMBRA_CONCURRENCY: '0' }, /UMBRA_CONCURRENCY/],
    ];
    for (const [env, message] of bad)
      assert.throws(
        () => loadConfig({}, env),
        (e: unknown) => e instanceof ConfigError && message.test(e.message),
      );
  });
});
