// `umbra generate`, `umbra get`, `umbra wait`: the Generations API from a terminal.
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Generation, Umbra } from '@umbra/sdk';
import { GENERATION_TYPES } from '@umbra/sdk';
import { choicesHelp } from '../choices.js';
import type { Uploader } from '../media-ref.js';
import { INLINE_INPUT_MAX_BYTES } from '../media-ref.js';
import type { GenerateFlags } from '../request.js';
import { buildRequest } from '../request.js';
import type { ClientFlags } from './client-options.js';
import { addClientOptions, makeClient, nonNegativeInteger, positiveNumber } from './client-options.js';
import type { WaitFlags } from './wait-and-save.js';
import { waitAndSave } from './wait-and-save.js';

const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** `--duration 5` means `5s`; which durations are accepted is `checkChoices`' to say. */
const duration = (v: string): string => (/^\d+$/.test(v) ? `${v}s` : v);

const addWaitOptions = (cmd: Command): Command =>
  cmd
    .option('--out <path>', 'file (or existing directory) to save the output to (default ./<id>.<ext>)')
    .option('--no-download', 'print the output URLs instead of saving the files')
    .option('--json', 'print {"generation": …, "files": [...]} as JSON on stdout')
    .option('-q, --quiet', 'no progress display on stderr')
    .option(
      '--poll-interval <ms>',
      'milliseconds between status checks, on a server without a live event stream',
      positiveNumber,
      2000,
    )
    .option(
      '--timeout <seconds>',
      'stop waiting after this long (exit code 6); the job keeps running',
      positiveNumber,
    );

const GENERATE_EXAMPLES = `
Inputs (--ref, --source, --start-frame, --end-frame, --keyframe) take a local file (sent as base64 with its
sniffed media type; above --inline-limit, uploaded through the Files API and sent as a file_id), an http(s)
URL, the id of an earlier generation, or file:<id> for a file uploaded with \`umbra files upload\`.
Without --type: --source makes an image_edit (video_edit for a video), video flags make a video.

Examples:
  umbra generate "a lighthouse on a cliff at sunset" --ratio 16:9 --out lighthouse.png
  umbra generate "make it night" --source lighthouse.png --out night.png
  umbra generate "in the style of this" --ref palette.jpg --format jpeg --json
  umbra generate "waves rolling in" --type video --resolution 720p --duration 5s`;

export function addGenerationCommands(program: Command): void {
  const generate = program
    .command('generate')
    .description('create a generation, wait for it with progress, and save its outputs')
    .argument('<prompt>', 'what to make (1–6000 characters)')
    .addOption(new Option('--type <type>', 'generation type (default image)').choices(GENERATION_TYPES))
    .option('--model <model>', 'model (default by type; accepted values below)')
    .option('--ratio <ratio>', 'aspect ratio (default: the model chooses; accepted values below)')
    .option('--format <format>', 'image output format (default: the model chooses)')
    .option('--style <style>', 'image style (default auto)')
    .option('--web-search', 'let the model search the web for references (image types)')
    .option('--user-id <id>', 'your opaque end-user id (≤ 256 characters)')
    .option('--ref <input>', 'reference image: FILE | URL | ID (repeatable, ≤ 9)', collect, [])
    .option('--source <input>', 'image or video to edit/reframe: FILE | URL | ID')
    .option('--resolution <res>', 'video resolution (default 720p)')
    .option('--duration <d>', 'video duration (default 5s)', duration)
    .option('--hdr', 'HDR video (needs HDR access)')
    .option('--exr', 'also export EXR frames (with --hdr)')
    .option('--loop', 'seamlessly looping video')
    .option('--start-frame <input>', 'video first frame, or a video ID to extend: FILE | URL | ID')
    .option('--end-frame <input>', 'video last frame: FILE | URL | ID')
    .option(
      '--keyframe <index=input>',
      'video keyframe at a frame index (24 fps), e.g. 0=a.png (repeatable)',
      collect,
      [],
    )
    .option('--strength <preset>', 'video_edit strength preset')
    .option(
      '--inline-limit <bytes>',
      'local inputs larger than this are uploaded (Files API) and sent by file_id instead of base64',
      nonNegativeInteger,
      INLINE_INPUT_MAX_BYTES,
    )
    .option('--no-wait', 'print the queued generation id (or JSON with --json) and exit');
  addWaitOptions(generate);
  addClientOptions(generate)
    .addHelpText('after', choicesHelp() + GENERATE_EXAMPLES)
    .action(async (prompt: string, o: GenerateFlags & WaitFlags & ClientFlags & { wait: boolean }) => {
      // The client is made on first use, so a bad input file is still reported before a missing key.
      let client: Umbra | undefined;
      const getClient = (): Umbra => (client ??= makeClient(o));
      const upload: Uploader = async (path, mediaType, purpose) => {
        const file = await getClient().files.upload(
          path,
          { mime_type: mediaType, purpose },
          { wait: true, pollInterval: Math.min(o.pollInterval, 1000) },
        );
        if (o.quiet !== true) process.stderr.write(`uploaded ${path} as file ${file.id}\n`);
        return file.id;
      };
      const params = await buildRequest(prompt, o, upload);
      const created = await getClient().generations.create(params);
      if (!o.wait) {
        process.stdout.write(o.json === true ? `${JSON.stringify(created, null, 2)}\n` : `${created.id}\n`);
        return;
      }
      await waitAndSave(getClient(), created, o);
    });

  addClientOptions(
    program
      .command('get')
      .description('show a generation (state, outputs, failure)')
      .argument('<id>', 'generation id')
      .option('--json', 'print the Generation as JSON'),
  ).action(async (id: string, o: ClientFlags & { json?: boolean }) => {
    const g = await makeClient(o).generations.get(id);
    process.stdout.write(o.json === true ? `${JSON.stringify(g, null, 2)}\n` : describe(g));
  });

  const wait = program
    .command('wait')
    .description('wait for a generation to finish, then save its outputs')
    .argument('<id>', 'generation id');
  addClientOptions(addWaitOptions(wait)).action(async (id: string, o: WaitFlags & ClientFlags) => {
    await waitAndSave(makeClient(o), id, o);
  });

  addClientOptions(
    program
      .command('cancel')
      .description('stop a queued or processing generation and refund it (Umbra servers only)')
      .argument('<id>', 'generation id')
      .option('--json', 'print the canceled Generation as JSON'),
  ).action(async (id: string, o: ClientFlags & { json?: boolean }) => {
    const g = await makeClient(o).generations.cancel(id);
    process.stdout.write(o.json === true ? `${JSON.stringify(g, null, 2)}\n` : describe(g));
  });
}

function describe(g: Generation): string {
  const rows: [string, string][] = [
    ['id', g.id],
    ['type', g.type],
    ['model', g.model],
    ['state', g.state],
    ['created', g.created_at],
    ...g.output.map((o): [string, string] => ['output', `${o.type} ${o.url}`]),
  ];
  if (g.state === 'failed')
    rows.push(['failure', `${g.failure_code ?? 'unknown'}: ${g.failure_reason ?? ''}`]);
  return rows.map(([k, v]) => `${k.padEnd(8)} ${v}\n`).join('');
}
