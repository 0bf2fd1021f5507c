// `umbra worker-tokens …`, `umbra workers` (operator views, on the data directory or DATABASE_URL like
// `umbra keys`) and `umbra worker` (a remote worker: the reference engine fed over HTTP).
import { hostname } from 'node:os';
import type { Command } from 'commander';
import type { Model } from '@umbra/server';
import { usageError } from '../exit-codes.js';
import { loadServer, withStore, dataDirOption, positiveInt, runUntilSignal } from './server-shared.js';

const ago = (ms: number): string =>
  ms < 1000
    ? 'just now'
    : ms < 120_000
      ? `${Math.round(ms / 1000)} s ago`
      : `${Math.round(ms / 60_000)} min ago`;

/** `--models a,b` → the models, or null for all; an unknown model is a usage error. */
async function modelsOption(raw: string | undefined): Promise<Model[] | null> {
  if (raw === undefined) return null;
  const { parseModelList, WorkerTokenError } = await loadServer();
  try {
    return parseModelList(raw);
  } catch (err) {
    if (err instanceof WorkerTokenError) throw usageError(`--models: ${err.message}`);
    throw err;
  }
}

export function addWorkerCommands(program: Command): void {
  const tokens = program
    .command('worker-tokens')
    .description('manage the tokens remote workers claim jobs with (stored hashed)');

  tokens
    .command('create')
    .description('create a worker token; prints only the token on stdout')
    .requiredOption('--name <name>', 'a name for the worker or fleet (shown by `umbra workers`)')
    .option('--models <list>', 'comma-separated models it may claim (default: all)')
    .option(...dataDirOption)
    .action(async (o: { name: string; models?: string; dataDir?: string }) => {
      const { createWorkerToken, WorkerTokenError } = await loadServer();
      const models = await modelsOption(o.models);
      await withStore(o.dataDir, async (store) => {
        const { token, record } = await createWorkerToken(store, { name: o.name, models }, Date.now()).catch(
          (err: unknown) => {
            if (err instanceof WorkerTokenError) throw usageError(err.message);
            throw err;
          },
        );
        process.stdout.write(`${token}\n`);
        process.stderr.write(
          `(worker token '${record.name}' for ${record.models?.join(', ') ?? 'every model'}; shown once)\n`,
        );
      });
    });

  tokens
    .command('list')
    .description('list worker tokens (prefixes only)')
    .option(...dataDirOption)
    .action(async (o: { dataDir?: string }) => {
      await withStore(o.dataDir, async (store) => {
        const rows = (await store.workers.listTokens()).map((t) =>
          [
            t.name,
            t.prefix,
            t.models?.join(',') ?? 'all',
            t.revokedAt === null ? 'active' : 'revoked',
            new Date(t.createdAt).toISOString(),
          ].join('\t'),
        );
        process.stdout.write(['NAME\tPREFIX\tMODELS\tSTATUS\tCREATED', ...rows].join('\n') + '\n');
      });
    });

  tokens
    .command('revoke')
    .description("revoke the live token named NAME; its workers' next call gets 401")
    .argument('<name>', 'the token name given at create')
    .option(...dataDirOption)
    .action(async (name: string, o: { dataDir?: string }) => {
      await withStore(o.dataDir, async (store) => {
        const ok = await store.workers.revokeToken(name, Date.now());
        process.stdout.write(
          ok ? `revoked worker token '${name}'\n` : `no live worker token named '${name}'\n`,
        );
        if (!ok) process.exitCode = 1;
      });
    });

  program
    .command('workers')
    .description('list remote workers seen in the last 10 minutes')
    .option('--since <minutes>', 'look back this many minutes (default 10)', positiveInt)
    .option(...dataDirOption)
    .action(async (o: { since?: number; dataDir?: string }) => {
      await withStore(o.dataDir, async (store) => {
        const now = Date.now();
        const seen = await store.workers.listSeen(now - (o.since ?? 10) * 60_000);
        const rows = seen.map((w) =>
          [
            w.tokenName,
            w.instance,
            w.kinds.join(',') || '-',
            ago(now - w.lastSeenAt),
            String(w.running),
          ].join('\t'),
        );
        process.stdout.write(['NAME\tINSTANCE\tSERVES\tLAST SEEN\tRUNNING', ...rows].join('\n') + '\n');
      });
    });

  program
    .command('worker')
    .description(
      'run the reference engine as a remote worker: claims jobs over HTTP, no database or shared disk',
    )
    .option(
      '--server <url>',
      'the server base URL printed at start-up, e.g. http://host:8080/v1 (env UMBRA_SERVER_URL)',
    )
    .option('--token <token>', 'a worker token from `umbra worker-tokens create` (env UMBRA_WORKER_TOKEN)')
    .option('--models <list>', 'comma-separated models to claim (default: all the token allows)')
    .option(
      '--concurrency <n>',
      'jobs rendered at once (env UMBRA_CONCURRENCY, default the core count)',
      positiveInt,
    )
    .option('--instance <name>', 'this process in `umbra workers` (default host-pid)')
    .option(...dataDirOption)
    .action(
      async (o: {
        server?: string;
        token?: string;
        models?: string;
        concurrency?: number;
        instance?: string;
        dataDir?: string;
      }) => {
        const { loadConfig, startRemoteWorker, installProcessGuards } = await loadServer();
        const config = loadConfig({
          ...(o.server === undefined ? {} : { serverUrl: o.server }),
          ...(o.token === undefined ? {} : { workerToken: o.token }),
          ...(o.concurrency === undefined ? {} : { concurrency: o.concurrency }),
          ...(o.dataDir === undefined ? {} : { dataDir: o.dataDir }),
        });
        const instance = (o.instance ?? `${hostname()}-${process.pid}`)
          .replace(/[^A-Za-z0-9._-]/g, '-')
          .slice(0, 64);
        const models = await modelsOption(o.models);
        const running = startRemoteWorker(config, { models, instance });
        process.stdout.write(
          `Umbra worker '${instance}' claiming ${models?.join(', ') ?? 'every model its token allows'} from ${config.serverUrl ?? ''} (${config.concurrency} at once)\n`,
        );
        runUntilSignal(running, config.shutdownGraceMs, installProcessGuards);
      },
    );
}
