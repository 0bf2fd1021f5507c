// Hash routes, so the server only ever serves one page and no console path can shadow an API route.
export type Route =
  | { page: 'create'; query: URLSearchParams }
  | { page: 'gallery'; query: URLSearchParams }
  | { page: 'watch'; id: string }
  | { page: 'detail'; id: string }
  | { page: 'operators' };

export function parseRoute(hash: string): Route {
  const [path = '', qs = ''] = hash.replace(/^#/, '').split('?', 2);
  const parts = path.split('/').filter((p) => p !== '');
  const query = new URLSearchParams(qs);
  if (parts[0] === 'watch' && parts[1] !== undefined)
    return { page: 'watch', id: decodeURIComponent(parts[1]) };
  if (parts[0] === 'generations' && parts[1] !== undefined) {
    return { page: 'detail', id: decodeURIComponent(parts[1]) };
  }
  if (parts[0] === 'gallery') return { page: 'gallery', query };
  if (parts[0] === 'operators') return { page: 'operators' };
  return { page: 'create', query };
}

export const hrefs = {
  create: (q?: Record<string, string>): string =>
    q === undefined ? '#/create' : `#/create?${new URLSearchParams(q).toString()}`,
  gallery: (): string => '#/gallery',
  operators: (): string => '#/operators',
  watch: (id: string): string => `#/watch/${encodeURIComponent(id)}`,
  detail: (id: string): string => `#/generations/${encodeURIComponent(id)}`,
};

export const go = (href: string): void => {
  location.hash = href;
};
