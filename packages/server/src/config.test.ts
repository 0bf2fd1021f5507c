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
    assert.equal(c.shutdownGraceMs, 8000);
    assert.ok(Object.isFrozen(c));
  });

  it('reads the environment, and flags win over it', () => {
    const env = {
      PORT: '9000',
      HOST: '0.0.0.0',
      UMBRA_DATA_DIR: '/tmp/x',
      UMBRA_EMULATOR: '1',
      UMBRA_ROLE: 'worker',
      UMBRA_SHUTDOWN_GRACE_MS: '1500',
    };
    const fromEnv = loadConfig({}, env);
    assert.equal(fromEnv.shutdownGraceMs, 1500);
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
      [{ UMBRA_SHUTDOWN_GRACE_MS: '-1' }, /UMBRA_SHUTDOWN_GRACE_MS/],
      [{ UMBRA_SHUTDOWN_GRACE_MS: 'soon' }, /UMBRA_SHUTDOWN_GRACE_MS/],
      [{ UMBRA_ENGINES: 'uni-1=gpu' }, /UMBRA_ENGINES: unknown engine 'gpu' in 'uni-1=gpu'/],
      [{ UMBRA_ENGINES: 'uni-2=remote' }, /UMBRA_ENGINES: unknown model 'uni-2'/],
      [{ UMBRA_ENGINES: 'uni-1/video=remote' }, /'uni-1\/video' .* is not a type of uni-1/],
      [{ UMBRA_ENGINES: 'uni-1' }, /UMBRA_ENGINES: 'uni-1' must be MODEL=ENGINE/],
      [
        { UMBRA_ENGINES: 'uni-1-max=relay' },
        /routes uni-1-max\/image, uni-1-max\/image_edit to relay, but UMBRA_RELAY_URL is not set/,
      ],
      [{ UMBRA_RELAY_URL: 'ftp://x' }, /UMBRA_RELAY_URL/],
      [
        { UMBRA_ENGINES: 'uni-1=relay', UMBRA_RELAY_URL: 'https://upstream.example/v1' },
        /routes uni-1\/image, uni-1\/image_edit to relay, but UMBRA_RELAY_API_KEY is not set/,
      ],
      [{ UMBRA_RELAY_RETRY_SECONDS: '-1' }, /UMBRA_RELAY_RETRY_SECONDS/],
      [{ UMBRA_RELAY_INLINE_MAX_BYTES: '60000000' }, /UMBRA_RELAY_INLINE_MAX_BYTES/],
      [{ UMBRA_RELAY_POLL_MS: '0' }, /UMBRA_RELAY_POLL_MS/],
    ];
    for (const [env, message] of bad)
      assert.throws(
        () => loadConfig({}, env),
        (e: unknown) => e instanceof ConfigError && message.test(e.message),
      );
  });

  it('routes models to engines: model entries, then model/type entries; unlisted use reference (issue 9)', () => {
    assert.deepEqual(Object.values(loadConfig({}, {}).engines).sort(), Array(7).fill('reference'));
    const c = loadConfig(
      {},
      {
        UMBRA_ENGINES: 'ray-3.2/video_edit=remote, uni-1=remote,uni-1-max=relay,ray-3.2=reference',
        UMBRA_RELAY_URL: 'https://upstream.example/v1/',
        UMBRA_RELAY_API_KEY: 'luma-api-upstream-key',
        UMBRA_RELAY_RETRY_SECONDS: '5',
      },
    );
    assert.deepEqual(c.engines, {
      'uni-1/image': 'remote',
      'uni-1/image_edit': 'remote',
      'uni-1-max/image': 'relay',
      'uni-1-max/image_edit': 'relay',
      'ray-3.2/video': 'reference',
      'ray-3.2/video_edit': 'remote',
      'ray-3.2/video_reframe': 'reference',
    });
    assert.equal(c.relayUrl, 'https://upstream.example/v1');
    assert.deepEqual(
      [c.relayApiKey, c.relayRetrySeconds, c.relayPollMs, c.relayInlineMaxBytes],
      ['luma-api-upstream-key', 5, 2000, 4 * 1024 * 1024],
    );
  });

  it('puts blobs in a bucket when UMBRA_S3_BUCKET is set, on disk otherwise (issue 10)', () => {
    assert.equal(loadConfig({}, {}).s3, null);
    assert.deepEqual(loadConfig({}, { UMBRA_S3_BUCKET: 'media' }).s3, {
      bucket: 'media',
      endpoint: null,
      region: 'us-east-1',
      forcePathStyle: false,
      publicEndpoint: null,
      prefix: '',
      credentials: null,
    });
    const c = loadConfig(
      {},
      {
        UMBRA_S3_BUCKET: 'umbra-media',
        UMBRA_S3_ENDPOINT: 'http://minio:9000/',
        UMBRA_S3_REGION: 'eu-west-3',
        UMBRA_S3_FORCE_PATH_STYLE: 'true',
        UMBRA_S3_PUBLIC_ENDPOINT: 'https://media.example.com',
        UMBRA_S3_PREFIX: '/team-a/umbra/',
        AWS_ACCESS_KEY_ID: 'AKID',
        AWS_SECRET_ACCESS_KEY: 'secret',
      },
    );
    assert.deepEqual(c.s3, {
      bucket: 'umbra-media',
      endpoint: 'http://minio:9000',
      region: 'eu-west-3',
      forcePathStyle: true,
      publicEndpoint: 'https://media.example.com',
      prefix: 'team-a/umbra/',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
    });
  });

  it('refuses bad S3 settings with one line naming the setting', () => {
    const bad: Array<[Record<string, string>, RegExp]> = [
      [{ UMBRA_S3_BUCKET: 'My_Bucket' }, /UMBRA_S3_BUCKET must be a bucket name/],
      [{ UMBRA_S3_ENDPOINT: 'http://minio:9000' }, /UMBRA_S3_ENDPOINT is set but UMBRA_S3_BUCKET is not/],
      [
        { UMBRA_S3_BUCKET: 'media', UMBRA_S3_ENDPOINT: 'minio:9000' },
        /UMBRA_S3_ENDPOINT must be an http\(s\) URL/,
      ],
      [{ UMBRA_S3_BUCKET: 'media', UMBRA_S3_PUBLIC_ENDPOINT: 'ftp://x' }, /UMBRA_S3_PUBLIC_ENDPOINT/],
      [{ UMBRA_S3_BUCKET: 'media', UMBRA_S3_REGION: 'EU West' }, /UMBRA_S3_REGION/],
      [
        { UMBRA_S3_BUCKET: 'media', UMBRA_S3_FORCE_PATH_STYLE: 'ture' },
        /UMBRA_S3_FORCE_PATH_STYLE must be true or false/,
      ],
      [{ UMBRA_S3_BUCKET: 'media', UMBRA_S3_PREFIX: 'a/../b' }, /UMBRA_S3_PREFIX/],
      [
        { UMBRA_S3_BUCKET: 'media', AWS_ACCESS_KEY_ID: 'AKID' },
        /AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/,
      ],
    ];
    for (const [env, message] of bad)
      assert.throws(
        () => loadConfig({}, env),
        (e: unknown) => e instanceof ConfigError && message.test(e.message) && !e.message.includes('\n'),
        message.source,
      );
  });

  it('reads the webhook settings (issue 11), refusing a retry scale outside (0, 1]', () => {
    const d = loadConfig({}, {});
    assert.deepEqual([d.webhookTimeoutMs, d.webhookConcurrency, d.webhookRetryScale], [15_000, 8, 1]);
    const set = loadConfig(
      {},
      { UMBRA_WEBHOOK_TIMEOUT_MS: '500', UMBRA_WEBHOOK_CONCURRENCY: '2', UMBRA_WEBHOOK_RETRY_SCALE: '0.001' },
    );
    assert.deepEqual([set.webhookTimeoutMs, set.webhookConcurrency, set.webhookRetryScale], [500, 2, 0.001]);
    for (const v of ['0', '2', '-0.5', 'fast', '1e3'])
      assert.throws(
        () => loadConfig({}, { UMBRA_WEBHOOK_RETRY_SCALE: v }),
        /UMBRA_WEBHOOK_RETRY_SCALE must be a number above 0 and at most 1/,
        v,
      );
  });

  it('reads the log format and the metrics port (issue 12)', () => {
    const d = loadConfig({}, { HOST: '10.0.0.5' });
    assert.deepEqual([d.logFormat, d.metricsPort, d.metricsHost], ['auto', null, '10.0.0.5']);
    const set = loadConfig(
      {},
      { UMBRA_LOG_FORMAT: 'JSON', UMBRA_METRICS_PORT: '9464', UMBRA_METRICS_HOST: '0.0.0.0' },
    );
    assert.deepEqual([set.logFormat, set.metricsPort, set.metricsHost], ['json', 9464, '0.0.0.0']);
    assert.equal(loadConfig({}, { UMBRA_LOG_FORMAT: 'pretty' }).logFormat, 'pretty');
    assert.throws(() => loadConfig({}, { UMBRA_LOG_FORMAT: 'xml' }), /UMBRA_LOG_FORMAT must be json, pretty/);
    for (const v of ['-1', '70000', 'metrics'])
      assert.throws(() => loadConfig({}, { UMBRA_METRICS_PORT: v }), /UMBRA_METRICS_PORT must be an integer/);
  });
});
