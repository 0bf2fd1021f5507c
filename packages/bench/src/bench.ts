// `npm run bench`: measures Umbra layer by layer against the floor of each layer, in one run, and writes
// a Markdown table (with the machine and the command) to BENCHMARKS.md (issue 6). `--smoke` runs a tiny
// version (the test suite uses it to keep this working; its numbers mean nothing) and `--out` picks the
// file. `--layers http,jobs,images,video,e2e,remote,storage,edit,scale` runs a subset (the file keeps the other layers'
// sections from its previous version, marked as such); `--postgres URL` picks the PostgreSQL server
// (default DATABASE_URL or the local test server; skipped with a note when it does not answer).
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { VIDEO_MAX_BYTES } from '@umbra/server/internal/inputs/ingest-error.js';
import { pgProblem } from '@umbra/server/internal/store/pg-admin.js';
import { earlierSections } from './earlier.js';
import { benchE2e } from './e2e.bench.js';
import { benchEdit } from './edit.bench.js';
import { benchHttp } from './http.bench.js';
import { benchImages } from './images.bench.js';
import { benchJobs } from './jobs.bench.js';
import { benchRemote } from './remote.bench.js';
import { benchScale } from './scale.bench.js';
import { benchStorage } from './storage.bench.js';
import { renderDocument, type Section } from './table.js';
import { benchVideo } from './video.bench.js';

export { summarize, type Summary } from './stats.js';

const LAYERS = ['http', 'jobs', 'images', 'video', 'e2e', 'remote', 'storage', 'edit', 'scale'] as const;
type Layer = (typeof LAYERS)[number];

const option = (args: string[], name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

async function main(): Promise<void> {
  const started = performance.now();
  const args = process.argv.slice(2);
  const smoke = args.includes('--smoke');
  const out = option(args, '--out') ?? 'BENCHMARKS.md';
  const chosen = (option(args, '--layers') ?? LAYERS.join(',')).split(',') as Layer[];
  const pgUrl =
    option(args, '--postgres') ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const postgresUrl =
    (chosen.includes('jobs') || chosen.includes('scale')) && (await pgProblem(pgUrl)) === null ? pgUrl : null;

  const sections: Section[] = [];
  const log = (s: string): void => void process.stderr.write(`bench: ${s}\n`);
  for (const layer of LAYERS) {
    if (!chosen.includes(layer)) continue;
    const t0 = performance.now();
    switch (layer) {
      case 'http':
        sections.push(
          await benchHttp({ smoke, runs: smoke ? 1 : 5, seconds: smoke ? 1 : 3, connections: [10, 100] }),
        );
        break;
      case 'jobs':
        sections.push(
          await benchJobs({
            smoke,
            runs: smoke ? 2 : 5,
            jobs: smoke ? 20 : 1000,
            workers: [1, 4],
            concurrency: 4,
            postgresUrl,
          }),
        );
        break;
      case 'images':
        sections.push(
          await benchImages({ runs: smoke ? 1 : 7, formats: ['png', 'jpeg'], prompt: 'a harbour at dusk' }),
        );
        break;
      case 'video':
        sections.push(
          await benchVideo({
            runs: smoke ? 1 : 3,
            prompt: 'snowy mountains above a lake at sunset',
            // Smoke: the API's shortest duration at its smallest size keeps the test suite fast.
            sizes: smoke
              ? [{ resolution: '360p', duration: '5s' }]
              : [
                  { resolution: '540p', duration: '5s' },
                  { resolution: '720p', duration: '5s' },
                  { resolution: '1080p', duration: '5s' },
                  { resolution: '1080p', duration: '10s' },
                ],
          }),
        );
        break;
      case 'e2e':
        sections.push(
          await benchE2e({ runs: smoke ? 2 : 20, videoRuns: smoke ? 1 : 5, gets: smoke ? 20 : 400 }),
        );
        break;
      case 'remote':
        sections.push(
          await benchRemote({
            runs: smoke ? 1 : 5,
            jobs: smoke ? 20 : 1000,
            workers: 4,
            concurrency: 4,
          }),
        );
        break;
      case 'storage':
        sections.push(
          await benchStorage({
            smoke,
            runs: smoke ? 1 : 5,
            puts: [
              { label: 'image-sized', mib: smoke ? 0.25 : 2, contentType: 'image/png', count: smoke ? 1 : 5 },
              { label: 'video-sized', mib: smoke ? 1 : 20, contentType: 'video/mp4', count: smoke ? 1 : 2 },
            ],
            getMib: 1,
            connections: [1, 8],
            seconds: 1.5,
            signSeconds: smoke ? 0.05 : 0.5,
            // The goal's video is exactly the ingest cap (100 MiB); half of it shows whether the peak grows
            // with the size.
            videos: smoke ? [2 * 2 ** 20] : [VIDEO_MAX_BYTES / 2, VIDEO_MAX_BYTES],
            ingestRuns: smoke ? 1 : 3,
          }),
        );
        break;
      case 'edit':
        sections.push(
          await benchEdit({
            runs: smoke ? 1 : 3,
            prompt: 'an oil painting at sunset',
            resolution: '360p',
            seconds: smoke ? 1 : 2,
          }),
        );
        break;
      case 'scale':
        sections.push(
          await benchScale(
            {
              smoke,
              rows: smoke ? 3000 : 1_000_000,
              emptyRows: smoke ? 300 : 5000,
              runs: smoke ? 1 : 3,
              seconds: 3,
              connections: 10,
              claims: smoke ? 20 : 300,
              getIds: smoke ? 10 : 100,
              postgresUrl,
            },
            log,
          ),
        );
        break;
    }
    log(`${layer} took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const command = `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`;
  // A run of some layers keeps the others' results from the file it replaces (never smoke numbers).
  const earlier =
    option(args, '--layers') !== undefined && !smoke ? await readFile(out, 'utf8').catch(() => null) : null;
  const kept =
    earlier === null
      ? []
      : earlierSections(
          earlier,
          sections.map((s) => s.title),
        );
  const md = renderDocument({
    command,
    smoke,
    sections,
    kept,
    seconds: (performance.now() - started) / 1000,
  });
  await writeFile(out, md);
  process.stdout.write(md);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(
      `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  });
}
