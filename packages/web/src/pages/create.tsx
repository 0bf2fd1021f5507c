// Create: a form that shows exactly the fields that apply to the chosen type and model; the server's
// `detail` of a refused request shows next to the field it names.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { GenerationType, Umbra } from '@umbra/sdk';
import { APIError, CLOSED_FIELD_VALUES, GENERATION_TYPES } from '@umbra/sdk';
import { outputAsFile } from '../chain-inputs.js';
import { Field, controlId, errorAttrs } from '../components/field.js';
import { RefInput } from '../components/ref-input.js';
import { SourcePositionField } from '../components/source-position.js';
import type { FieldId, FormState, RefValue } from '../form-model.js';
import {
  MAX_KEYFRAMES,
  accepted,
  buildRequest,
  clampToAccepted,
  fieldForDetail,
  initialForm,
  maxImageRefs,
  modelsFor,
  visibleFields,
  withType,
} from '../form-model.js';
import { go, hrefs } from '../route.js';
import { rememberRequest } from '../session.js';

/** A form pre-filled from the route's query: `type`, `model`, and a generation id for an input slot. */
export function formFromQuery(q: URLSearchParams): FormState {
  const type = GENERATION_TYPES.find((t) => t === q.get('type')) ?? 'image';
  const models = modelsFor(type);
  const model = models.find((m) => m === q.get('model')) ?? models[0] ?? 'uni-1';
  let s = initialForm(type, model);
  const gen = (v: string | null): RefValue => ({ kind: 'generation_id', value: v ?? '' });
  if (q.has('source')) s = { ...s, source: gen(q.get('source')) };
  if (q.has('image_ref')) s = { ...s, image_ref: [gen(q.get('image_ref'))] };
  if (q.has('start_frame')) s = { ...s, start_frame: gen(q.get('start_frame')) };
  if (q.has('end_frame')) s = { ...s, end_frame: gen(q.get('end_frame')) };
  // An image used as a keyframe starts mid-clip; its file is filled in once uploaded (below).
  if (q.has('keyframe_image')) s = { ...s, keyframes: [{ ref: { kind: 'file_id', value: '' }, index: 60 }] };
  if (q.has('start_image')) s = { ...s, start_frame: { kind: 'file_id', value: '' } };
  if (q.has('end_image')) s = { ...s, end_frame: { kind: 'file_id', value: '' } };
  if (q.has('prompt')) s = { ...s, prompt: q.get('prompt') ?? '' };
  return clampToAccepted(s);
}

type Errors = Partial<Record<FieldId | '_form', string>>;

const TYPE_LABELS: Record<GenerationType, string> = {
  image: 'Image',
  image_edit: 'Image edit',
  video: 'Video',
  video_edit: 'Video edit',
  video_reframe: 'Video reframe',
};

export function CreatePage({ client, query }: { client: Umbra; query: URLSearchParams }) {
  const [s, setS] = useState<FormState>(() => formFromQuery(query));
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [chaining, setChaining] = useState<string>('');
  useEffect(() => {
    setS(formFromQuery(query));
    // Image outputs chained into video frames go in as files (chain-inputs.ts).
    const slots = (['keyframe_image', 'start_image', 'end_image'] as const).filter((k) => query.has(k));
    let live = true;
    for (const slot of slots) {
      const id = query.get(slot) ?? '';
      setChaining(`Uploading the output of ${id} as a file…`);
      outputAsFile(client, id).then(
        (ref) => {
          if (!live) return;
          setChaining(`The output of ${id} is ready as a file.`);
          setS((prev) =>
            slot === 'keyframe_image'
              ? { ...prev, keyframes: prev.keyframes.map((k, i) => (i === 0 ? { ...k, ref } : k)) }
              : slot === 'start_image'
                ? { ...prev, start_frame: ref }
                : { ...prev, end_frame: ref },
          );
        },
        (err: unknown) =>
          live && setChaining(`Could not chain ${id}: ${err instanceof Error ? err.message : String(err)}`),
      );
    }
    return () => {
      live = false;
    };
  }, [query.toString()]);
  const shown = useMemo(() => visibleFields(s), [s.type, s.model, s.hdr]);
  const a = accepted(s);
  const set = (patch: Partial<FormState>): void => setS((prev) => ({ ...prev, ...patch }));
  const has = (f: FieldId): boolean => shown.includes(f);
  const err = (f: FieldId): string | undefined => errors[f];

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setErrors({});
    setBusy(true);
    const body = buildRequest(s);
    try {
      const g = await client.generations.create(body, { idempotencyKey: 'auto' });
      rememberRequest(g.id, body);
      go(hrefs.watch(g.id));
    } catch (x) {
      const detail = x instanceof APIError ? x.detail : x instanceof Error ? x.message : String(x);
      const field = fieldForDetail(detail, shown);
      setErrors({ [field ?? '_form']: detail });
      // Focus goes where the problem is, so keyboard and screen-reader users land on it.
      setTimeout(() => document.getElementById(field === null ? 'form-error' : controlId(field))?.focus(), 0);
    } finally {
      setBusy(false);
    }
  };

  const select = <V extends string>(
    f: FieldId,
    label: string,
    value: V | '',
    options: readonly V[],
    onPick: (v: V | '') => void,
    empty?: string,
    name: (v: V) => string = (v) => v,
  ) => (
    <Field field={f} label={label} error={err(f)}>
      <select
        id={controlId(f)}
        value={value}
        onChange={(e) => onPick(e.currentTarget.value as V | '')}
        {...errorAttrs(f, err(f))}
      >
        {empty !== undefined && <option value="">{empty}</option>}
        {options.map((o) => (
          <option key={o} value={o}>
            {name(o)}
          </option>
        ))}
      </select>
    </Field>
  );

  const check = (f: FieldId, label: string, value: boolean, onPick: (v: boolean) => void) => (
    <div class="field check" data-field={f}>
      <input
        type="checkbox"
        id={controlId(f)}
        checked={value}
        onChange={(e) => onPick(e.currentTarget.checked)}
        {...errorAttrs(f, err(f))}
      />
      <label for={controlId(f)}>{label}</label>
      {err(f) !== undefined && (
        <p class="field-error" id={`${controlId(f)}-error`} role="alert">
          {err(f)}
        </p>
      )}
    </div>
  );

  const ref = (f: FieldId, label: string, value: RefValue, onPick: (v: RefValue) => void, accept: string) => (
    <Field field={f} label={label} error={err(f)}>
      <RefInput
        client={client}
        id={controlId(f)}
        name={label}
        value={value}
        onChange={onPick}
        accept={accept}
        purpose={f === 'source' ? 'input' : 'reference'}
        describedBy={errorAttrs(f, err(f))}
      />
    </Field>
  );

  const isVideo = s.type !== 'image' && s.type !== 'image_edit';
  return (
    <section aria-labelledby="create-title">
      <h1 id="create-title">Create</h1>
      <form class="create-form" onSubmit={(e) => void submit(e)} noValidate>
        {errors._form !== undefined && (
          <p class="form-error" id="form-error" role="alert" tabIndex={-1}>
            {errors._form}
          </p>
        )}
        {chaining !== '' && (
          <p class="status" role="status">
            {chaining}
          </p>
        )}
        <div class="row">
          {select(
            'type',
            'Type',
            s.type,
            GENERATION_TYPES,
            (v) => v !== '' && setS(withType(s, v)),
            undefined,
            (t) => TYPE_LABELS[t],
          )}
          {select('model', 'Model', s.model, modelsFor(s.type), (v) =>
            setS(clampToAccepted({ ...s, model: v === '' ? s.model : v })),
          )}
        </div>
        <Field field="prompt" label="Prompt" error={err('prompt')}>
          <textarea
            id={controlId('prompt')}
            rows={3}
            maxLength={6000}
            value={s.prompt}
            onInput={(e) => set({ prompt: e.currentTarget.value })}
            {...errorAttrs('prompt', err('prompt'))}
          />
        </Field>
        {has('source') &&
          ref('source', 'Source', s.source, (v) => set({ source: v }), isVideo ? 'video/*' : 'image/*')}
        <div class="row">
          {has('aspect_ratio') &&
            select(
              'aspect_ratio',
              'Aspect ratio',
              s.aspect_ratio,
              a.aspect_ratio,
              (v) => set({ aspect_ratio: v }),
              s.type === 'video_reframe' ? 'Choose…' : 'Model chooses',
            )}
          {has('style') && select('style', 'Style', s.style, a.style, (v) => set({ style: v || 'auto' }))}
          {has('output_format') &&
            select(
              'output_format',
              'Output format',
              s.output_format,
              a.output_format,
              (v) => set({ output_format: v }),
              'Model chooses',
            )}
          {has('video.resolution') &&
            select(
              'video.resolution',
              'Resolution',
              s.resolution,
              a['video.resolution'],
              (v) => set({ resolution: v }),
              'Default (720p)',
            )}
          {has('video.duration') &&
            select(
              'video.duration',
              'Duration',
              s.duration,
              a['video.duration'],
              (v) => set({ duration: v }),
              'Default (5s)',
            )}
          {has('video.edit.strength') &&
            select(
              'video.edit.strength',
              'Edit strength',
              s.strength,
              CLOSED_FIELD_VALUES['video.edit.strength'],
              (v) => set({ strength: v }),
              'Automatic controls',
            )}
        </div>
        <div class="row">
          {has('web_search') &&
            check('web_search', 'Search the web for references', s.web_search, (v) => set({ web_search: v }))}
          {has('video.loop') && check('video.loop', 'Loop', s.loop, (v) => set({ loop: v }))}
          {has('video.hdr') &&
            check('video.hdr', 'HDR', s.hdr, (v) => set({ hdr: v, exr_export: v && s.exr_export }))}
          {has('video.exr_export') &&
            check('video.exr_export', 'Also EXR frames', s.exr_export, (v) => set({ exr_export: v }))}
        </div>
        {has('video.start_frame') &&
          ref('video.start_frame', 'Start frame', s.start_frame, (v) => set({ start_frame: v }), 'image/*')}
        {has('video.end_frame') &&
          ref('video.end_frame', 'End frame', s.end_frame, (v) => set({ end_frame: v }), 'image/*')}
        {has('video.keyframes') && (
          <Field
            field="video.keyframes"
            label={`Keyframes (up to ${MAX_KEYFRAMES})`}
            error={err('video.keyframes')}
            group
          >
            {s.keyframes.map((k, i) => (
              <div class="ref-row" key={i}>
                <RefInput
                  client={client}
                  id={i === 0 ? controlId('video.keyframes') : `${controlId('video.keyframes')}-${i}`}
                  name={`Keyframe ${i + 1}`}
                  value={k.ref}
                  onChange={(v) =>
                    set({ keyframes: s.keyframes.map((x, j) => (j === i ? { ...x, ref: v } : x)) })
                  }
                  accept="image/*"
                  purpose="reference"
                />
                <label class="inline">
                  Frame of keyframe {i + 1}
                  <input
                    type="number"
                    min={0}
                    max={s.duration === '10s' ? 240 : 120}
                    value={k.index}
                    onInput={(e) =>
                      set({
                        keyframes: s.keyframes.map((x, j) =>
                          j === i ? { ...x, index: Math.trunc(Number(e.currentTarget.value)) } : x,
                        ),
                      })
                    }
                  />
                </label>
                <button
                  type="button"
                  class="secondary"
                  onClick={() => set({ keyframes: s.keyframes.filter((_, j) => j !== i) })}
                >
                  Remove keyframe {i + 1}
                </button>
              </div>
            ))}
            {s.keyframes.length < MAX_KEYFRAMES && (
              <button
                type="button"
                class="secondary"
                onClick={() =>
                  set({
                    keyframes: [...s.keyframes, { ref: { kind: 'generation_id', value: '' }, index: 0 }],
                  })
                }
              >
                Add a keyframe
              </button>
            )}
          </Field>
        )}
        {has('video.source_position') && (
          <SourcePositionField
            value={s.source_position}
            onChange={(v) => set({ source_position: v })}
            error={err('video.source_position')}
            ratio={s.aspect_ratio === '' ? '16:9' : s.aspect_ratio}
          />
        )}
        {has('image_ref') && (
          <Field
            field="image_ref"
            label={`Reference images (up to ${maxImageRefs(s.type)})`}
            error={err('image_ref')}
            group
          >
            {s.image_ref.map((r, i) => (
              <div class="ref-row" key={i}>
                <RefInput
                  client={client}
                  id={i === 0 ? controlId('image_ref') : `${controlId('image_ref')}-${i}`}
                  name={`Reference ${i + 1}`}
                  value={r}
                  onChange={(v) => set({ image_ref: s.image_ref.map((x, j) => (j === i ? v : x)) })}
                  accept="image/*"
                  purpose="reference"
                />
                <button
                  type="button"
                  class="secondary"
                  onClick={() => set({ image_ref: s.image_ref.filter((_, j) => j !== i) })}
                >
                  Remove reference {i + 1}
                </button>
              </div>
            ))}
            {s.image_ref.length < maxImageRefs(s.type) && (
              <button
                type="button"
                class="secondary"
                onClick={() => set({ image_ref: [...s.image_ref, { kind: 'generation_id', value: '' }] })}
              >
                Add a reference image
              </button>
            )}
          </Field>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Submitting…' : 'Create'}
        </button>
      </form>
    </section>
  );
}
