// The edit thread's models, loaded once per thread and kept: a thread lives across jobs (edit-threads.ts),
// so only its first job that needs a model pays for loading it (~0.8 s for pose and faces). A failed load
// is not kept, so the next job tries again. The load count and time are reported per session, which is how
// the render log and the tests see whether a job loaded anything.
import { loadDepthModel, type DepthModel } from './controls/depth-model.js';
import { loadPoseModel, type PoseModel } from './controls/pose-model.js';

const cache = new Map<string, Promise<unknown>>();
const loads = { count: 0, ms: 0 };

const cached = <T>(key: string, load: () => Promise<T>): Promise<T> => {
  const hit = cache.get(key) as Promise<T> | undefined;
  if (hit) return hit;
  const started = performance.now();
  loads.count++;
  const p = load().then(
    (model) => {
      loads.ms += performance.now() - started;
      return model;
    },
    (err: unknown) => {
      cache.delete(key);
      throw err;
    },
  );
  cache.set(key, p);
  return p;
};

/** The pose/face model with these parts enabled, loaded on first use. */
export const cachedPoseModel = (body: boolean, face: boolean): Promise<PoseModel> =>
  cached(`pose:${body}:${face}`, () => loadPoseModel(body, face));

/** The depth model at `path` with this fallback input size, loaded on first use. */
export const cachedDepthModel = (
  path: string,
  fallback: { width: number; height: number },
): Promise<DepthModel> =>
  cached(`depth:${fallback.width}x${fallback.height}:${path}`, () => loadDepthModel(path, fallback));

/** Models loaded by this thread so far (count, and total milliseconds of the loads that succeeded). */
export const modelLoads = (): { count: number; ms: number } => ({ ...loads });
