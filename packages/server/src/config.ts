// The only reader of process.env (docs/architecture.md "Processes"). Read once at start-up, validated,
// frozen, handed down.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { isValidBlobKey } from './blobs/blob-store.js';
import type { EngineRoutes } from './engines/routes.js';
import { RoutesError, kindsRoutedTo, parseEngineRoutes } from './engines/routes.js';
import type { ModerationConfig } from './policy/moderation.js';
import { parseModerationSetting } from './policy/moderation.js';

export type Role = 'all' | 'api' | 'worker';

/** How log records are written: `json` (one object per line), `pretty` (one readable line), `auto`. */
export type LogFormat = 'auto' | 'json' | 'pretty';

/** Blobs in an S3-compatible bucket instead of the data dir (every process with the store needs it). */
export interface S3Config {
  /** UMBRA_S3_BUCKET: the bucket (it must exist). Setting it is what selects S3. */
  bucket: string;
  /** UMBRA_S3_ENDPOINT: an S3-compatible service, e.g. http://minio:9000; null = AWS S3 for the region. */
  endpoint: string | null;
  /** UMBRA_S3_REGION: the region requests are signed for. Default us-east-1. */
  region: string;
  /** UMBRA_S3_FORCE_PATH_STYLE: bucket in the path, not the host (MinIO and most others). Default false. */
  forcePathStyle: boolean;
  /** UMBRA_S3_PUBLIC_ENDPOINT: the endpoint clients reach, signed into URLs; null = UMBRA_S3_ENDPOINT. */
  publicEndpoint: string | null;
  /** UMBRA_S3_PREFIX: prepended to every object key, e.g. `umbra/`, to share a bucket. Default none. */
  prefix: string;
  /**
   * AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN); null = the AWS SDK's default chain
   * (shared profile, SSO, container or instance role).
   */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | null;
}

export interface Config {
  /** `all` = api + worker in one process (the embedded default). */
  role: Role;
  /** PORT, default 8080. */
  port: number;
  /** HOST, default 127.0.0.1. */
  host: string;
  /** UMBRA_DATA_DIR, default ./data: SQLite file, blobs, signing secret. */
  dataDir: string;
  /** UMBRA_PUBLIC_URL: origin used in signed output URLs; null = the address the API listens on. */
  publicUrl: string | null;
  /** DATABASE_URL: postgres://… selects PostgreSQL; unset = SQLite in the data dir. */
  databaseUrl: string | null;
  /** UMBRA_PG_SCHEMA: PostgreSQL schema for Umbra's tables (created if missing); default the search_path. */
  databaseSchema: string | null;
  /** UMBRA_API_KEY: a `luma-api-…` key accepted for the default client. */
  apiKey: string | null;
  /** UMBRA_SIGNING_SECRET: HMAC key for output URLs; default a random secret kept in the data dir. */
  signingSecret: string | null;
  /** UMBRA_CONCURRENCY: jobs rendered at once by this worker; default the core count. */
  concurrency: number;
  /** UMBRA_URL_TTL_SECONDS: lifetime of signed output URLs, default 3600 (contract §3.3). */
  urlTtlSeconds: number;
  /**
   * UMBRA_KEY_CACHE_MS: how long an API key and its client, once read, are reused without a database read.
   * A change made through this process applies at once; one made by another process within this. Default
   * 5000; 0 = read on every request.
   */
  keyCacheMs: number;
  /** UMBRA_KEY_CACHE_ENTRIES: most keys kept in that cache (least recently used go first). Default 10000. */
  keyCacheEntries: number;
  /**
   * UMBRA_ROW_CACHE_ENTRIES: most completed or failed generations kept in memory for GET (they never change,
   * so a kept row is never stale). Default 10000; 0 = read every row from the database.
   */
  rowCacheEntries: number;
  /** UMBRA_LEASE_MS: a job's lease; a worker that stops heartbeating loses it after this. Default 30000. */
  leaseMs: number;
  /**
   * UMBRA_SHUTDOWN_GRACE_MS: on SIGTERM, how long running jobs may still finish before they are aborted and
   * handed back to the queue (without spending an attempt). Default 8000.
   */
  shutdownGraceMs: number;
  /** UMBRA_MAX_ATTEMPTS: claims per job before it fails for good. Default 3. */
  maxAttempts: number;
  /** UMBRA_RETRY_BASE_MS: first retry delay; doubles per attempt (with jitter). Default 2000. */
  retryBaseMs: number;
  /** UMBRA_POLL_MS: how often an idle worker looks for work. Default 250. */
  pollMs: number;
  /** UMBRA_MAX_BODY_BYTES: largest accepted request body. Default 256 MiB (several base64 images). */
  maxBodyBytes: number;
  /** UMBRA_EMULATOR=1: honour the X-Umbra-Fail request header (deliberate failures, for client tests). */
  emulator: boolean;
  /** UMBRA_EMULATE_LATENCY_MS: emulator only — extra time each job spends processing. Default 0. */
  emulateLatencyMs: number;
  /** UMBRA_TEST_ALLOW_LOOPBACK_FETCH=1: TEST ONLY — input URLs and webhook receivers may be http:// on loopback. */
  allowLoopbackFetch: boolean;
  /** UMBRA_LOG_LEVEL: fatal|error|warn|info|debug|silent. Default info. */
  logLevel: string;
  /** UMBRA_LOG_FORMAT: json | pretty; default `auto` = pretty on a terminal, JSON otherwise. */
  logFormat: LogFormat;
  /**
   * UMBRA_METRICS_PORT: serve /metrics (and /healthz, /readyz) on this port instead of the API port, so
   * metrics need not be public; worker-only processes serve them only there. null = on the API port.
   */
  metricsPort: number | null;
  /** UMBRA_METRICS_HOST: the address the metrics port binds; default HOST. */
  metricsHost: string;
  /** UMBRA_FFMPEG: ffmpeg binary; null = `ffmpeg` on PATH if present, else the one shipped in an npm package. */
  ffmpegPath: string | null;
  /** UMBRA_FFPROBE: ffprobe binary; null = found like ffmpeg. */
  ffprobePath: string | null;
  /** UMBRA_DEPTH_MODEL: a local ONNX depth model for video_edit; null = the built-in approximate depth. */
  depthModelPath: string | null;
  /** UMBRA_EDIT_DEBUG_DIR: write each video_edit's control signals there as `<id>-controls.mp4`. */
  editDebugDir: string | null;
  /** UMBRA_ENGINES: engine per `model/type` (reference, relay, remote); unlisted pairs use reference. */
  engines: EngineRoutes;
  /** UMBRA_RELAY_URL: base URL of the upstream for `relay` routes, e.g. https://…/v1. */
  relayUrl: string | null;
  /** UMBRA_RELAY_API_KEY: the key sent upstream; required when any kind is routed to relay. */
  relayApiKey: string | null;
  /** UMBRA_RELAY_POLL_MS: how often a relayed job asks the upstream how it is doing. Default 2000. */
  relayPollMs: number;
  /**
   * UMBRA_RELAY_RETRY_SECONDS: how long one upstream call is retried on network errors, 429 and 5xx
   * (honouring Retry-After) before the relayed job fails. Default 60.
   */
  relayRetrySeconds: number;
  /**
   * UMBRA_RELAY_INLINE_MAX_BYTES: inputs larger than this go upstream through its Files API (when it has
   * one) instead of inline base64. Default 4 MiB.
   */
  relayInlineMaxBytes: number;
  /** UMBRA_MAX_UPLOAD_BYTES: largest output file a remote worker may upload. Default 2 GiB. */
  maxUploadBytes: number;
  /**
   * UMBRA_SSE_KEEPALIVE_MS: an event stream with nothing to send gets a comment this often, so proxies
   * and load balancers do not close it as idle. Default 15000.
   */
  sseKeepAliveMs: number;
  /** Blobs in a bucket (UMBRA_S3_*); null = files under the data dir, served by this server's signed routes. */
  s3: S3Config | null;
  /** UMBRA_WEBHOOK_TIMEOUT_MS: deadline of one webhook attempt, DNS to answer. Default 15000. */
  webhookTimeoutMs: number;
  /** UMBRA_WEBHOOK_CONCURRENCY: webhook attempts on the wire at once, per api process. Default 8. */
  webhookConcurrency: number;
  /**
   * UMBRA_WEBHOOK_RETRY_SCALE: multiplies every webhook retry delay and the 24-hour retry window, above 0
   * and at most 1 (e.g. 0.001 runs the whole schedule in 86 s, for tests). Default 1.
   */
  webhookRetryScale: number;
  /** UMBRA_MODERATION, UMBRA_MODERATION_TIMEOUT_MS, UMBRA_MODERATION_FAIL (README "Moderation"). */
  moderation: ModerationConfig;
  /** `umbra worker` — UMBRA_SERVER_URL: the server's base URL (…/v1) to claim jobs from. */
  serverUrl: string | null;
  /** `umbra worker` — UMBRA_WORKER_TOKEN: its `umbra-wkr-…` token. */
  workerToken: string | null;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Values given on the command line win over the environment. */
export type ConfigOverrides = Partial<
  Pick<Config, 'role' | 'port' | 'host' | 'dataDir' | 'serverUrl' | 'workerToken' | 'concurrency'>
>;

const int = (env: NodeJS.ProcessEnv, name: string, dflt: number, min: number, max: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got '${raw}'`);
  }
  return n;
};

/** A number in (0, max]: a typo or an out-of-range value stops start-up. */
const fraction = (env: NodeJS.ProcessEnv, name: string, dflt: number, max: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = /^\d*\.?\d+(e-?\d+)?$/i.test(raw.trim()) ? Number(raw) : NaN;
  if (!(n > 0 && n <= max))
    throw new ConfigError(`${name} must be a number above 0 and at most ${max}, got '${raw}'`);
  return n;
};

const flag = (env: NodeJS.ProcessEnv, name: string): boolean => {
  const raw = (env[name] ?? '').toLowerCase();
  return raw === '1' || raw === 'true' || raw === 'yes';
};

const str = (env: NodeJS.ProcessEnv, name: string): string | null => {
  const raw = env[name];
  return raw === undefined || raw === '' ? null : raw;
};

/** A strict boolean: a typo must not silently mean false. */
const bool = (env: NodeJS.ProcessEnv, name: string, dflt: boolean): boolean => {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '') return dflt;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got '${env[name]}'`);
};

const endpointUrl = (env: NodeJS.ProcessEnv, name: string): string | null => {
  const raw = str(env, name)?.replace(/\/+$/, '') ?? null;
  if (raw !== null && !/^https?:\/\/[^/?#]+(\/[^?#]*)?$/.test(raw)) {
    throw new ConfigError(`${name} must be an http(s) URL, got '${raw}'`);
  }
  return raw;
};

const S3_SETTINGS = [
  'UMBRA_S3_ENDPOINT',
  'UMBRA_S3_REGION',
  'UMBRA_S3_FORCE_PATH_STYLE',
  'UMBRA_S3_PUBLIC_ENDPOINT',
  'UMBRA_S3_PREFIX',
];

function loadS3(env: NodeJS.ProcessEnv): S3Config | null {
  const bucket = str(env, 'UMBRA_S3_BUCKET');
  if (bucket === null) {
    const stray = S3_SETTINGS.find((name) => str(env, name) !== null);
    if (stray !== undefined) throw new ConfigError(`${stray} is set but UMBRA_S3_BUCKET is not`);
    return null;
  }
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new ConfigError(`UMBRA_S3_BUCKET must be a bucket name (3-63 of a-z 0-9 . -), got '${bucket}'`);
  }
  const region = str(env, 'UMBRA_S3_REGION') ?? 'us-east-1';
  if (!/^[a-z0-9-]{1,40}$/.test(region)) {
    throw new ConfigError(`UMBRA_S3_REGION must be a region name such as us-east-1, got '${region}'`);
  }
  const prefix = (str(env, 'UMBRA_S3_PREFIX') ?? '').replace(/^\/+|\/+$/g, '');
  if (prefix !== '' && !isValidBlobKey(prefix)) {
    throw new ConfigError(`UMBRA_S3_PREFIX must be path segments of letters, digits, . _ -, got '${prefix}'`);
  }
  const accessKeyId = str(env, 'AWS_ACCESS_KEY_ID');
  const secretAccessKey = str(env, 'AWS_SECRET_ACCESS_KEY');
  if ((accessKeyId === null) !== (secretAccessKey === null)) {
    throw new ConfigError('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together');
  }
  const sessionToken = str(env, 'AWS_SESSION_TOKEN');
  return {
    bucket,
    endpoint: endpointUrl(env, 'UMBRA_S3_ENDPOINT'),
    region,
    forcePathStyle: bool(env, 'UMBRA_S3_FORCE_PATH_STYLE', false),
    publicEndpoint: endpointUrl(env, 'UMBRA_S3_PUBLIC_ENDPOINT'),
    prefix: prefix === '' ? '' : `${prefix}/`,
    credentials:
      accessKeyId === null || secretAccessKey === null
        ? null
        : { accessKeyId, secretAccessKey, ...(sessionToken === null ? {} : { sessionToken }) },
  };
}

export function loadConfig(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const role = overrides.role ?? ((str(env, 'UMBRA_ROLE') ?? 'all') as Role);
  if (role !== 'all' && role !== 'api' && role !== 'worker') {
    throw new ConfigError(`role must be all, api or worker, got '${String(role)}'`);
  }
  const port = overrides.port ?? int(env, 'PORT', 8080, 0, 65535);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`invalid port ${port}`);
  const host = overrides.host ?? str(env, 'HOST') ?? '127.0.0.1';
  const dataDir = resolve(overrides.dataDir ?? str(env, 'UMBRA_DATA_DIR') ?? './data');
  const apiKey = str(env, 'UMBRA_API_KEY');
  if (apiKey !== null && !/^luma-api-[A-Za-z0-9_-]{8,200}$/.test(apiKey)) {
    throw new ConfigError(
      "UMBRA_API_KEY must start with 'luma-api-' followed by at least 8 letters or digits",
    );
  }
  const databaseUrl = str(env, 'DATABASE_URL');
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// URL (unset it to use the embedded SQLite)');
  }
  const databaseSchema = str(env, 'UMBRA_PG_SCHEMA');
  if (databaseSchema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(databaseSchema)) {
    throw new ConfigError('UMBRA_PG_SCHEMA must be a lower-case SQL identifier (letters, digits, _)');
  }
  const publicUrl = str(env, 'UMBRA_PUBLIC_URL')?.replace(/\/+$/, '') ?? null;
  let engines: EngineRoutes;
  try {
    engines = parseEngineRoutes(str(env, 'UMBRA_ENGINES'));
  } catch (err) {
    if (err instanceof RoutesError) throw new ConfigError(err.message);
    throw err;
  }
  const relayUrl = str(env, 'UMBRA_RELAY_URL')?.replace(/\/+$/, '') ?? null;
  if (relayUrl !== null && !/^https?:\/\/[^/]/.test(relayUrl)) {
    throw new ConfigError(`UMBRA_RELAY_URL must be an http(s) URL, got '${relayUrl}'`);
  }
  const relayed = kindsRoutedTo(engines, ['relay']);
  if (relayed.length > 0 && relayUrl === null) {
    throw new ConfigError(
      `UMBRA_ENGINES routes ${relayed.join(', ')} to relay, but UMBRA_RELAY_URL is not set`,
    );
  }
  const relayApiKey = str(env, 'UMBRA_RELAY_API_KEY');
  if (relayed.length > 0 && relayApiKey === null) {
    throw new ConfigError(
      `UMBRA_ENGINES routes ${relayed.join(', ')} to relay, but UMBRA_RELAY_API_KEY is not set`,
    );
  }
  const serverUrl = (overrides.serverUrl ?? str(env, 'UMBRA_SERVER_URL'))?.replace(/\/+$/, '') ?? null;
  if (serverUrl !== null && !/^https?:\/\/[^/]/.test(serverUrl)) {
    throw new ConfigError(`UMBRA_SERVER_URL (--server) must be an http(s) URL, got '${serverUrl}'`);
  }
  const workerToken = overrides.workerToken ?? str(env, 'UMBRA_WORKER_TOKEN');
  if (workerToken !== null && !workerToken.startsWith('umbra-wkr-')) {
    throw new ConfigError("UMBRA_WORKER_TOKEN (--token) must be a worker token starting with 'umbra-wkr-'");
  }
  const logLevel = str(env, 'UMBRA_LOG_LEVEL') ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(`UMBRA_LOG_LEVEL must be one of fatal|error|warn|info|debug|trace|silent`);
  }
  let moderationSetting: ModerationConfig['setting'];
  try {
    moderationSetting = parseModerationSetting(str(env, 'UMBRA_MODERATION'));
  } catch (err) {
    throw new ConfigError(err instanceof Error ? err.message : String(err));
  }
  const moderationFail = str(env, 'UMBRA_MODERATION_FAIL') ?? 'closed';
  if (moderationFail !== 'open' && moderationFail !== 'closed') {
    throw new ConfigError(`UMBRA_MODERATION_FAIL must be open or closed, got '${moderationFail}'`);
  }
  const logFormat = (str(env, 'UMBRA_LOG_FORMAT') ?? 'auto').toLowerCase();
  if (logFormat !== 'auto' && logFormat !== 'json' && logFormat !== 'pretty') {
    throw new ConfigError(`UMBRA_LOG_FORMAT must be json, pretty or auto, got '${logFormat}'`);
  }
  const metricsPort =
    str(env, 'UMBRA_METRICS_PORT') === null ? null : int(env, 'UMBRA_METRICS_PORT', 0, 0, 65535);
  return Object.freeze({
    role,
    port,
    host,
    dataDir,
    publicUrl,
    databaseUrl,
    databaseSchema,
    apiKey,
    signingSecret: str(env, 'UMBRA_SIGNING_SECRET'),
    concurrency: overrides.concurrency ?? int(env, 'UMBRA_CONCURRENCY', availableParallelism(), 1, 64),
    urlTtlSeconds: int(env, 'UMBRA_URL_TTL_SECONDS', 3600, 1, 7 * 24 * 3600),
    keyCacheMs: int(env, 'UMBRA_KEY_CACHE_MS', 5000, 0, 60_000),
    keyCacheEntries: int(env, 'UMBRA_KEY_CACHE_ENTRIES', 10_000, 1, 1_000_000),
    rowCacheEntries: int(env, 'UMBRA_ROW_CACHE_ENTRIES', 10_000, 0, 1_000_000),
    leaseMs: int(env, 'UMBRA_LEASE_MS', 30_000, 200, 3_600_000),
    shutdownGraceMs: int(env, 'UMBRA_SHUTDOWN_GRACE_MS', 8000, 0, 3_600_000),
    maxAttempts: int(env, 'UMBRA_MAX_ATTEMPTS', 3, 1, 20),
    retryBaseMs: int(env, 'UMBRA_RETRY_BASE_MS', 2000, 0, 600_000),
    pollMs: int(env, 'UMBRA_POLL_MS', 250, 5, 60_000),
    maxBodyBytes: int(env, 'UMBRA_MAX_BODY_BYTES', 256 * 1024 * 1024, 1024, 2 ** 31 - 1),
    emulator: flag(env, 'UMBRA_EMULATOR'),
    emulateLatencyMs: int(env, 'UMBRA_EMULATE_LATENCY_MS', 0, 0, 3_600_000),
    allowLoopbackFetch: flag(env, 'UMBRA_TEST_ALLOW_LOOPBACK_FETCH'),
    logLevel,
    logFormat,
    metricsPort,
    metricsHost: str(env, 'UMBRA_METRICS_HOST') ?? host,
    ffmpegPath: str(env, 'UMBRA_FFMPEG'),
    ffprobePath: str(env, 'UMBRA_FFPROBE'),
    depthModelPath: str(env, 'UMBRA_DEPTH_MODEL'),
    editDebugDir: str(env, 'UMBRA_EDIT_DEBUG_DIR'),
    engines,
    relayUrl,
    relayApiKey,
    relayPollMs: int(env, 'UMBRA_RELAY_POLL_MS', 2000, 10, 60_000),
    relayRetrySeconds: int(env, 'UMBRA_RELAY_RETRY_SECONDS', 60, 0, 3600),
    relayInlineMaxBytes: int(env, 'UMBRA_RELAY_INLINE_MAX_BYTES', 4 * 1024 * 1024, 0, 50 * 1024 * 1024),
    maxUploadBytes: int(env, 'UMBRA_MAX_UPLOAD_BYTES', 2 * 1024 ** 3, 1024, Number.MAX_SAFE_INTEGER),
    sseKeepAliveMs: int(env, 'UMBRA_SSE_KEEPALIVE_MS', 15_000, 10, 600_000),
    s3: loadS3(env),
    webhookTimeoutMs: int(env, 'UMBRA_WEBHOOK_TIMEOUT_MS', 15_000, 100, 120_000),
    webhookConcurrency: int(env, 'UMBRA_WEBHOOK_CONCURRENCY', 8, 1, 256),
    webhookRetryScale: fraction(env, 'UMBRA_WEBHOOK_RETRY_SCALE', 1, 1),
    moderation: Object.freeze({
      setting: moderationSetting,
      timeoutMs: int(env, 'UMBRA_MODERATION_TIMEOUT_MS', 5000, 50, 120_000),
      failOpen: moderationFail === 'open',
    }),
    serverUrl,
    workerToken,
  });
}
