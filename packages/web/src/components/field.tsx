// One labelled control with its error slot: the server's detail shows right under the control it is
// about, and the control points at it (aria-describedby, aria-invalid).
import type { ComponentChildren } from 'preact';

/** The DOM id of a field's control, from its body path (`video.hdr` → `f-video-hdr`). */
export const controlId = (field: string): string => `f-${field.replace(/[^a-z0-9]+/gi, '-')}`;
export const errorId = (field: string): string => `${controlId(field)}-error`;

export interface FieldProps {
  field: string;
  label: string;
  error?: string | undefined;
  hint?: string;
  /** A group of controls (radio-like, several inputs) gets a fieldset and legend instead of a label. */
  group?: boolean;
  children: ComponentChildren;
}

export function Field({ field, label, error, hint, group, children }: FieldProps) {
  const tail = (
    <>
      {hint !== undefined && <p class="hint">{hint}</p>}
      {error !== undefined && (
        <p class="field-error" id={errorId(field)} role="alert">
          {error}
        </p>
      )}
    </>
  );
  if (group === true) {
    return (
      <fieldset class="field" data-field={field}>
        <legend>{label}</legend>
        {children}
        {tail}
      </fieldset>
    );
  }
  return (
    <div class="field" data-field={field}>
      <label for={controlId(field)}>{label}</label>
      {children}
      {tail}
    </div>
  );
}

/** The ARIA attributes of a control whose field may carry an error. */
export const errorAttrs = (field: string, error: string | undefined): Record<string, string> =>
  error === undefined ? {} : { 'aria-invalid': 'true', 'aria-describedby': errorId(field) };
