// Model routing (UMBRA_ENGINES): which engine renders each `model/type`. Pure; parsed once at start-up.
import { ALL_KINDS, MODEL_TYPES, kindOf } from '../contract/model-matrix.js';
import type { GenerationType, Model } from '../contract/wire.js';
import { GENERATION_TYPES, MODELS } from '../contract/wire.js';

export const ENGINE_NAMES = ['reference', 'relay', 'remote'] as const;
/**
 * `reference`: the built-in renderer, in any process with the worker role. `relay`: forwarded to
 * UMBRA_RELAY_URL by any worker-role process. `remote`: rendered only by remote workers (`umbra worker`,
 * the Python kit) that claim over HTTP.
 */
export type EngineName = (typeof ENGINE_NAMES)[number];

/** Engine per `model/type`, every valid pair present. */
export type EngineRoutes = Readonly<Record<string, EngineName>>;

export class RoutesError extends Error {
  override name = 'RoutesError';
}

const isModel = (s: string): s is Model => (MODELS as readonly string[]).includes(s);
const isType = (s: string): s is GenerationType => (GENERATION_TYPES as readonly string[]).includes(s);
const isEngine = (s: string): s is EngineName => (ENGINE_NAMES as readonly string[]).includes(s);

/**
 * Parses `uni-1=remote,uni-1-max=relay,ray-3.2/video_edit=remote`. A `model/type` entry wins over its
 * model's entry whatever the order; unlisted pairs use `reference`. Throws RoutesError naming the bad part.
 */
export function parseEngineRoutes(raw: string | null): EngineRoutes {
  const routes: Record<string, EngineName> = Object.fromEntries(ALL_KINDS.map((k) => [k, 'reference']));
  if (raw === null || raw.trim() === '') return Object.freeze(routes);
  const byModel: Array<[Model, EngineName]> = [];
  const byKind: Array<[string, EngineName]> = [];
  for (const part of raw
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new RoutesError(`UMBRA_ENGINES: '${part}' must be MODEL=ENGINE or MODEL/TYPE=ENGINE`);
    const target = part.slice(0, eq).trim();
    const engine = part.slice(eq + 1).trim();
    if (!isEngine(engine))
      throw new RoutesError(
        `UMBRA_ENGINES: unknown engine '${engine}' in '${part}' (use ${ENGINE_NAMES.join(', ')})`,
      );
    const [model, type, extra] = target.split('/');
    if (model === undefined || !isModel(model) || extra !== undefined)
      throw new RoutesError(
        `UMBRA_ENGINES: unknown model '${target}' in '${part}' (use ${MODELS.join(', ')})`,
      );
    if (type === undefined) {
      byModel.push([model, engine]);
      continue;
    }
    if (!isType(type) || !MODEL_TYPES[model].includes(type))
      throw new RoutesError(
        `UMBRA_ENGINES: '${target}' in '${part}' is not a type of ${model} (use ${MODEL_TYPES[model].join(', ')})`,
      );
    byKind.push([kindOf(model, type), engine]);
  }
  for (const [model, engine] of byModel)
    for (const t of MODEL_TYPES[model]) routes[kindOf(model, t)] = engine;
  for (const [kind, engine] of byKind) routes[kind] = engine;
  return Object.freeze(routes);
}

/** The kinds routed to any of `engines`, in table order. */
export const kindsRoutedTo = (routes: EngineRoutes, engines: readonly EngineName[]): string[] =>
  ALL_KINDS.filter((k) => engines.includes(routes[k] ?? 'reference'));
