// `umbra list`: a page of the caller's generations, newest first (Umbra's `GET /v1/generations`).
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Generation, GenerationListParams, GenerationState, GenerationType, Model } from '@umbra/sdk';
import { GENERATION_TYPES, MODELS } from '@umbra/sdk';
import type { ClientFlags } from './client-options.js';
import { addClientOptions, makeClient, pageSize } from './client-options.js';

const STATES: GenerationState[] = ['queued', 'processing', 'completed', 'failed'];

interface ListFlags extends ClientFlags {
  state?: GenerationState;
  type?: GenerationType;
  model?: Model;
  limit?: number;
  cursor?: string;
  json?: boolean;
}

const LIST_EXAMPLES = `
Examples:
  umbra list
  umbra list --state failed --limit 10
  umbra list --type video --model ray-3.2 --json`;

const listRow = (g: Generation): string =>
  [
    g.id,
    g.state.padEnd(10),
    g.type.padEnd(13),
    g.model.padEnd(9),
    g.created_at,
    g.state === 'failed' ? (g.failure_code ?? '') : '',
  ]
    .join('  ')
    .trimEnd();

export function addListCommand(program: Command): void {
  addClientOptions(
    program
      .command('list')
      .description('list your generations, newest first (one page)')
      .addOption(new Option('--state <state>', 'only generations in this state').choices(STATES))
      .addOption(new Option('--type <type>', 'only generations of this type').choices(GENERATION_TYPES))
      .addOption(new Option('--model <model>', 'only generations of this model').choices(MODELS))
      .option('--limit <n>', 'page size, 1–100 (default 25)', pageSize)
      .option('--cursor <cursor>', 'the next page: the cursor a previous list printed')
      .option('--json', 'print the page ({"data": […], "has_more", "next_cursor"}) as JSON')
      .addHelpText('after', LIST_EXAMPLES),
  ).action(async (o: ListFlags) => {
    const filters: GenerationListParams = {
      ...(o.state === undefined ? {} : { state: o.state }),
      ...(o.type === undefined ? {} : { type: o.type }),
      ...(o.model === undefined ? {} : { model: o.model }),
      ...(o.limit === undefined ? {} : { limit: o.limit }),
    };
    const page = await makeClient(o).generations.list({
      ...filters,
      ...(o.cursor === undefined ? {} : { cursor: o.cursor }),
    });
    if (o.json === true) return void process.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
    for (const g of page.data) process.stdout.write(`${listRow(g)}\n`);
    // On stderr, so stdout stays one generation per line for scripts. The same filters continue the
    // same listing (a cursor only says where to start).
    if (page.has_more && page.next_cursor != null) {
      const flags = Object.entries(filters).map(([k, v]) => `--${k} ${String(v)} `);
      process.stderr.write(`more: umbra list ${flags.join('')}--cursor ${page.next_cursor}\n`);
    }
  });
}
