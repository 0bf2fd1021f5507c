// Turns an image_edit prompt into a list of classical operations. Pure.
import type { Style } from '../../../contract/wire.js';
import { findColors, findLooks, findTime, type LookWord, type TimeOfDay } from '../scene/scene.js';

/** A finishing look for an edit: any look a prompt can name, or manga. */
export type EditLook = 'manga' | LookWord;

/** What an edit will do, in application order. */
export interface EditPlan {
  /** Move colour statistics toward the references' (Lab mean/std transfer). */
  transferFromRefs: boolean;
  time: TimeOfDay | null;
  /** Colour words; the first drives the tint. */
  colors: string[];
  looks: EditLook[];
  /** True when nothing was recognised: apply a seeded grade so the edit is still visible. */
  fallbackGrade: boolean;
}

/** Reads the prompt (and the `style` field) into an edit plan. */
export const planEdit = (prompt: string, style: Style, refCount: number): EditPlan => {
  const t = prompt.toLowerCase();
  const looks: EditLook[] = [];
  if (style === 'manga' || /\b(manga|anime|screentone|comic)/.test(t)) looks.push('manga');
  for (const l of findLooks(t)) if (!(l === 'ink' && looks.includes('manga'))) looks.push(l);
  const time = findTime(t);
  // "black and white" names colours that are not tints; monochrome handles them.
  const colors = findColors(t);
  const transferFromRefs = refCount > 0;
  return {
    transferFromRefs,
    time,
    colors,
    looks,
    fallbackGrade: !transferFromRefs && time === null && colors.length === 0 && looks.length === 0,
  };
};
