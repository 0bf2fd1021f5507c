// The create form's model, pure: which fields apply to a type and model (from the SDK's accepted values),
// the request a filled form makes, and which field a server `detail` is about.
import { MODEL_TYPES, acceptedValues, defaultModel } from '@umbra/sdk';
import type {
  AcceptedValues,
  AspectRatio,
  Duration,
  EditStrength,
  GenerationCreateParams,
  GenerationType,
  ImageRef,
  Model,
  OutputFormat,
  Resolution,
  SourcePosition,
  Style,
  VideoOptions,
} from '@umbra/sdk';

/** A media input as the form holds it: one of the contract's ways to name media (§2.4). */
export interface RefValue {
  kind: 'generation_id' | 'file_id' | 'url';
  /** The id or the URL; empty = not filled in. */
  value: string;
  /** What to show for it (an uploaded file's name). */
  label?: string;
}

/** A keyframe: an image and the frame (0–120 for 5 s, 0–240 for 10 s) it is pinned to. */
export interface Keyframe {
  ref: RefValue;
  index: number;
}

/** The most keyframes a video takes (contract §2.5). */
export const MAX_KEYFRAMES = 64;

/** Every control of the form, named by its path in the request body (also its DOM id and error slot). */
export type FieldId =
  | 'type'
  | 'model'
  | 'prompt'
  | 'aspect_ratio'
  | 'style'
  | 'output_format'
  | 'web_search'
  | 'image_ref'
  | 'source'
  | 'video.resolution'
  | 'video.duration'
  | 'video.loop'
  | 'video.hdr'
  | 'video.exr_export'
  | 'video.start_frame'
  | 'video.end_frame'
  | 'video.keyframes'
  | 'video.edit.strength'
  | 'video.source_position';

export interface FormState {
  type: GenerationType;
  model: Model;
  prompt: string;
  /** '' = the model chooses. */
  aspect_ratio: AspectRatio | '';
  style: Style;
  output_format: OutputFormat | '';
  web_search: boolean;
  image_ref: RefValue[];
  source: RefValue;
  resolution: Resolution | '';
  duration: Duration | '';
  loop: boolean;
  hdr: boolean;
  exr_export: boolean;
  start_frame: RefValue;
  end_frame: RefValue;
  /** Guide images on the 24 fps frame grid (type `video`). */
  keyframes: Keyframe[];
  strength: EditStrength | '';
  /** null = the server's default placement (centred fit). */
  source_position: SourcePosition | null;
}

const emptyRef = (): RefValue => ({ kind: 'generation_id', value: '' });

export const initialForm = (
  type: GenerationType = 'image',
  model: Model = defaultModel(type),
): FormState => ({
  type,
  model,
  prompt: '',
  aspect_ratio: '',
  style: 'auto',
  output_format: '',
  web_search: false,
  image_ref: [],
  source: emptyRef(),
  resolution: '',
  duration: '',
  loop: false,
  hdr: false,
  exr_export: false,
  start_frame: emptyRef(),
  end_frame: emptyRef(),
  keyframes: [],
  strength: '',
  source_position: null,
});

/** The models that make `type`, in the contract's order. */
export const modelsFor = (type: GenerationType): Model[] =>
  (Object.keys(MODEL_TYPES) as Model[]).filter((m) => MODEL_TYPES[m].includes(type));

/** The most reference images each image type takes (contract §2.3: 9 for `image`, 8 for `image_edit`). */
export const maxImageRefs = (type: GenerationType): number =>
  type === 'image' ? 9 : type === 'image_edit' ? 8 : 0;

/** What `model` accepts for `type`; the form only ever pairs a type with a model that makes it. */
export const accepted = (s: Pick<FormState, 'type' | 'model'>): AcceptedValues => {
  const a = acceptedValues(s.model, s.type) ?? acceptedValues(defaultModel(s.type), s.type);
  if (a === null) throw new Error(`no model makes ${s.type}`);
  return a;
};

/**
 * The fields that apply to the form's type and model, in display order. Fields a type ignores (the ratio
 * of edits, the duration of edits and reframes) are left out rather than shown and silently dropped.
 */
export function visibleFields(s: Pick<FormState, 'type' | 'model' | 'hdr'>): FieldId[] {
  const a = accepted(s);
  const out: FieldId[] = ['type', 'model', 'prompt'];
  const t = s.type;
  if (t === 'image_edit' || t === 'video_edit' || t === 'video_reframe') out.push('source');
  if (t !== 'image_edit' && t !== 'video_edit' && a.aspect_ratio.length > 0) out.push('aspect_ratio');
  if (a.style.length > 1) out.push('style');
  if (a.output_format.length > 0) out.push('output_format', 'web_search');
  if (maxImageRefs(t) > 0) out.push('image_ref');
  if (t === 'video' || t === 'video_reframe' || t === 'video_edit') {
    if (a['video.resolution'].length > 0) out.push('video.resolution');
  }
  if (t === 'video') out.push('video.duration', 'video.loop');
  if (t === 'video' || t === 'video_edit') {
    out.push('video.hdr');
    if (s.hdr) out.push('video.exr_export');
    out.push('video.start_frame');
  }
  if (t === 'video') out.push('video.end_frame', 'video.keyframes');
  if (t === 'video_edit' && a['video.edit.strength'].length > 0) out.push('video.edit.strength');
  if (t === 'video_reframe') out.push('video.source_position');
  return out;
}

/** Moves the form to another type: the model follows when it does not make that type; values stay. */
export function withType(s: FormState, type: GenerationType): FormState {
  const model = MODEL_TYPES[s.model].includes(type) ? s.model : defaultModel(type);
  const next = { ...s, type, model };
  return clampToAccepted(next);
}

/** Drops closed-field values the type and model do not take (a ratio of the other model family). */
export function clampToAccepted(s: FormState): FormState {
  const a = accepted(s);
  return {
    ...s,
    aspect_ratio: s.aspect_ratio !== '' && !a.aspect_ratio.includes(s.aspect_ratio) ? '' : s.aspect_ratio,
    style: a.style.includes(s.style) ? s.style : 'auto',
    output_format:
      s.output_format !== '' && !a.output_format.includes(s.output_format) ? '' : s.output_format,
    image_ref: s.image_ref.slice(0, maxImageRefs(s.type)),
  };
}

const refOf = (r: RefValue): ImageRef | null => {
  const v = r.value.trim();
  if (v === '') return null;
  return { [r.kind]: v };
};

/** The request body the form makes: only the fields that apply, and only those set away from the default. */
export function buildRequest(s: FormState): GenerationCreateParams {
  const show = new Set(visibleFields(s));
  const body: GenerationCreateParams = { prompt: s.prompt, type: s.type, model: s.model };
  if (show.has('aspect_ratio') && s.aspect_ratio !== '') body.aspect_ratio = s.aspect_ratio;
  if (show.has('style') && s.style !== 'auto') body.style = s.style;
  if (show.has('output_format') && s.output_format !== '') body.output_format = s.output_format;
  if (show.has('web_search') && s.web_search) body.web_search = true;
  if (show.has('image_ref')) {
    const refs = s.image_ref.map(refOf).filter((r): r is ImageRef => r !== null);
    if (refs.length > 0) body.image_ref = refs;
  }
  if (show.has('source')) {
    const src = refOf(s.source);
    if (src !== null) body.source = src;
  }
  const video: VideoOptions = {};
  if (show.has('video.resolution') && s.resolution !== '') video.resolution = s.resolution;
  if (show.has('video.duration') && s.duration !== '') video.duration = s.duration;
  if (show.has('video.loop') && s.loop) video.loop = true;
  if (show.has('video.hdr') && s.hdr) video.hdr = true;
  if (show.has('video.exr_export') && s.exr_export) video.exr_export = true;
  const start = show.has('video.start_frame') ? refOf(s.start_frame) : null;
  if (start !== null) video.start_frame = start;
  const end = show.has('video.end_frame') ? refOf(s.end_frame) : null;
  if (end !== null) video.end_frame = end;
  if (show.has('video.keyframes')) {
    const kept = s.keyframes
      .map((k) => ({ ref: refOf(k.ref), index: k.index }))
      .filter((k): k is { ref: ImageRef; index: number } => k.ref !== null);
    if (kept.length > 0) {
      video.keyframes = kept.map((k) => k.ref);
      video.keyframe_indexes = kept.map((k) => k.index);
    }
  }
  if (show.has('video.edit.strength') && s.strength !== '') video.edit = { strength: s.strength };
  if (show.has('video.source_position') && s.source_position !== null) {
    video.source_position = s.source_position;
  }
  if (Object.keys(video).length > 0) body.video = video;
  return body;
}

/** Words of a detail that name a field differently from its path. */
const ALIASES: Record<string, FieldId> = {
  hdr: 'video.hdr',
  resolution: 'video.resolution',
  'video.keyframe_indexes': 'video.keyframes',
};

/**
 * The field a server `detail` is about: the first word of it that names a shown field by its body path
 * (`aspect_ratio`, `video.hdr`, `image_ref[2]`, `Prompt …`), or its nearest shown parent; null when it
 * names none (the error then shows at the top of the form).
 */
export function fieldForDetail(detail: string, shown: readonly FieldId[]): FieldId | null {
  const has = new Set<string>(shown);
  for (const raw of detail.match(/[A-Za-z_]+(?:\[\d+\])?(?:\.[A-Za-z_]+(?:\[\d+\])?)*/g) ?? []) {
    const word = raw.toLowerCase().replace(/\[\d+\]/g, '');
    const alias = ALIASES[word];
    if (alias !== undefined && has.has(alias)) return alias;
    for (let path = word; path !== ''; path = path.slice(0, Math.max(0, path.lastIndexOf('.')))) {
      if (has.has(path)) return path as FieldId;
      if (!path.includes('.')) break;
    }
  }
  return null;
}
