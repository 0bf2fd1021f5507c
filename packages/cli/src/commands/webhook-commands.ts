// `umbra webhooks add|list|remove --client NAME`: a client's webhook endpoints, managed by the operator on
// the data directory or DATABASE_URL (like `umbra keys`), with the rules of the HTTP routes.
import type { Command } from 'commander';
import { usageError } from '../exit-codes.js';
import { dataDirOption, loadServer, withStore } from './server-shared.js';

/** Runs `fn`, turning the server's refusals (unknown client, a broken rule) into usage errors. */
async function refusalsAsUsage<T>(fn: () => Promise<T>): Promise<T> {
  const { WebhookAdminError } = await loadServer();
  try {
    return await fn();
  } catch (err) {
    if (err instanceof WebhookAdminError) throw usageError(err.message);
    throw err;
  }
}

export function addWebhookCommands(program: Command): void {
  const hooks = program
    .command('webhooks')
    .description("manage a client's webhook endpoints (signed generation events, Standard Webhooks)");

  hooks
    .command('add')
    .description('register an endpoint; prints its id and, once, its signing secret')
    .argument('<url>', 'https URL of the receiver (public addresses only)')
    .requiredOption('--client <name>', 'client (account) name')
    .option(
      '--events <list>',
      'comma-separated: generation.processing, generation.completed, generation.failed (default: the last two)',
    )
    .option(...dataDirOption)
    .action(async (url: string, o: { client: string; events?: string; dataDir?: string }) => {
      const events =
        o.events === undefined
          ? null
          : o.events
              .split(',')
              .map((e) => e.trim())
              .filter((e) => e !== '');
      const { addWebhookEndpoint } = await loadServer();
      await withStore(o.dataDir, async (store, config) => {
        const e = await refusalsAsUsage(() =>
          addWebhookEndpoint(store, { client: o.client, url, events }, Date.now(), {
            allowLoopbackHttp: config.allowLoopbackFetch,
          }),
        );
        process.stdout.write(`${e.id}\n`);
        process.stderr.write(
          `endpoint for client '${o.client}': ${e.url} (${e.events.join(', ')})\n` +
            `signing secret (shown once, keep it): ${e.secret}\n`,
        );
      });
    });

  hooks
    .command('list')
    .description("list a client's endpoints, newest first")
    .requiredOption('--client <name>', 'client (account) name')
    .option(...dataDirOption)
    .action(async (o: { client: string; dataDir?: string }) => {
      const { listWebhookEndpoints } = await loadServer();
      await withStore(o.dataDir, async (store) => {
        const rows = (await refusalsAsUsage(() => listWebhookEndpoints(store, o.client))).map((e) =>
          [e.id, e.events.join(','), e.created_at, e.url].join('\t'),
        );
        process.stdout.write(['ID\tEVENTS\tCREATED\tURL', ...rows].join('\n') + '\n');
      });
    });

  hooks
    .command('remove')
    .description('delete an endpoint; its pending deliveries end dead')
    .argument('<id>', 'an endpoint id shown by `webhooks list`')
    .requiredOption('--client <name>', 'client (account) name')
    .option(...dataDirOption)
    .action(async (id: string, o: { client: string; dataDir?: string }) => {
      const { removeWebhookEndpoint } = await loadServer();
      await withStore(o.dataDir, async (store) => {
        const removed = await refusalsAsUsage(() => removeWebhookEndpoint(store, o.client, id, Date.now()));
        if (!removed) throw usageError(`client '${o.client}' has no webhook endpoint ${id}`);
        process.stdout.write(`removed ${id}\n`);
      });
    });
}
