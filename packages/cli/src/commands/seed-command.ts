// `umbra seed`: fills the configured database (the data dir's SQLite file, or DATABASE_URL) with many
// generations, quickly, for load tests at scale (issue 15, "Scale").
import type { Command } from 'commander';
import { dataDirOption, loadServer, positiveInt } from './server-shared.js';

const DAY_MS = 86_400_000;

const SEED_HELP = `
The rows look like months of a real deployment: all terminal (about 96% completed with outputs, 4% failed),
images and videos, a third tagged with a user_id, spread over the clients and the span. Their outputs name
blob keys that hold no bytes. Run it while no server uses the database; it only adds rows.

Examples:
  umbra seed --generations 1000000
  DATABASE_URL=postgres://localhost/umbra umbra seed --generations 100000 --clients 8
`;

const MiB = 2 ** 20;

export function addSeedCommand(program: Command): void {
  program
    .command('seed')
    .description('add many seeded generations to the database, for load tests')
    .requiredOption('--generations <n>', 'how many rows to add', positiveInt)
    .option('--clients <n>', 'spread them over the default client and seed-1… (default 4)', positiveInt, 4)
    .option('--days <n>', 'over how many days back from now (default 182)', positiveInt, 182)
    .option(...dataDirOption)
    .addHelpText('after', SEED_HELP)
    .action(async (o: { generations: number; clients: number; days: number; dataDir?: string }) => {
      const { loadConfig, seedConfiguredDatabase } = await loadServer();
      const config = loadConfig(o.dataDir === undefined ? {} : { dataDir: o.dataDir });
      const tty = process.stderr.isTTY;
      const report = await seedConfiguredDatabase(config, {
        generations: o.generations,
        clients: o.clients,
        spanMs: o.days * DAY_MS,
        onProgress: (n) => {
          if (tty)
            process.stderr.write(`\r${n.toLocaleString('en-US')} / ${o.generations.toLocaleString('en-US')}`);
        },
      });
      if (tty) process.stderr.write('\n');
      const s = report.size;
      const perRow = (bytes: number): string => `${Math.round(bytes / Math.max(1, s.generations))} B`;
      process.stdout.write(
        [
          `seeded ${report.generations} generations in ${(report.ms / 1000).toFixed(1)} s ` +
            `(${Math.round(report.generations / (report.ms / 1000))} rows/s), clients: ${report.clients.join(', ')}`,
          `database: ${s.generations} generations, ${(s.totalBytes / MiB).toFixed(1)} MiB in use ` +
            `(${perRow(s.totalBytes)} per generation); generations table and indexes ` +
            `${(s.generationBytes / MiB).toFixed(1)} MiB (${perRow(s.generationBytes)} per generation)` +
            (s.fileBytes === null ? '' : `; file ${(s.fileBytes / MiB).toFixed(1)} MiB`),
        ].join('\n') + '\n',
      );
    });
}
