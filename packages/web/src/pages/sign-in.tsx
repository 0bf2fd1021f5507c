// Sign in with an API key: checked with one list call, then kept in this tab's session storage.
import { useState } from 'preact/hooks';
import { APIError } from '@umbra/sdk';
import { clientFor } from '../session.js';

export function SignInPage({ onSignedIn }: { onSignedIn: (key: string) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await clientFor(key.trim()).generations.list({ limit: 1 });
      onSignedIn(key.trim());
    } catch (err) {
      setError(err instanceof APIError ? err.detail : err instanceof Error ? err.message : String(err));
      document.getElementById('api-key')?.focus();
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in to Umbra</h1>
      <form onSubmit={(e) => void submit(e)}>
        <div class="field" data-field="api_key">
          <label for="api-key">API key</label>
          <input
            id="api-key"
            type="password"
            autocomplete="off"
            required
            placeholder="luma-api-…"
            value={key}
            onInput={(e) => setKey(e.currentTarget.value)}
            {...(error === null ? {} : { 'aria-invalid': 'true', 'aria-describedby': 'api-key-error' })}
          />
          {error !== null && (
            <p class="field-error" id="api-key-error" role="alert">
              {error}
            </p>
          )}
        </div>
        <p class="hint">
          The key stays in this tab only (session storage) and is sent only in the Authorization header.
        </p>
        <button type="submit" disabled={busy || key.trim() === ''}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </section>
  );
}
