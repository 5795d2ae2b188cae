import { useEffect, useRef } from "react";
import { CatalogPage } from "./catalog/CatalogPage";
import { ApiPage } from "./developers/ApiPage";
import { Link, useLocation } from "./router";
import { Loading } from "./ui/status";
import { SignInNotice, UserMenu } from "./ui/UserMenu";

type Route = { path: string; title: string; nav?: string; render: () => React.ReactNode };

const routes: Route[] = [
  { path: "/", title: "Catalog", nav: "Catalog", render: () => <CatalogPage /> },
  { path: "/developers", title: "API", nav: "API", render: () => <ApiPage /> },
  { path: "/callback", title: "Signing in", render: () => <Loading label="Signing you in…" /> },
];

function routeFor(pathname: string): Route | undefined {
  return routes.find((route) => route.path === pathname);
}

/** The page frame: skip link, header with navigation and the user, and the current page. */
export function App() {
  const location = useLocation();
  const route = routeFor(location.pathname);
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // On navigation (not on the first load) move focus to the new page, as a full page load would.
  useEffect(() => {
    document.title = `${route?.title ?? "Not found"} · Stockroom`;
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    main.current?.querySelector<HTMLElement>("h1")?.focus();
  }, [route]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <Link href="/" className="brand">
            Stockroom
          </Link>
          <nav aria-label="Main">
            <ul className="nav-list">
              {routes
                .filter((r) => r.nav)
                .map((r) => (
                  <li key={r.path}>
                    <Link href={r.path} aria-current={r === route ? "page" : undefined}>
                      {r.nav}
                    </Link>
                  </li>
                ))}
            </ul>
          </nav>
          <UserMenu />
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <SignInNotice />
        {route ? route.render() : <NotFound />}
      </main>
    </>
  );
}

function NotFound() {
  return (
    <section>
      <h1 tabIndex={-1}>Page not found</h1>
      <p>
        There is nothing at this address. <Link href="/">Go to the catalog</Link>.
      </p>
    </section>
  );
}
