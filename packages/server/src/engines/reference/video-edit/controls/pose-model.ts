// Body keypoints and faces from `@vladmandic/human` (MoveNet-Lightning for the body, BlazeFace + FaceRes
// for face boxes and identity descriptors) on TensorFlow.js's WASM backend. The weights and the WASM
// binaries are files inside the installed npm packages and are read from disk: a fetch shim serves
// `file:` URLs while the models load and refuses every other URL, so nothing is ever downloaded.
// Runs on the edit worker thread (inference is CPU-heavy).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** One keypoint in the pixel space of the image given to {@link PoseModel.detect}. */
export interface PoseKeypoint {
  part: string;
  x: number;
  y: number;
  score: number;
}

/** What one frame shows. */
export interface PoseDetection {
  bodies: { score: number; keypoints: PoseKeypoint[] }[];
  /** Face boxes (x, y, w, h in pixels) with their identity descriptors (empty when not computed). */
  faces: { x: number; y: number; w: number; h: number; score: number; descriptor: number[] }[];
}

/** A loaded model. */
export interface PoseModel {
  detect(rgb: Uint8Array, width: number, height: number): Promise<PoseDetection>;
  /** Identity similarity of two face descriptors, 0..1 (above ~0.5 is the same person). */
  similarity(a: readonly number[], b: readonly number[]): number;
}

/** The slice of the Human API used here (the package's own types describe much more). */
interface HumanLike {
  load(): Promise<void>;
  detect(input: unknown): Promise<{
    body: { score: number; keypoints: { part: string; position: number[]; score: number }[] }[];
    face: { box: number[]; score: number; embedding?: number[] }[];
  }>;
  tf: {
    tensor(values: Int32Array, shape: number[], dtype: 'int32'): unknown;
    dispose(t: unknown): void;
  };
  match: { similarity(a: number[], b: number[]): number };
}
type HumanCtor = new (config: Record<string, unknown>) => HumanLike;

const require = createRequire(import.meta.url);

/**
 * Faces taller than this share of the image are rejected: BlazeFace fires on busy full-frame texture with
 * a frame-sized box, and holding that would hold the whole picture.
 */
export const MAX_FACE_SHARE = 0.5;

/** Where the packages keep their files (resolved without loading them). */
const packageDir = (entry: string): string => dirname(require.resolve(entry));

/** Serves `file:` URLs from disk and refuses anything else: the models must never come from the network. */
export const localFetch = async (input: string | URL | Request): Promise<Response> => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (!url.startsWith('file:'))
    throw new Error(`pose model tried to fetch ${url}; only local files are allowed`);
  return new Response(await readFile(new URL(url)));
};

/**
 * Loads the models (about half a second; the first detection warms the WASM kernels).
 * @param body MoveNet body keypoints; @param face face boxes and descriptors.
 */
export const loadPoseModel = async (body: boolean, face: boolean): Promise<PoseModel> => {
  // The package's `exports` map offers only the tfjs-node build; the WASM build is a sibling file.
  const humanDist = packageDir('@vladmandic/human');
  const mod = (await import(pathToFileURL(join(humanDist, 'human.node-wasm.js')).href)) as {
    Human?: HumanCtor;
    default?: { Human?: HumanCtor };
  };
  const Human = mod.Human ?? mod.default?.Human;
  if (!Human) throw new Error('@vladmandic/human has no Human export');
  const human = new Human({
    backend: 'wasm',
    wasmPath: `${packageDir('@tensorflow/tfjs-backend-wasm')}/`,
    modelBasePath: pathToFileURL(join(humanDist, '..', 'models')).href + '/',
    debug: false,
    async: false,
    warmup: 'none',
    cacheSensitivity: 0,
    filter: { enabled: false },
    body: { enabled: body, modelPath: 'movenet-lightning.json', minConfidence: 0.2, maxDetected: 2 },
    face: {
      enabled: face,
      detector: { rotation: false, maxDetected: 2, minConfidence: 0.3 },
      mesh: { enabled: false },
      iris: { enabled: false },
      emotion: { enabled: false },
      description: { enabled: true },
      antispoof: { enabled: false },
      liveness: { enabled: false },
    },
    hand: { enabled: false },
    object: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
  });
  const original = globalThis.fetch;
  globalThis.fetch = localFetch;
  try {
    await human.load();
  } finally {
    globalThis.fetch = original;
  }
  return {
    async detect(rgb, width, height) {
      const t = human.tf.tensor(Int32Array.from(rgb), [1, height, width, 3], 'int32');
      try {
        const r = await human.detect(t);
        return {
          bodies: r.body.map((b) => ({
            score: b.score,
            keypoints: b.keypoints.map((k) => ({
              part: k.part,
              x: k.position[0] ?? 0,
              y: k.position[1] ?? 0,
              score: k.score,
            })),
          })),
          faces: r.face
            .map((f) => ({
              x: f.box[0] ?? 0,
              y: f.box[1] ?? 0,
              w: f.box[2] ?? 0,
              h: f.box[3] ?? 0,
              score: f.score,
              descriptor: f.embedding ?? [],
            }))
            .filter((f) => f.h <= height * MAX_FACE_SHARE),
        };
      } finally {
        human.tf.dispose(t);
      }
    },
    similarity: (a, b) => (a.length && a.length === b.length ? human.match.similarity([...a], [...b]) : 0),
  };
};
