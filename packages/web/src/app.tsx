// The console's shell: sign-in gate, navigation, and the page the hash route names.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { CreatePage } from './pages/create.js';
import { DetailPage } from './pages/detail.js';
import { GalleryPage } from './pages/gallery.js';
import { SignInPage } from './pages/sign-in.js';
import { WatchPage } from './pages/watch.js';
import type { Route } from './route.js';
import { hrefs, parseRoute } from './route.js';
import { clientFor, forgetKey, storeKey, storedKey } from './session.js';

function Page({ route, apiKey }: { route: Route; apiKey: string }) {
  const client = useMemo(() => clientFor(apiKey), [apiKey]);
  switch (route.page) {
    case 'create':
      return <CreatePage client={client} query={route.query} />;
    case 'gallery':
      return <GalleryPage client={client} />;
    case 'watch':
      return <WatchPage key={route.id} client={client} id={route.id} />;
    case 'detail':
      return <DetailPage key={route.id} client={client} id={route.id} />;
  }
}

export function App() {
  const [apiKey, setApiKey] = useState<string | null>(storedKey);
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  useEffect(() => {
    const onHash = (): void => {
      setRoute(parseRoute(location.hash));
      // A new page: its heading takes the focus, as a page load would.
      setTimeout(() => document.querySelector<HTMLElement>('main h1')?.focus(), 0);
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
            <button type="button" class="link" onClick={signOut}>
              Sign out
            </button>
          </nav>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {apiKey === null ? (
          <SignInPage
            onSignedIn={(key) => {
              storeKey(key);
              setApiKey(key);
            }}
          />
        ) : (
          <Page route={route} apiKey={apiKey} />
        )}
      </main>
    </>
  );
}
