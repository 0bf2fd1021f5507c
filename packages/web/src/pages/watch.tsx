// Watch: a submitted job's state, queue position and progress, live from its event stream; it can be
// cancelled while it runs.
import { useEffect, useState } from 'preact/hooks';
import type { Generation, Umbra } from '@umbra/sdk';
import { APIError, APIUserAbortError, EventStreamUnavailableError, GenerationFailedError } from '@umbra/sdk';
import { OutputView } from '../components/output-view.js';
import { hrefs } from '../route.js';

const terminal = (g: Generation | null): boolean =>
  g !== null && (g.state === 'completed' || g.state === 'failed');

export function WatchPage({ client, id }: { client: Umbra; id: string }) {
  const [g, setG] = useState<Generation | null>(null);
  const [progress, setProgress] = useState(0);
  const [position, setPosition] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    const stop = new AbortController();
    const follow = async (): Promise<void> => {
      let last: Generation | null = null;
      try {
        for await (const m of client.generations.events(id, { signal: stop.signal })) {
          if (m.type === 'queue_position') {
            setPosition(m.queue_position);
            continue;
          }
          last = m.data;
          setG(m.data);
          setProgress(m.progress);
          if (m.data.state !== 'queued') setPosition(null);
        }
        // A stream that ended without its last event (long-ended history): read the job as it is.
        if (!terminal(last)) setG(await client.generations.get(id, { signal: stop.signal }));
      } catch (err) {
        if (err instanceof APIUserAbortError) return;
        // No event stream on the way (a proxy that buffers or drops it): poll instead.
        if (err instanceof EventStreamUnavailableError) return poll();
        setProblem(err instanceof APIError ? err.detail : String(err));
      }
    };
    const poll = async (): Promise<void> => {
      try {
        await client.generations.wait(id, {
          stream: false,
          signal: stop.signal,
          onProgress: (now, p) => {
            setG(now);
            setProgress(p.progress ?? (now.state === 'completed' ? 1 : 0));
            setPosition(p.queuePosition);
          },
        });
      } catch (err) {
        if (err instanceof APIUserAbortError || err instanceof GenerationFailedError) return;
        setProblem(err instanceof APIError ? err.detail : String(err));
      }
    };
    void follow();
    return () => stop.abort();
  }, [id]);

  const cancel = async (): Promise<void> => {
    try {
      setG(await client.generations.cancel(id));
    } catch (err) {
      setProblem(err instanceof APIError ? err.detail : String(err));
    }
  };

  return (
    <section aria-labelledby="watch-title">
      <h1 id="watch-title">Generation</h1>
      <p>
        <code>{id}</code>
      </p>
      {problem !== null && (
        <p class="form-error" role="alert">
          {problem}
        </p>
      )}
      <dl class="facts" aria-live="polite">
        <dt>State</dt>
        <dd data-testid="state">{g?.state ?? 'connecting…'}</dd>
        {position !== null && g?.state === 'queued' && (
          <>
            <dt>Queue position</dt>
            <dd data-testid="queue-position">{position}</dd>
          </>
        )}
        <dt>Progress</dt>
        <dd>
          <progress max={1} value={progress} aria-label="Progress" /> {Math.round(progress * 100)}%
        </dd>
        {g?.state === 'failed' && (
          <>
            <dt>Failure</dt>
            <dd data-testid="failure">
              <code>{g.failure_code}</code> {g.failure_reason}
            </dd>
          </>
        )}
      </dl>
      {g !== null && !terminal(g) && (
        <button type="button" class="danger" onClick={() => void cancel()}>
          Cancel
        </button>
      )}
      {g?.state === 'completed' && <OutputView generation={g} />}
      {terminal(g) && (
        <p>
          <a href={hrefs.detail(id)}>Open details</a>
        </p>
      )}
    </section>
  );
}
