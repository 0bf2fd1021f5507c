// A generation in full: the output, the request as JSON, copyable curl and SDK snippets, the failure for
// failed jobs, and one-click chains that start a new form from this output.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Generation, Umbra } from '@umbra/sdk';
import { APIError } from '@umbra/sdk';
import { OutputView } from '../components/output-view.js';
import { hrefs } from '../route.js';
import { apiBaseURL, requestOf } from '../session.js';
import { curlSnippet, sdkSnippet } from '../snippets.js';

interface Chain {
  label: string;
  href: string;
}

/** What can start from a completed generation's output, each pre-filling the form with its id. */
export function chainsFor(g: Generation): Chain[] {
  if (g.state !== 'completed') return [];
  const id = g.id;
  if (g.type === 'image' || g.type === 'image_edit') {
    return [
      { label: 'Edit this image', href: hrefs.create({ type: 'image_edit', model: g.model, source: id }) },
      { label: 'Use as a reference', href: hrefs.create({ type: 'image', model: g.model, image_ref: id }) },
      { label: 'Use as a video start frame', href: hrefs.create({ type: 'video', start_image: id }) },
      { label: 'Use as a video end frame', href: hrefs.create({ type: 'video', end_image: id }) },
      { label: 'Use as a video keyframe', href: hrefs.create({ type: 'video', keyframe_image: id }) },
    ];
  }
  return [
    { label: 'Extend this video', href: hrefs.create({ type: 'video', start_frame: id }) },
    { label: 'Edit this video', href: hrefs.create({ type: 'video_edit', source: id }) },
    { label: 'Reframe this video', href: hrefs.create({ type: 'video_reframe', source: id }) },
  ];
}

function Copyable({ title, text }: { title: string; text: string }) {
  const [copied, setCopied] = useState('');
  const pre = useRef<HTMLPreElement>(null);
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('Copied');
    } catch {
      // No clipboard access (a page not served from localhost or HTTPS): select it for Ctrl+C instead.
      const range = document.createRange();
      if (pre.current !== null) range.selectNodeContents(pre.current);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      setCopied('Selected: press Ctrl+C (⌘C) to copy');
    }
  };
  return (
    <div class="snippet">
      <div class="row">
        <h3>{title}</h3>
        <button type="button" class="secondary" onClick={() => void copy()}>
          Copy {title}
        </button>
        <span role="status">{copied}</span>
      </div>
      <pre ref={pre} tabIndex={0} aria-label={title}>
        <code>{text}</code>
      </pre>
    </div>
  );
}

export function DetailPage({ client, id }: { client: Umbra; id: string }) {
  const [g, setG] = useState<Generation | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    client.generations
      .get(id)
      .then(setG, (err: unknown) => setProblem(err instanceof APIError ? err.detail : String(err)));
  }, [id]);
  const request = requestOf(id);
  const base = apiBaseURL();
  return (
    <section aria-labelledby="detail-title">
      <h1 id="detail-title">Generation details</h1>
      {problem !== null && (
        <p class="form-error" role="alert">
          {problem}
        </p>
      )}
      {g === null ? (
        problem === null && <p role="status">Loading…</p>
      ) : (
        <>
          <dl class="facts">
            <dt>Id</dt>
            <dd>
              <code>{g.id}</code>
            </dd>
            <dt>State</dt>
            <dd data-testid="state">{g.state}</dd>
            <dt>Type</dt>
            <dd>{g.type}</dd>
            <dt>Model</dt>
            <dd>{g.model}</dd>
            <dt>Created</dt>
            <dd>{new Date(g.created_at).toLocaleString()}</dd>
            {g.state === 'failed' && (
              <>
                <dt>Failure code</dt>
                <dd data-testid="failure-code">
                  <code>{g.failure_code}</code>
                </dd>
                <dt>Reason</dt>
                <dd>{g.failure_reason}</dd>
              </>
            )}
          </dl>
          {(g.state === 'queued' || g.state === 'processing') && (
            <p>
              <a href={hrefs.watch(g.id)}>Watch it live</a>
            </p>
          )}
          {g.state === 'completed' && <OutputView generation={g} />}
          {chainsFor(g).length > 0 && (
            <nav aria-label="Start from this output" class="chains">
              {chainsFor(g).map((c) => (
                <a key={c.label} class="button" href={c.href}>
                  {c.label}
                </a>
              ))}
            </nav>
          )}
          <h2>Request</h2>
          {request === null ? (
            <p class="hint">This tab did not send this generation, so its request is not known here.</p>
          ) : (
            <pre tabIndex={0} aria-label="Request JSON">
              <code>{JSON.stringify(request, null, 2)}</code>
            </pre>
          )}
          <h2>Use it from code</h2>
          <Copyable title="curl" text={curlSnippet(base, g.id, request)} />
          <Copyable title="SDK" text={sdkSnippet(base, g.id, request)} />
          <details>
            <summary>Response JSON</summary>
            <pre tabIndex={0} aria-label="Response JSON">
              <code>{JSON.stringify(g, null, 2)}</code>
            </pre>
          </details>
        </>
      )}
    </section>
  );
}
