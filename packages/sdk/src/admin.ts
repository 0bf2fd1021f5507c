// `client.admin` (Umbra): the admin API, for keys of a client marked admin (`umbra clients set NAME
// --admin`). Other keys get PermissionDeniedError (403). Clients are addressed by name.
import type { RequestOptions, Transport } from './transport.js';
import type {
  AdminClient,
  AdminClientList,
  AdminQueue,
  AdminWorkerList,
  AdminClientUpdateParams,
  UsageParams,
  UsageReport,
} from './tenant-types.js';
import { usageQuery } from './usage.js';

const path = (name: string): string => `/admin/clients/${encodeURIComponent(name)}`;

/** `client.admin.clients`: what `umbra clients list|show|set` does, over HTTP. */
export class AdminClients {
  constructor(private readonly transport: Transport) {}

  /** `GET /admin/clients`: every client, oldest first. */
  list(options?: RequestOptions): Promise<AdminClientList> {
    return this.transport.json<AdminClientList>('GET', '/admin/clients', undefined, options);
  }

  /** `GET /admin/clients/{name}`; an unknown name throws NotFoundError. */
  get(name: string, options?: RequestOptions): Promise<AdminClient> {
    return this.transport.json<AdminClient>('GET', path(name), undefined, options);
  }

  /**
   * `PATCH /admin/clients/{name}`: changes what `params` names, in one statement, and returns the client
   * after it. A bad value throws UnprocessableEntityError (422). A top-up (`add_balance_micros`) is not
   * repeatable, so it is sent once unless `options.maxRetries` says otherwise: a retry after a lost
   * answer could add it twice. Check the balance with `get` before trying again.
   */
  update(name: string, params: AdminClientUpdateParams, options: RequestOptions = {}): Promise<AdminClient> {
    const once = params.add_balance_micros !== undefined && options.maxRetries === undefined;
    return this.transport.json<AdminClient>(
      'PATCH',
      path(name),
      params,
      once ? { ...options, maxRetries: 0 } : options,
    );
  }

  /** `GET /admin/clients/{name}/usage`: that client's usage, as `usage.get` answers its own. */
  usage(name: string, params: UsageParams = {}, options?: RequestOptions): Promise<UsageReport> {
    return this.transport.json<UsageReport>(
      'GET',
      `${path(name)}/usage${usageQuery(params)}`,
      undefined,
      options,
    );
  }
}

export class Admin {
  /** List, read and change clients; read any client's usage. */
  readonly clients: AdminClients;

  constructor(private readonly transport: Transport) {
    this.clients = new AdminClients(transport);
  }

  /** `GET /admin/queue`: each model's queued and processing generations, and its longest wait. */
  queue(options?: RequestOptions): Promise<AdminQueue> {
    return this.transport.json<AdminQueue>('GET', '/admin/queue', undefined, options);
  }

  /** `GET /admin/workers`: the remote workers seen lately (in-process workers are not listed). */
  workers(options?: RequestOptions): Promise<AdminWorkerList> {
    return this.transport.json<AdminWorkerList>('GET', '/admin/workers', undefined, options);
  }
}
