// The tail shared by `generate` and `wait`: wait with progress (on the server's event stream when it has
// one, else by polling), then save the outputs and report.
import type { Generation, Umbra } from '@umbra/sdk';
import { APIUserAbortError, GenerationFailedError } from '@umbra/sdk';
import { CliError, ExitCode } from '../exit-codes.js';
import { createProgress } from '../progress.js';
import type { Saved } from '../save.js';
import { saveOutputs } from '../save.js';

export interface WaitFlags {
  out?: string;
  json?: boolean;
  quiet?: boolean;
  /** false with --no-download. */
  download: boolean;
  pollInterval: number;
  /** Seconds. */
  timeout?: number;
}

const printJson = (generation: Generation, saved: Saved[]): void => {
  const files = saved.map((s) => ({
    type: s.type,
    path: s.path,
    bytes: s.bytes,
    content_type: s.contentType,
  }));
  process.stdout.write(`${JSON.stringify({ generation, files }, null, 2)}\n`);
};

export async function waitAndSave(client: Umbra, start: Generation | string, o: WaitFlags): Promise<void> {
  const id = typeof start === 'string' ? start : start.id;
  const progress = createProgress(process.stderr, { quiet: o.quiet === true });
  if (typeof start !== 'string') progress.update(start);
  // Ctrl-C stops waiting, not the job: say how to pick it up again.
  const ctl = new AbortController();
  const onSigint = (): void => ctl.abort();
  process.once('SIGINT', onSigint);
  let final: Generation;
  try {
    final = await client.generations.wait(start, {
      pollInterval: o.pollInterval,
      signal: ctl.signal,
      onProgress: (g, p) => progress.update(g, p),
      ...(o.timeout === undefined ? {} : { timeout: o.timeout * 1000 }),
    });
    progress.stop(final);
  } catch (err) {
    progress.stop(err instanceof GenerationFailedError ? err.generation : undefined);
    if (err instanceof GenerationFailedError && o.json === true) printJson(err.generation, []);
    if (err instanceof APIUserAbortError) {
      throw new CliError(
        `interrupted; generation ${id} keeps running (umbra wait ${id})`,
        ExitCode.interrupted,
      );
    }
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
  }
  const saved = o.download ? await saveOutputs(client, final, o.out) : [];
  if (o.json === true) return printJson(final, saved);
  if (saved.length > 0) {
    for (const s of saved) process.stdout.write(`saved ${s.path}\n`);
  } else {
    for (const out of final.output) process.stdout.write(`${out.type} ${out.url}\n`);
  }
}
