// Browse: the client's generations from the list API, newest first, a page at a time as the end of the
// list comes into view (or the "Load more" button is pressed), filtered by type, model and state.
import { useEffect, useRef, useState } from 'preact/hooks';
import type {
  Generation,
  GenerationListParams,
  GenerationState,
  GenerationType,
  Model,
  Umbra,
} from '@umbra/sdk';
import { APIError, GENERATION_TYPES, MODELS } from '@umbra/sdk';
import { hrefs } from '../route.js';

const STATES: readonly GenerationState[] = ['queued', 'processing', 'completed', 'failed'];
/** Generations per page of the list API. */
export const PAGE_SIZE = 12;

interface Filters {
  type: GenerationType | '';
  model: Model | '';
  state: GenerationState | '';
}

function Thumb({ g }: { g: Generation }) {
  const first = g.output[0];
  if (first?.type === 'image') return <img src={first.url} alt="" loading="lazy" />;
  if (first?.type === 'video')
    return <video src={`${first.url}#t=0.5`} preload="metadata" muted aria-hidden="true" />;
  return <div class={`placeholder ${g.state}`} aria-hidden="true" />;
}

/** Filters from the route's query (`#/gallery?type=video&state=failed`); unknown values are ignored. */
const filtersFrom = (q: URLSearchParams): Filters => ({
  type: GENERATION_TYPES.find((t) => t === q.get('type')) ?? '',
  model: MODELS.find((m) => m === q.get('model')) ?? '',
  state: STATES.find((st) => st === q.get('state')) ?? '',
});

export function GalleryPage({ client, query }: { client: Umbra; query: URLSearchParams }) {
  const [filters, setFilters] = useState<Filters>(() => filtersFrom(query));
  const [items, setItems] = useState<Generation[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState(true);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  // Each filter change starts a new listing; answers of an older one are dropped.
  const epoch = useRef(0);

  const load = async (from: string | null, reset: boolean): Promise<void> => {
    const mine = epoch.current;
    setLoading(true);
    try {
      const q: GenerationListParams = { limit: PAGE_SIZE, cursor: from };
      if (filters.type !== '') q.type = filters.type;
      if (filters.model !== '') q.model = filters.model;
      if (filters.state !== '') q.state = filters.state;
      const page = await client.generations.list(q);
      if (mine !== epoch.current) return;
      setItems((prev) => (reset ? page.data : [...prev, ...page.data]));
      setCursor(page.next_cursor ?? null);
      setMore(page.has_more);
      setProblem(null);
    } catch (err) {
      if (mine === epoch.current) setProblem(err instanceof APIError ? err.detail : String(err));
    } finally {
      if (mine === epoch.current) setLoading(false);
    }
  };

  useEffect(() => {
    // The filters live in the URL too, so a reload or a shared link shows the same list.
    const q = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== ''));
    const hash = q.size === 0 ? '#/gallery' : `#/gallery?${q.toString()}`;
    if (location.hash !== hash) history.replaceState(null, '', hash);
    epoch.current += 1;
    setItems([]);
    setMore(true);
    void load(null, true);
  }, [filters.type, filters.model, filters.state]);

  useEffect(() => {
    const el = sentinel.current;
    if (el === null || !more || loading) return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) void load(cursor, false);
    });
    io.observe(el);
    return () => io.disconnect();
  }, [cursor, more, loading]);

  const filter = <K extends keyof Filters>(k: K, label: string, options: readonly string[]) => (
    <label class="inline">
      {label}
      <select value={filters[k]} onChange={(e) => setFilters({ ...filters, [k]: e.currentTarget.value })}>
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <section aria-labelledby="gallery-title">
      <h1 id="gallery-title">Gallery</h1>
      <form class="row filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        {filter('type', 'Type', GENERATION_TYPES)}
        {filter('model', 'Model', MODELS)}
        {filter('state', 'State', STATES)}
      </form>
      {problem !== null && (
        <p class="form-error" role="alert">
          {problem}
        </p>
      )}
      <ul class="gallery" aria-label="Generations">
        {items.map((g) => (
          <li key={g.id} class="card">
            <a href={hrefs.detail(g.id)}>
              <Thumb g={g} />
              <span class="card-text">
                <span class={`badge ${g.state}`}>{g.state}</span> {g.type} · {g.model}
                <span class="sr-only"> · {g.id}</span>
              </span>
            </a>
          </li>
        ))}
      </ul>
      {items.length === 0 && !loading && problem === null && <p>No generations yet.</p>}
      <div ref={sentinel} class="sentinel" />
      <p role="status" class="list-status">
        {loading ? 'Loading…' : more ? '' : `All ${items.length} shown.`}
      </p>
      {more && !loading && (
        <button type="button" class="secondary" onClick={() => void load(cursor, false)}>
          Load more
        </button>
      )}
    </section>
  );
}
