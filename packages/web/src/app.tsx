// The console's shell: sign-in gate, navigation, and the page the hash route names.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { CreatePage } from './pages/create.js';
import { DetailPage } from './pages/detail.js';
import { GalleryPage } from './pages/gallery.js';
import { OperatorsPage } from './pages/operators.js';
import { SignInPage } from './pages/sign-in.js';
import { WatchPage } from './pages/watch.js';
import type { Umbra } from '@umbra/sdk';
import type { Route } from './route.js';
import { hrefs, parseRoute } from './route.js';
import { clientFor, forgetKey, storeKey, storedKey } from './session.js';

function Page({ route, client }: { route: Route; client: Umbra }) {
  switch (route.page) {
    case 'create':
      return <CreatePage client={client} query={route.query} />;
    case 'gallery':
      return <GalleryPage client={client} query={route.query} />;
    case 'watch':
      return <WatchPage key={route.id} client={client} id={route.id} />;
    case 'detail':
      return <DetailPage key={route.id} client={client} id={route.id} />;
    case 'operators':
      return <OperatorsPage client={client} />;
  }
}

export function App() {
  const [apiKey, setApiKey] = useState<string | null>(storedKey);
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  const client = useMemo(() => (apiKey === null ? null : clientFor(apiKey)), [apiKey]);
  // Operators (keys of an admin client) get their page; the admin API answers anyone else 403.
  const [isAdmin, setIsAdmin] = useState(false);
  useEffect(() => {
    setIsAdmin(false);
    client?.admin.queue().then(
      () => setIsAdmin(true),
      () => setIsAdmin(false),
    );
  }, [client]);
  useEffect(() => {
    const onHash = (): void => {
      setRoute(parseRoute(location.hash));
      // A new page: its heading takes the focus, as a page load would.
      setTimeout(() => {
        const h = document.querySelector<HTMLElement>('main h1');
        h?.setAttribute('tabindex', '-1');
        h?.focus();
      }, 0);
    };
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const signOut = (): void => {
    forgetKey();
    setApiKey(null);
  };
  const current = (page: Route['page']): Record<string, string> =>
    route.page === page ? { 'aria-current': 'page' } : {};
  return (
    <>
      <a
        class="skip"
        href="#main"
        onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}
      >
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Umbra</span>
        {apiKey !== null && (
          <nav aria-label="Console">
            <a href={hrefs.create()} {...current('create')}>
              Create
            </a>
            <a href={hrefs.gallery()} {...current('gallery')}>
              Gallery
            </a>
            {isAdmin && (
              <a href={hrefs.operators()} {...current('operators')}>
                Operators
              </a>
            )}
            <button type="button" class="link" onClick={signOut}>
              Sign out
            </button>
          </nav>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {client === null ? (
          <SignInPage
            onSignedIn={(key) => {
              storeKey(key);
              setApiKey(key);
            }}
          />
        ) : (
          <Page route={route} client={client} />
        )}
      </main>
    </>
  );
}
