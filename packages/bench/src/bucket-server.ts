// An S3-compatible bucket in a process of its own (s3rver behind its SigV4 front door, as the tests use),
// so the storage benchmark's load generator never shares an event loop with the bucket it measures, just
// as it never shares one with `umbra serve`. Prints the bucket's settings, then its base URL.
import { startTestBucket } from '@umbra/server/internal/testing/s3rver.js';

const bucket = await startTestBucket();
const { endpoint, bucket: name, region, credentials, env } = bucket;
process.stdout.write(`Bucket: ${JSON.stringify({ endpoint, bucket: name, region, credentials, env })}\n`);
process.stdout.write(`Base URL: ${endpoint}\n`);
process.on('SIGTERM', () => void bucket.close().then(() => process.exit(0)));
