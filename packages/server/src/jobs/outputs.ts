// What a job produces, decided from its request alone: the files, their content types and blob keys.
// Pure. In-process workers name their rendered files with outputKey(); remote workers get one upload
// target per expected output.
import { extensionForContentType } from '../blobs/content-type.js';
import { imageRatio, imageSize, videoSize } from '../contract/sizes.js';
import type { GenerationRequest } from '../contract/wire.js';
import { isVideoType } from '../contract/wire.js';
import { isZip, sniff } from '../inputs/sniff.js';

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
    const size = request.type === 'image' ? imageSize(imageRatio(request)) : null;
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

/** Whether an uploaded file's first bytes are what its output content type says (the one sniffer decides). */
export const matchesContentType = (contentType: string, head: Buffer): boolean =>
  contentType === 'application/zip' ? isZip(head) : sniff(head).mime === contentType;
