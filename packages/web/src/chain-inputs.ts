// Chaining an image output into a video's frames: there a `generation_id` names a video to extend, so an
// image generation's output goes in as a file instead — fetched from its output URL and uploaded through
// the Files API, then referenced by `file_id`.
import type { Umbra } from '@umbra/sdk';
import type { RefValue } from './form-model.js';

/** The first output of generation `id`, uploaded as a file; resolves with the form's reference to it. */
export async function outputAsFile(client: Umbra, id: string): Promise<RefValue> {
  const g = await client.generations.get(id);
  const url = g.output.find((o) => o.type === 'image')?.url;
  if (url === undefined) throw new Error(`generation ${id} has no image output`);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not read the output of ${id}: HTTP ${res.status}`);
  const blob = await res.blob();
  const name = `${id}.${blob.type === 'image/jpeg' ? 'jpg' : 'png'}`;
  const file = await client.files.upload(
    new File([blob], name, { type: blob.type }),
    { purpose: 'reference' },
    { wait: true },
  );
  return { kind: 'file_id', value: file.id, label: `output of ${id}` };
}
