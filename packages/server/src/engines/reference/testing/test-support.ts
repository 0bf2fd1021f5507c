// Helpers for the reference engine's tests: request and job builders with the contract's defaults.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GenerationRequest } from '../../../contract/wire.js';
import { parseCreateRequest } from '../../../contract/validate-create.js';
import { emptyEngineInputs } from '../../engine.js';
import type { EngineInputs, ResolvedMedia, RenderJob } from '../../engine.js';

/** A validated image request with §2.7 defaults, overridden by `over`. */
export const imageRequest = (over: Partial<GenerationRequest>): GenerationRequest => ({
  ...parseCreateRequest({ prompt: 'mountains at sunset' }, { hdrAccess: true }),
  ...over,
});

/** A resolved local image input. */
export const media = (slot: string, path: string, width: number, height: number): ResolvedMedia => ({
  slot,
  path,
  kind: 'image',
  format: 'png',
  width,
  height,
});

/** A job with a fresh scratch dir; progress fractions are collected in `progress`. */
export const makeJob = async (
  request: GenerationRequest,
  inputs: Partial<EngineInputs> = {},
  signal: AbortSignal = new AbortController().signal,
): Promise<RenderJob & { progress: number[] }> => {
  const progress: number[] = [];
  return {
    generationId: '00000000-0000-4000-8000-000000000000',
    request,
    inputs: { ...emptyEngineInputs(), ...inputs },
    scratchDir: await mkdtemp(join(tmpdir(), 'umbra-ref-')),
    signal,
    onProgress: (f) => progress.push(f),
    progress,
  };
};
