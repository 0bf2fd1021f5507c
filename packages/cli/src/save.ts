// Saves a generation's outputs and decides their file names.
import { mkdir, rename, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { Generation, GenerationOutput, Umbra } from '@umbra/sdk';

const EXT_BY_TYPE: Record<string, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/webp': '.webp',
  'image/gif': '.gif',
  'video/mp4': '.mp4',
  'video/quicktime': '.mov',
  'application/zip': '.zip',
  'image/x-exr': '.exr',
};

/** The extension of an output: from its content type, else from its URL's path, else `.bin`. */
export function extensionFor(contentType: string | null, url: string): string {
  const byType = EXT_BY_TYPE[(contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? ''];
  if (byType !== undefined) return byType;
  const fromUrl = extname(new URL(url).pathname);
  return /^\.[a-z0-9]{1,5}$/i.test(fromUrl) ? fromUrl.toLowerCase() : '.bin';
}

const isDir = async (p: string): Promise<boolean> =>
  (await stat(p).catch(() => null))?.isDirectory() ?? false;

/**
 * Where output `i` goes. No --out: `<id>.<ext>` in the current directory. --out naming an existing directory
 * (or ending in `/`): the same name inside it. Otherwise --out is the first file's path, and further outputs
 * (an EXR archive next to a video) take its stem with their own extension.
 */
async function plan(
  g: Generation,
  out: string | undefined,
): Promise<{ dir: string; stem: string; exact: boolean }> {
  if (out === undefined) return { dir: '.', stem: g.id, exact: false };
  if (out.endsWith('/') || (await isDir(out))) return { dir: out, stem: g.id, exact: false };
  const ext = extname(out);
  return { dir: dirname(out), stem: basename(out, ext), exact: true };
}

export interface Saved {
  type: string;
  path: string;
  bytes: number;
  contentType: string | null;
}

export async function saveOutputs(client: Umbra, g: Generation, out?: string): Promise<Saved[]> {
  const { dir, stem, exact } = await plan(g, out);
  await mkdir(dir, { recursive: true });
  const saved: Saved[] = [];
  const used = new Set<string>();
  for (const [i, output] of g.output.entries()) {
    // The name depends on the content type, known only once the download starts: write to a temporary
    // name first, then rename.
    const tmp = join(dir, `.${stem}.${i}.download`);
    const r = await client.files.download(output, tmp);
    const path =
      exact && i === 0 && out !== undefined
        ? out
        : uniqueName(dir, stem, extensionFor(r.contentType, output.url), used);
    used.add(path);
    await rename(tmp, path);
    saved.push({ type: output.type, path, bytes: r.bytes, contentType: r.contentType });
  }
  return saved;
}

function uniqueName(dir: string, stem: string, ext: string, used: Set<string>): string {
  let path = join(dir, `${stem}${ext}`);
  for (let n = 2; used.has(path); n++) path = join(dir, `${stem}-${n}${ext}`);
  return path;
}

export const outputSummary = (o: GenerationOutput): string => `${o.type} ${o.url}`;
