// `umbra files upload|list|get|delete`: the Files API from a terminal. An uploaded file is referenced from
// any input position by its id (`{"file_id": …}`); `umbra generate` uploads large local inputs itself.
import { open, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { FileObject, FilePurpose, FileState } from '@umbra/sdk';
import { usageError } from '../exit-codes.js';
import { mediaTypeOf } from '../media-ref.js';
import type { ClientFlags } from './client-options.js';
import { addClientOptions, makeClient, pageSize, positiveNumber } from './client-options.js';

const PURPOSES: FilePurpose[] = ['input', 'reference'];
const STATES: FileState[] = ['pending', 'ready', 'failed', 'deleted'];

interface UploadFlags extends ClientFlags {
  purpose?: FilePurpose;
  mimeType?: string;
  wait?: boolean;
  json?: boolean;
  quiet?: boolean;
  pollInterval: number;
  /** Seconds. */
  timeout?: number;
}

interface ListFlags extends ClientFlags {
  purpose?: FilePurpose;
  state?: FileState;
  limit?: number;
  cursor?: string;
  json?: boolean;
}

const FILES_EXAMPLES = `
Examples:
  id=$(umbra files upload clip.mp4 --wait)
  umbra generate "the same clip at night" --source "file:$id"
  umbra files list --state ready --limit 10
  umbra files get <id>
  umbra files delete <id>`;

const printJson = (v: unknown): void => void process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);

/** The media type of a local file to upload, sniffed from its first bytes (or its extension). */
async function localMediaType(path: string): Promise<string> {
  const st = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw usageError(`${path}: ${err.code === 'ENOENT' ? 'no such file' : String(err)}`);
  });
  if (!st.isFile()) throw usageError(`${path}: not a regular file`);
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(16), 0, 16, 0);
    return mediaTypeOf(buffer.subarray(0, bytesRead), path, 'upload');
  } finally {
    await handle.close();
  }
}

export function describeFile(f: FileObject): string {
  const rows: [string, string][] = [
    ['id', f.id],
    ['state', f.state],
    ['purpose', f.purpose],
    ['type', f.mime_type],
    ['size', String(f.size_bytes)],
    ['created', f.created_at],
  ];
  if (f.filename != null) rows.push(['filename', f.filename]);
  if (f.user_id != null) rows.push(['user', f.user_id]);
  if (f.expires_at != null) rows.push(['expires', f.expires_at]);
  if (f.deleted_at != null) rows.push(['deleted', f.deleted_at]);
  if (f.failure_reason != null) rows.push(['failure', f.failure_reason]);
  return rows.map(([k, v]) => `${k.padEnd(8)} ${v}\n`).join('');
}

const listRow = (f: FileObject): string =>
  [
    f.id,
    f.state.padEnd(7),
    f.purpose.padEnd(9),
    f.mime_type.padEnd(15),
    String(f.size_bytes).padStart(10),
    f.created_at,
    f.filename ?? '',
  ]
    .join('  ')
    .trimEnd();

export function addFileCommands(program: Command): void {
  const files = program
    .command('files')
    .description('upload inputs once (Files API) and reference them by file_id; list, show, delete them')
    .addHelpText('after', FILES_EXAMPLES);

  addClientOptions(
    files
      .command('upload')
      .description('upload a local image or video; prints the file id')
      .argument('<path>', 'the file to upload')
      .addOption(new Option('--purpose <purpose>', 'input (default) or reference').choices(PURPOSES))
      .option('--mime-type <type>', 'media type of the bytes (default: sniffed from them)')
      .option('--wait', 'wait until the file is ready (exit code 5 if it fails ingest)')
      .option('--json', 'print the File as JSON')
      .option('-q, --quiet', 'no progress on stderr')
      .option('--poll-interval <ms>', 'milliseconds between status checks with --wait', positiveNumber, 1000)
      .option('--timeout <seconds>', 'stop waiting after this long (exit code 6)', positiveNumber),
  ).action(async (path: string, o: UploadFlags) => {
    const mimeType = o.mimeType ?? (await localMediaType(path));
    const client = makeClient(o);
    let last: string | null = null;
    const file = await client.files.upload(
      path,
      { mime_type: mimeType, ...(o.purpose === undefined ? {} : { purpose: o.purpose }) },
      {
        wait: o.wait === true,
        pollInterval: o.pollInterval,
        ...(o.timeout === undefined ? {} : { timeout: o.timeout * 1000 }),
        onProgress: (f) => {
          if (o.quiet === true || f.state === last) return;
          last = f.state;
          process.stderr.write(`${f.id} ${f.state}\n`);
        },
      },
    );
    if (o.json === true) printJson(file);
    else process.stdout.write(`${file.id}\n`);
  });

  addClientOptions(
    files
      .command('list')
      .description('list files, newest first (one page)')
      .addOption(new Option('--purpose <purpose>', 'only files of this purpose').choices(PURPOSES))
      .addOption(new Option('--state <state>', 'only files in this state').choices(STATES))
      .option('--limit <n>', 'page size, 1–100 (default 25)', pageSize)
      .option('--cursor <cursor>', 'the next page: the cursor a previous list printed')
      .option('--json', 'print the FileList ({"data": […], "has_more", "next_cursor"}) as JSON'),
  ).action(async (o: ListFlags) => {
    const page = await makeClient(o).files.list({
      ...(o.purpose === undefined ? {} : { purpose: o.purpose }),
      ...(o.state === undefined ? {} : { state: o.state }),
      ...(o.limit === undefined ? {} : { limit: o.limit }),
      ...(o.cursor === undefined ? {} : { cursor: o.cursor }),
    });
    if (o.json === true) return printJson(page);
    for (const f of page.data) process.stdout.write(`${listRow(f)}\n`);
    // On stderr, so stdout stays one file per line for scripts.
    if (page.has_more && page.next_cursor != null) {
      process.stderr.write(`more: umbra files list --cursor ${page.next_cursor}\n`);
    }
  });

  addClientOptions(
    files
      .command('get')
      .description('show a file (state, type, size, failure)')
      .argument('<id>', 'file id')
      .option('--json', 'print the File as JSON'),
  ).action(async (id: string, o: ClientFlags & { json?: boolean }) => {
    const f = await makeClient(o).files.get(id);
    if (o.json === true) printJson(f);
    else process.stdout.write(describeFile(f));
  });

  addClientOptions(
    files
      .command('delete')
      .description('delete a file: new generations can no longer reference it')
      .argument('<id>', 'file id'),
  ).action(async (id: string, o: ClientFlags) => {
    await makeClient(o).files.delete(id);
    process.stdout.write(`deleted ${id}\n`);
  });
}
