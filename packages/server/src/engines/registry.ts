// The engine registry (docs/architecture.md "Engines"): model/type → the engine that renders it in this process,
// built from the routes in main.ts. `remote` kinds have no engine here: remote workers render them.
import { kindOf } from '../contract/model-matrix.js';
import type { GenerationType, Model } from '../contract/wire.js';
import type { Engine } from './engine.js';
import type { EngineName, EngineRoutes } from './routes.js';
import { kindsRoutedTo } from './routes.js';

export class EngineRegistry {
  constructor(
    private readonly routes: EngineRoutes,
    private readonly engines: Partial<Record<EngineName, Engine>>,
  ) {}

  /** The engine for a job, or null when this process does not render its kind. */
  engineFor(model: Model, type: GenerationType): Engine | null {
    const name = this.routes[kindOf(model, type)];
    return name === undefined ? null : (this.engines[name] ?? null);
  }

  /** The kinds this process renders: those routed to an engine it has. */
  kinds(): string[] {
    return kindsRoutedTo(
      this.routes,
      (Object.keys(this.engines) as EngineName[]).filter((n) => this.engines[n] !== undefined),
    );
  }

  async close(): Promise<void> {
    for (const e of Object.values(this.engines)) await e.close?.();
  }
}
