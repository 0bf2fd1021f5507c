// `umbra clients list|show|set`: tenants, on the data directory or DATABASE_URL like `umbra keys`. A change
// goes through the same use case (and validator) as the admin API's `PATCH /v1/admin/clients/{name}`.
import type { Command } from 'commander';
import { Option } from 'commander';
import type { AdminClient, AdminClientUpdateParams, ClientStatus } from '@umbra/server';
import { CliError, ExitCode } from '../exit-codes.js';
import { formatUsd, parseUsd } from './money.js';
import { dataDirOption, loadServer, nonNegativeInt, withStore } from './server-shared.js';

const STATUSES: ClientStatus[] = ['active', 'suspended', 'deactivated'];

const limit = (n: number | null): string => (n === null ? 'unlimited' : String(n));
const balance = (micros: number | null): string =>
  micros === null ? 'unmetered' : `${formatUsd(micros)} USD`;
const yes = (b: boolean): string => (b ? 'yes' : 'no');

/** One client, one `field  value` per line. */
const describe = (c: AdminClient): string =>
  [
    ['name', c.name],
    ['status', c.status],
    ['admin', yes(c.admin)],
    ['hdr access', yes(c.hdr_access)],
    ['rpm', limit(c.rpm_limit)],
    ['concurrency', limit(c.concurrency_limit)],
    ['balance', balance(c.balance_micros)],
    ['created', c.created_at],
    ['id', c.id],
  ]
    .map(([k, v]) => `${(k ?? '').padEnd(12)} ${v ?? ''}`)
    .join('\n');

const print = (c: AdminClient, json: boolean | undefined): void => {
  process.stdout.write(json === true ? `${JSON.stringify(c, null, 2)}\n` : `${describe(c)}\n`);
};

/**
 * The use case's refusals as this command's exit codes: no such client is 4 (as a 404 from the API), a bad
 * flag value is a usage error (2).
 */
async function refusalsAsExitCodes<T>(name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = err as { name?: string; status?: number; detail?: string };
    if (e.name !== 'ApiError' || e.status === undefined) throw err;
    if (e.status === 404)
      throw new CliError(
        `no client named '${name}' (\`umbra keys create --client ${name}\` makes one)`,
        ExitCode.rejected,
      );
    throw new CliError(e.detail ?? String(err), ExitCode.usage);
  }
}

interface SetFlags {
  rpm?: number;
  concurrency?: number;
  balance?: string;
  addBalance?: number;
  hdr?: boolean;
  admin?: boolean;
  status?: ClientStatus;
  json?: boolean;
  dataDir?: string;
}

/** `clients set` flags → the admin API's change body (`0` = unlimited, as with `keys create`). */
export function changeFromFlags(o: SetFlags): AdminClientUpdateParams {
  const body: AdminClientUpdateParams = {};
  if (o.status !== undefined) body.status = o.status;
  if (o.admin !== undefined) body.admin = o.admin;
  if (o.hdr !== undefined) body.hdr_access = o.hdr;
  if (o.rpm !== undefined) body.rpm_limit = o.rpm === 0 ? null : o.rpm;
  if (o.concurrency !== undefined) body.concurrency_limit = o.concurrency === 0 ? null : o.concurrency;
  if (o.balance !== undefined) body.balance_micros = o.balance === 'unmetered' ? null : parseUsd(o.balance);
  if (o.addBalance !== undefined) body.add_balance_micros = o.addBalance;
  return body;
}

const SET_EXAMPLES = `
Examples:
  umbra clients set acme --rpm 60 --concurrency 4
  umbra clients set acme --balance 25 --hdr
  umbra clients set acme --add-balance 10.50
  umbra clients set acme --status suspended
  umbra clients set ops --admin`;

export function addTenantCommands(program: Command): void {
  const clients = program
    .command('clients')
    .description('list, show and change clients: limits, balance, HDR, admin, status');

  clients
    .command('list')
    .description('list every client, oldest first')
    .option('--json', 'print {"data": [client…]} as the admin API answers it')
    .option(...dataDirOption)
    .action(async (o: { json?: boolean; dataDir?: string }) => {
      const { listClients } = await loadServer();
      const all = await withStore(o.dataDir, (store) => listClients(store));
      if (o.json === true) return void process.stdout.write(`${JSON.stringify({ data: all }, null, 2)}\n`);
      const rows = all.map((c) =>
        [
          c.name,
          c.status,
          yes(c.admin),
          yes(c.hdr_access),
          limit(c.rpm_limit),
          limit(c.concurrency_limit),
          c.balance_micros === null ? 'unmetered' : formatUsd(c.balance_micros),
          c.created_at,
        ].join('\t'),
      );
      process.stdout.write(
        ['NAME\tSTATUS\tADMIN\tHDR\tRPM\tCONCURRENCY\tBALANCE_USD\tCREATED', ...rows].join('\n') + '\n',
      );
    });

  clients
    .command('show')
    .description("show one client's settings")
    .argument('<name>', 'client name')
    .option('--json', 'print the client as the admin API answers it')
    .option(...dataDirOption)
    .action(async (name: string, o: { json?: boolean; dataDir?: string }) => {
      const { findClient, presentClient } = await loadServer();
      const c = await refusalsAsExitCodes(name, () =>
        withStore(o.dataDir, async (store) => presentClient(await findClient(store, name))),
      );
      print(c, o.json);
    });

  clients
    .command('set')
    .description('change a client; takes effect on its next request (prints the client after the change)')
    .argument('<name>', 'client name (`keys create --client NAME` makes one)')
    .option('--rpm <n>', 'requests per minute (0 = unlimited)', nonNegativeInt)
    .option('--concurrency <n>', 'concurrent jobs (0 = unlimited)', nonNegativeInt)
    .option('--balance <usd>', "set the prepaid balance in USD, or 'unmetered'")
    .option('--add-balance <usd>', 'add USD to a metered balance, atomically (negative takes away)', parseUsd)
    .option('--hdr', 'give HDR access')
    .option('--no-hdr', 'take HDR access away')
    .option('--admin', "let the client's keys use the admin API (/v1/admin/…)")
    .option('--no-admin', 'take admin access away')
    .addOption(new Option('--status <status>', 'active, or refused with 403').choices(STATUSES))
    .option('--json', 'print the client as the admin API answers it')
    .option(...dataDirOption)
    .addHelpText('after', SET_EXAMPLES)
    .action(async (name: string, o: SetFlags) => {
      let body: AdminClientUpdateParams;
      try {
        body = changeFromFlags(o);
      } catch (err) {
        throw new CliError(`--balance ${(err as Error).message}`, ExitCode.usage);
      }
      if (Object.keys(body).length === 0)
        throw new CliError('nothing to change: give at least one option (see --help)', ExitCode.usage);
      const { changeClient } = await loadServer();
      const c = await refusalsAsExitCodes(name, () =>
        withStore(o.dataDir, (store) => changeClient(store, name, body, null)),
      );
      print(c, o.json);
    });
}
