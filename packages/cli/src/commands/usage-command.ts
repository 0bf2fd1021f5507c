// `umbra usage`: what your generations came to over a window (Umbra's `GET /v1/usage`), or, with
// `--client NAME` and an admin key, any client's (`GET /v1/admin/clients/{name}/usage`).
import type { Command } from 'commander';
import { Option } from 'commander';
import type { UsageFigures, UsageGroupBy, UsageParams } from '@umbra/sdk';
import type { ClientFlags } from './client-options.js';
import { addClientOptions, makeClient } from './client-options.js';
import { formatUsd } from './money.js';

const GROUPS: UsageGroupBy[] = ['model', 'type', 'user_id', 'day'];

interface UsageFlags extends ClientFlags {
  start?: string;
  end?: string;
  groupBy?: UsageGroupBy;
  userId?: string;
  client?: string;
  json?: boolean;
}

const HEADER =
  'KEY\tGENERATIONS\tCOMPLETED\tFAILED\tACTIVE\tIMAGES\tVIDEO_SECONDS\tCHARGED_USD\tRESERVED_USD';

const row = (key: string, f: UsageFigures): string =>
  [
    key,
    f.generations.total,
    f.generations.completed,
    f.generations.failed,
    f.generations.queued + f.generations.processing,
    f.images,
    f.video_seconds,
    formatUsd(f.charged_micros),
    formatUsd(f.reserved_micros),
  ].join('\t');

const USAGE_EXAMPLES = `
Examples:
  umbra usage
  umbra usage --start 2026-04-01 --end 2026-05-01 --group-by model
  umbra usage --group-by day --user-id team-7 --json
  umbra usage --client acme --group-by type      (an admin key)`;

export function addUsageCommand(program: Command): void {
  addClientOptions(
    program
      .command('usage')
      .description('generations, images, video seconds and money over a window (default: the last 30 days)')
      .option('--start <date>', 'window start, inclusive: 2026-04-01 (UTC) or an ISO date-time with a zone')
      .option('--end <date>', 'window end, exclusive (default: now)')
      .addOption(
        new Option('--group-by <key>', 'one line per model, type, user_id or UTC day').choices(GROUPS),
      )
      .option('--user-id <id>', 'only generations created with this user_id')
      .option('--client <name>', "another client's usage (needs an admin key)")
      .option('--json', 'print the report as the API answers it')
      .addHelpText('after', USAGE_EXAMPLES),
  ).action(async (o: UsageFlags) => {
    const params: UsageParams = {
      ...(o.start === undefined ? {} : { start: o.start }),
      ...(o.end === undefined ? {} : { end: o.end }),
      ...(o.groupBy === undefined ? {} : { group_by: o.groupBy }),
      ...(o.userId === undefined ? {} : { user_id: o.userId }),
    };
    const client = makeClient(o);
    const report =
      o.client === undefined
        ? await client.usage.get(params)
        : await client.admin.clients.usage(o.client, params);
    if (o.json === true) return void process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    const lines = [
      `# ${report.start} to ${report.end}${report.user_id === null ? '' : `, user_id ${report.user_id}`}`,
    ];
    lines.push(HEADER, ...report.data.map((g) => row(g.key ?? '(none)', g)), row('TOTAL', report.total));
    process.stdout.write(`${lines.join('\n')}\n`);
  });
}
