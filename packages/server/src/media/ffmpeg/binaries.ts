// Finds the ffmpeg/ffprobe binaries (docs/architecture.md "Media rules"): a configured path wins, then a
// binary on PATH, then the static build that ships inside an npm package, so a bare `npm install` can render
// video.
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';

/** Where a binary came from; logged with every render so slow or odd output can be traced to a build. */
export type BinarySource = 'config' | 'path' | 'npm';

/** A located executable. */
export interface Binary {
  path: string;
  source: BinarySource;
}

/** ffmpeg plus ffprobe, as one render uses them. */
export interface MediaTools {
  ffmpeg: Binary;
  ffprobe: Binary;
}

const executable = (p: string): boolean => {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** Searches `pathEnv` (a PATH value) for `name`; pure apart from the file-system check it is given. */
export const findOnPath = (
  name: string,
  pathEnv: string | undefined,
  isExecutable: (p: string) => boolean = executable,
): string | null => {
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
};

const npmBinary = (pkg: '@ffmpeg-installer/ffmpeg' | '@ffprobe-installer/ffprobe'): string => {
  const require = createRequire(import.meta.url);
  const mod = require(pkg) as { path: string };
  return mod.path;
};

/**
 * Resolves one tool: `configured` (UMBRA_FFMPEG / UMBRA_FFPROBE) if given, else `name` on PATH, else the
 * npm-shipped binary.
 */
export const locateBinary = (
  name: 'ffmpeg' | 'ffprobe',
  configured: string | null,
  pathEnv: string | undefined = process.env['PATH'],
): Binary => {
  if (configured) return { path: configured, source: 'config' };
  const onPath = findOnPath(name, pathEnv);
  if (onPath) return { path: onPath, source: 'path' };
  return {
    path: npmBinary(name === 'ffmpeg' ? '@ffmpeg-installer/ffmpeg' : '@ffprobe-installer/ffprobe'),
    source: 'npm',
  };
};

/** Resolves both tools with the same rule. */
export const locateTools = (ffmpeg: string | null, ffprobe: string | null): MediaTools => ({
  ffmpeg: locateBinary('ffmpeg', ffmpeg),
  ffprobe: locateBinary('ffprobe', ffprobe),
});
