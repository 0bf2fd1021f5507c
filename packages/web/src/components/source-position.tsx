// `video.source_position` of a reframe: where the source video sits on the new canvas. Drawn with the
// pointer on a box of the output's ratio, or typed as four fractions (the keyboard way).
import { useRef } from 'preact/hooks';
import type { SourcePosition } from '@umbra/sdk';
import { Field, controlId, errorAttrs } from './field.js';

const DEFAULT: SourcePosition = { x_norm: 0.1, y_norm: 0.1, w_norm: 0.8, h_norm: 0.8 };
/** The smallest drawn side, as a fraction of the canvas (a click is not a rectangle). */
const MIN_SIDE = 0.02;
/** The drawing box's height in px for tall ratios; wide ones are at most 420 px wide. */
const BOX_HEIGHT = 300;
const round = (n: number): number => Math.round(n * 1000) / 1000;
const clamp01 = (n: number): number => Math.min(1, Math.max(0, n));

const NAMES: Record<keyof SourcePosition, string> = {
  x_norm: 'Left (x_norm)',
  y_norm: 'Top (y_norm)',
  w_norm: 'Width (w_norm)',
  h_norm: 'Height (h_norm)',
};

export interface SourcePositionProps {
  value: SourcePosition | null;
  onChange: (v: SourcePosition | null) => void;
  error: string | undefined;
  /** The output's aspect ratio (`16:9`), the shape of the drawing box. */
  ratio: string;
}

export function SourcePositionField({ value, onChange, error, ratio }: SourcePositionProps) {
  const box = useRef<HTMLDivElement>(null);
  const start = useRef<{ x: number; y: number } | null>(null);
  const v = value ?? DEFAULT;
  const [rw = 16, rh = 9] = ratio.split(':').map(Number);

  const at = (e: PointerEvent): { x: number; y: number } => {
    const r = box.current?.getBoundingClientRect();
    if (r === undefined || r.width === 0 || r.height === 0) return { x: 0, y: 0 };
    return { x: clamp01((e.clientX - r.left) / r.width), y: clamp01((e.clientY - r.top) / r.height) };
  };
  const drawTo = (e: PointerEvent): void => {
    const a = start.current;
    if (a === null) return;
    const b = at(e);
    const w = Math.abs(b.x - a.x);
    const h = Math.abs(b.y - a.y);
    if (w < MIN_SIDE || h < MIN_SIDE) return;
    onChange({
      x_norm: round(Math.min(a.x, b.x)),
      y_norm: round(Math.min(a.y, b.y)),
      w_norm: round(w),
      h_norm: round(h),
    });
  };

  return (
    <Field field="video.source_position" label="Source placement" error={error} group>
      <div class="check">
        <input
          type="checkbox"
          id={controlId('video.source_position')}
          checked={value !== null}
          onChange={(e) => onChange(e.currentTarget.checked ? v : null)}
          {...errorAttrs('video.source_position', error)}
        />
        <label for={controlId('video.source_position')}>Place the source myself (default: centred fit)</label>
      </div>
      {value !== null && (
        <>
          <p class="hint">Draw the source's rectangle on the {ratio} canvas, or type its fractions.</p>
          <div
            ref={box}
            class="placement"
            data-testid="placement"
            style={{ aspectRatio: `${rw} / ${rh}`, width: `${Math.min(420, (BOX_HEIGHT * rw) / rh)}px` }}
            onPointerDown={(e) => {
              e.currentTarget.setPointerCapture(e.pointerId);
              start.current = at(e);
            }}
            onPointerMove={drawTo}
            onPointerUp={(e) => {
              drawTo(e);
              start.current = null;
            }}
          >
            <div
              class="placement-rect"
              style={{
                left: `${v.x_norm * 100}%`,
                top: `${v.y_norm * 100}%`,
                width: `${v.w_norm * 100}%`,
                height: `${v.h_norm * 100}%`,
              }}
            />
          </div>
          <div class="row">
            {(Object.keys(NAMES) as (keyof SourcePosition)[]).map((k) => (
              <label key={k} class="inline">
                {NAMES[k]}
                <input
                  type="number"
                  step="0.05"
                  min={k === 'w_norm' || k === 'h_norm' ? 0.01 : -2}
                  max={2}
                  value={v[k]}
                  onInput={(e) => onChange({ ...v, [k]: Number(e.currentTarget.value) })}
                />
              </label>
            ))}
          </div>
        </>
      )}
    </Field>
  );
}
