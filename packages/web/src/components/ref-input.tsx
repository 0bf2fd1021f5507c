// A media input (contract §2.4): an earlier generation's id, a local file uploaded through the Files API,
// or a URL.
import { useState } from 'preact/hooks';
import type { Umbra } from '@umbra/sdk';
import { APIError } from '@umbra/sdk';
import type { RefValue } from '../form-model.js';

export interface RefInputProps {
  client: Umbra;
  /** The DOM id of the main control (its label points here). */
  id: string;
  /** Accessible name of the sub-controls ("Source", "Reference 1"). */
  name: string;
  value: RefValue;
  onChange: (v: RefValue) => void;
  /** What local files may be picked (`image/*`, or `video/*` for video sources). */
  accept: string;
  /** `input` for a source, `reference` for guidance (Files API). */
  purpose: 'input' | 'reference';
  describedBy?: Record<string, string>;
}

const KINDS: { kind: RefValue['kind']; label: string }[] = [
  { kind: 'generation_id', label: 'Generation id' },
  { kind: 'file_id', label: 'Upload a file' },
  { kind: 'url', label: 'URL' },
];

export function RefInput({ client, id, name, value, onChange, accept, purpose, describedBy }: RefInputProps) {
  const [status, setStatus] = useState<string>('');
  const upload = async (file: File): Promise<void> => {
    setStatus(`Uploading ${file.name}…`);
    try {
      const f = await client.files.upload(file, { purpose }, { wait: true });
      onChange({ kind: 'file_id', value: f.id, label: file.name });
      setStatus(`Uploaded ${file.name}`);
    } catch (err) {
      setStatus(`Upload failed: ${err instanceof APIError ? err.detail : String(err)}`);
    }
  };
  return (
    <div class="ref-input">
      <select
        id={id}
        aria-label={`${name}: kind of input`}
        value={value.kind}
        onChange={(e) => onChange({ kind: e.currentTarget.value as RefValue['kind'], value: '' })}
        {...describedBy}
      >
        {KINDS.map((k) => (
          <option key={k.kind} value={k.kind}>
            {k.label}
          </option>
        ))}
      </select>
      {value.kind === 'file_id' ? (
        <>
          <input
            type="file"
            accept={accept}
            aria-label={`${name}: local file`}
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              if (file !== undefined) void upload(file);
            }}
          />
          {value.value !== '' && (
            <span class="ref-chosen">
              {value.label ?? 'file'} <code>{value.value}</code>
            </span>
          )}
          <span class="status" role="status">
            {status}
          </span>
        </>
      ) : (
        <input
          type={value.kind === 'url' ? 'url' : 'text'}
          aria-label={`${name}: ${value.kind === 'url' ? 'URL' : 'generation id'}`}
          placeholder={value.kind === 'url' ? 'https://…' : 'generation id'}
          value={value.value}
          onInput={(e) => onChange({ kind: value.kind, value: e.currentTarget.value })}
          {...describedBy}
        />
      )}
    </div>
  );
}
