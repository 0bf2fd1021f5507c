// What a job produces, decided from its request alone: the files, their content types and blob keys.
// Pure. In-process workers name their rendered files with outputKey(); remote workers get one upload
// target per expected output.
import { extensionForContentType } from '../blobs/content-type.js';
import { imageSize, videoSize } from '../contract/sizes.js';
import type { GenerationRequest } from '../contract/wire.js';
import { isVideoType } from '../contract/wire.js';

export interface ExpectedOutput {
  type: 'image' | 'video' | 'exr';
  contentType: string;
  key: string;
  width: number | null;
  height: number | null;
}

/** Blob key of one output of one attempt; the attempt in the key keeps a stale worker off the winner's files. */
export const outputKey = (
  id: string,
  attempt: number,
  file: { type: 'image' | 'video' | 'exr'; contentType: string },
  index: number,
): string => {
  const name = file.type === 'exr' ? 'frames' : index === 0 ? 'output' : `output-${index}`;
  return `generations/${id}/a${attempt}/${name}.${extensionForContentType(file.contentType)}`;
};

/** The outputs a completed job must have: one image; or one video, plus the EXR zip when asked for. */
export function expectedOutputs(id: string, attempt: number, request: GenerationRequest): ExpectedOutput[] {
  const at = (
    type: ExpectedOutput['type'],
    contentType: string,
    index: number,
    size: { width: number; height: number } | null,
  ): ExpectedOutput => ({
    type,
    contentType,
    key: outputKey(id, attempt, { type, contentType }, index),
    width: size?.width ?? null,
    height: size?.height ?? null,
  });
  if (!isVideoType(request.type)) {
    const size = request.type === 'image' ? imageSize(request.aspect_ratio) : null;
    return [at('image', request.output_format === 'jpeg' ? 'image/jpeg' : 'image/png', 0, size)];
  }
  const v = request.video;
  const size =
    request.type === 'video' && request.aspect_ratio !== null
      ? videoSize(v?.resolution ?? '720p', request.aspect_ratio)
      : null;
  const video = at('video', 'video/mp4', 0, size);
  return v?.exr_export === true ? [video, at('exr', 'application/zip', 1, size)] : [video];
}

/** What an uploaded file's first bytes must be for each output content type. */
export function matchesContentType(contentType: string, head: Buffer): boolean {
  const has = (bytes: number[], at = 0): boolean => bytes.every((b, i) => head[at + i] === b);
  switch (contentType) {
    case 'image/png':
      return has([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case 'image/jpeg':
      return has([0xff, 0xd8, 0xff]);
    case 'video/mp4':
      return head.length >= 12 && head.toString('latin1', 4, 8) === 'ftyp';
    case 'application/zip':
      return has([0x50, 0x4b, 0x03, 0x04]);
    default:
      return false;
  }
}
