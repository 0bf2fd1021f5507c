// `umbra serve` and `umbra keys …`: the server side. The server package (Fastify, SQLite, sharp…) is
// loaded only when one of these runs, so `umbra generate` starts fast and works without it.
import type { Command } from 'commander';
import { usageError } from '../exit-codes.js';
import type { ConfigOverrides } from '@umbra/server';
import {
  dataDirOption,
  loadServer,
  nonNegativeInt as int,
  runUntilSignal,
  withStore,
} from './server-shared.js';

export function addServerCommands(program: Command): void {
  program
    .command('serve')
    .description('start the server (api + worker by default)')
    .option('--port <port>', 'port to listen on (env PORT, default 8080)', int)
    .option('--host <host>', 'address to bind (env HOST, default 127.0.0.1)')
    .option(...dataDirOption)
    .option('--role <role>', 'all | api | worker (env UMBRA_ROLE, default all)')
    .action(async (o: { port?: number; host?: string; dataDir?: string; role?: string }) => {
      const overrides: ConfigOverrides = {};
      if (o.port !== undefined) overrides.port = o.port;
      if (o.host !== undefined) overrides.host = o.host;
      if (o.dataDir !== undefined) overrides.dataDir = o.dataDir;
      if (o.role !== undefined) overrides.role = o.role as ConfigOverrides['role'];
      const { loadConfig, startUmbra, installProcessGuards } = await loadServer();
      const config = loadConfig(overrides);
      const umbra = await startUmbra(config);
      const lines = [`Umbra ${config.role} running (data: ${config.dataDir}, database: ${umbra.store.kind})`];
      if (umbra.apiUrl !== null) {
        lines.push(
          `  Console: ${umbra.apiUrl.replace(/\/v1$/, '/')} (open it in a browser, sign in with the key)`,
        );
        lines.push(`  Base URL: ${umbra.apiUrl}`);
      }
      if (umbra.metricsUrl !== null) lines.push(`  Metrics and health: ${umbra.metricsUrl}/metrics, /readyz`);
      lines.push(`  Storage: ${umbra.storage}`);
      if (umbra.newKey !== null) lines.push(`  API key (shown once, keep it): ${umbra.newKey}`);
      else if (config.apiKey !== null) lines.push('  API key: the one in UMBRA_API_KEY');
      else
        lines.push(
          '  API key: created on first start; make another with `npm run umbra -- keys create --client NAME`',
        );
      // Say where jobs go when anything is routed away from the built-in engine.
      const routed = Object.entries(config.engines).filter(([, engine]) => engine !== 'reference');
      if (routed.length > 0) {
        const by = (e: string): string[] => routed.filter(([, x]) => x === e).map(([kind]) => kind);
        const parts = ['remote', 'relay']
          .filter((e) => by(e).length > 0)
          .map((e) => `${by(e).join(', ')} → ${e}`);
        lines.push(`  Engines: ${parts.join('; ')}; everything else → reference`);
      }
      if (umbra.apiUrl !== null) {
        const key = umbra.newKey ?? config.apiKey ?? '<key>';
        lines.push(`  Use it: LUMA_BASE_URL=${umbra.apiUrl} LUMA_AGENTS_API_KEY=${key}`);
      }
      process.stdout.write(lines.join('\n') + '\n');
      runUntilSignal(umbra, config.shutdownGraceMs, installProcessGuards);
    });

  const keys = program.command('keys').description('manage clients and API keys (stored hashed)');

  keys
    .command('create')
    .description('create an API key for a client (the client is created on first use)')
    .requiredOption('--client <name>', 'client (account) name')
    .option('--hdr', 'give the client HDR access', false)
    .option('--rpm <n>', 'new client: requests per minute (default 30; 0 = unlimited)', int)
    .option('--concurrency <n>', 'new client: concurrent jobs (default 10; 0 = unlimited)', int)
    .option('--balance <usd>', 'new client: prepaid balance in USD (default unmetered)', parseFloat)
    .option('--expires <iso-date>', 'key expiry, e.g. 2027-01-01T00:00:00Z')
    .option(...dataDirOption)
    .action(
      async (o: {
        client: string;
        hdr: boolean;
        rpm?: number;
        concurrency?: number;
        balance?: number;
        expires?: string;
        dataDir?: string;
      }) => {
        const expiresAt = o.expires === undefined ? null : Date.parse(o.expires);
        if (expiresAt !== null && Number.isNaN(expiresAt)) throw usageError('--expires is not a date');
        const { createKeyForClient } = await loadServer();
        await withStore(o.dataDir, async (store) => {
          const created = await createKeyForClient(
            store,
            {
              client: o.client,
              hdr: o.hdr,
              ...(o.rpm === undefined ? {} : { rpm: o.rpm === 0 ? null : o.rpm }),
              ...(o.concurrency === undefined
                ? {}
                : { concurrency: o.concurrency === 0 ? null : o.concurrency }),
              ...(o.balance === undefined ? {} : { balanceMicros: Math.round(o.balance * 1e6) }),
              expiresAt,
            },
            Date.now(),
          );
          process.stdout.write(
            `${created.key}\n(client '${created.client.name}'${created.clientCreated ? ', new' : ''}; ` +
              `this key is shown once)\n`,
          );
        });
      },
    );

  keys
    .command('list')
    .description('list keys (prefixes only)')
    .option(...dataDirOption)
    .action(async (o: { dataDir?: string }) => {
      await withStore(o.dataDir, async (store) => {
        const now = Date.now();
        const rows = (await store.clients.listKeys()).map((k) => {
          const status =
            k.revokedAt !== null
              ? 'revoked'
              : k.expiresAt !== null && k.expiresAt <= now
                ? 'expired'
                : 'active';
          const expires = k.expiresAt === null ? '-' : new Date(k.expiresAt).toISOString();
          return [k.prefix, k.clientName, status, new Date(k.createdAt).toISOString(), expires].join('\t');
        });
        process.stdout.write(['PREFIX\tCLIENT\tSTATUS\tCREATED\tEXPIRES', ...rows].join('\n') + '\n');
      });
    });

  keys
    .command('revoke')
    .description('revoke every live key that starts with KEY_PREFIX')
    .argument('<key-prefix>', 'a prefix shown by `keys list` (at least 12 characters)')
    .option(...dataDirOption)
    .action(async (prefix: string, o: { dataDir?: string }) => {
      if (prefix.length < 12) throw usageError('give at least 12 characters of the key');
      await withStore(o.dataDir, async (store) => {
        const n = await store.clients.revokeKeys(prefix, Date.now());
        process.stdout.write(`revoked ${n} key${n === 1 ? '' : 's'}\n`);
        if (n === 0) process.exitCode = 1;
      });
    });
}
