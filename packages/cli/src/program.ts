// The one commander definition of `umbra`: every command's --help and every usage error come from here.
import { Command } from 'commander';
import { addFileCommands } from './commands/file-commands.js';
import { addGenerationCommands } from './commands/generation-commands.js';
import { addListCommand } from './commands/list-command.js';
import { addSeedCommand } from './commands/seed-command.js';
import { addServerCommands } from './commands/server-commands.js';
import { addWebhookCommands } from './commands/webhook-commands.js';
import { addTenantCommands } from './commands/tenant-commands.js';
import { addUsageCommand } from './commands/usage-command.js';
import { addWorkerCommands } from './commands/worker-commands.js';
import { EXIT_CODES_HELP } from './exit-codes.js';

export function buildProgram(): Command {
  const program = new Command('umbra')
    .description(
      'Umbra: the Luma Generations API, self-hosted — server, keys and a client for any compatible API',
    )
    .version('0.1.0')
    .showHelpAfterError('(add --help for usage)')
    // Throw instead of exiting, so usage errors get exit code 2 like every other usage problem. Subcommands
    // inherit this setting because it is made before they are added.
    .exitOverride()
    .addHelpText('after', EXIT_CODES_HELP);
  addServerCommands(program);
  addSeedCommand(program);
  addTenantCommands(program);
  addWorkerCommands(program);
  addWebhookCommands(program);
  addGenerationCommands(program);
  addListCommand(program);
  addFileCommands(program);
  addUsageCommand(program);
  return program;
}
