// Operators (admin keys): each model's queue, the remote workers seen, and every client's usage over the
// last 30 days. Queue and workers refresh every few seconds.
import { useEffect, useState } from 'preact/hooks';
import type { AdminClient, AdminQueue, AdminWorkerList, Umbra, UsageReport } from '@umbra/sdk';
import { APIError } from '@umbra/sdk';

/** How often the queue and the workers are read again, ms. */
const REFRESH_MS = 5000;

const usd = (micros: number | null): string =>
  micros === null ? 'unmetered' : `$${(micros / 1e6).toFixed(2)}`;
const since = (iso: string | null): string => {
  if (iso === null) return '—';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return s < 90 ? `${s} s` : `${Math.round(s / 60)} min`;
};

interface ClientRow {
  client: AdminClient;
  usage: UsageReport | null;
}

export function OperatorsPage({ client }: { client: Umbra }) {
  const [queue, setQueue] = useState<AdminQueue | null>(null);
  const [workers, setWorkers] = useState<AdminWorkerList | null>(null);
  const [clients, setClients] = useState<ClientRow[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const fail = (err: unknown): void => {
      if (live) setProblem(err instanceof APIError ? err.detail : String(err));
    };
    const tick = async (): Promise<void> => {
      try {
        const [q, w] = await Promise.all([client.admin.queue(), client.admin.workers()]);
        if (live) {
          setQueue(q);
          setWorkers(w);
        }
      } catch (err) {
        fail(err);
      }
    };
    const loadClients = async (): Promise<void> => {
      try {
        const list = await client.admin.clients.list();
        const rows = await Promise.all(
          list.data.map(async (c) => ({
            client: c,
            usage: await client.admin.clients.usage(c.name).catch(() => null),
          })),
        );
        if (live) setClients(rows);
      } catch (err) {
        fail(err);
      }
    };
    void tick();
    void loadClients();
    const timer = setInterval(() => void tick(), REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [client]);

  return (
    <section aria-labelledby="ops-title">
      <h1 id="ops-title" tabIndex={-1}>
        Operators
      </h1>
      {problem !== null && (
        <p class="form-error" role="alert">
          {problem}
        </p>
      )}
      <h2 id="queue-title">Queue</h2>
      {queue === null ? (
        <p role="status">Loading…</p>
      ) : queue.data.length === 0 ? (
        <p>Nothing queued or running.</p>
      ) : (
        <div class="table-wrap">
          <table aria-labelledby="queue-title">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Queued</th>
                <th scope="col">Processing</th>
                <th scope="col">Longest wait</th>
              </tr>
            </thead>
            <tbody>
              {queue.data.map((m) => (
                <tr key={m.model}>
                  <th scope="row">{m.model}</th>
                  <td>{m.queued}</td>
                  <td>{m.processing}</td>
                  <td>{since(m.oldest_queued_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2 id="workers-title">Remote workers</h2>
      {workers === null ? (
        <p role="status">Loading…</p>
      ) : workers.data.length === 0 ? (
        <p>
          No remote worker called in during the last {Math.round(workers.window_seconds / 60)} minutes (the
          server's own workers render everything not routed elsewhere).
        </p>
      ) : (
        <div class="table-wrap">
          <table aria-labelledby="workers-title">
            <thead>
              <tr>
                <th scope="col">Token</th>
                <th scope="col">Instance</th>
                <th scope="col">Kinds</th>
                <th scope="col">Running</th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            <tbody>
              {workers.data.map((w) => (
                <tr key={`${w.token_name}/${w.instance}`}>
                  <th scope="row">{w.token_name}</th>
                  <td>{w.instance}</td>
                  <td>{w.kinds.join(', ')}</td>
                  <td>{w.running}</td>
                  <td>{since(w.last_seen_at)} ago</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2 id="clients-title">Clients and usage (last 30 days)</h2>
      {clients === null ? (
        <p role="status">Loading…</p>
      ) : (
        <div class="table-wrap">
          <table aria-labelledby="clients-title">
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col">Status</th>
                <th scope="col">Generations</th>
                <th scope="col">Failed</th>
                <th scope="col">Images</th>
                <th scope="col">Video seconds</th>
                <th scope="col">Charged</th>
                <th scope="col">Balance</th>
              </tr>
            </thead>
            <tbody>
              {clients.map(({ client: c, usage: u }) => (
                <tr key={c.id}>
                  <th scope="row">
                    {c.name}
                    {c.admin ? ' (admin)' : ''}
                  </th>
                  <td>{c.status}</td>
                  <td>{u?.total.generations.total ?? '—'}</td>
                  <td>{u?.total.generations.failed ?? '—'}</td>
                  <td>{u?.total.images ?? '—'}</td>
                  <td>{u?.total.video_seconds ?? '—'}</td>
                  <td>{u === null ? '—' : usd(u.total.charged_micros)}</td>
                  <td>{usd(c.balance_micros)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
