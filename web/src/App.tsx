import { useEffect, useRef } from "react";
import { BlogPage } from "./blog/BlogPage";
import { PostPage } from "./blog/PostPage";
import { CatalogPage } from "./catalog/CatalogPage";
import { ApiPage } from "./developers/ApiPage";
import { Link, useLocation } from "./router";
import { Loading } from "./ui/status";
import { SignInNotice, UserMenu } from "./ui/UserMenu";

// `path` is exact unless `pattern` is given; the pattern's groups are handed to `render`. A route
// without a title names the page itself (a post, by its title); `section` is the navigation entry it belongs under.
type Route = {
  path: string;
  pattern?: RegExp;
  title?: string;
  nav?: string;
  section?: string;
  render: (params: string[]) => React.ReactNode;
};

const routes: Route[] = [
  { path: "/", title: "Catalog", nav: "Catalog", render: () => <CatalogPage /> },
  { path: "/blog", title: "Blog", nav: "Blog", render: () => <BlogPage /> },
  {
    path: "/blog/:id",
    pattern: /^\/blog\/([^/]+)$/,
    section: "/blog",
    render: ([id = ""]) => <PostPage key={id} id={decodeURIComponent(id)} />,
  },
  { path: "/developers", title: "API", nav: "API", render: () => <ApiPage /> },
  { path: "/callback", title: "Signing in", render: () => <Loading label="Signing you in…" /> },
];

function routeFor(pathname: string): { route?: Route; params: string[] } {
  for (const route of routes) {
    const match = route.pattern ? route.pattern.exec(pathname) : route.path === pathname ? [pathname] : null;
    if (match) return { route, params: match.slice(1) };
  }
  return { params: [] };
}

/** The page frame: skip link, header with navigation and the user, and the current page. */
export function App() {
  const location = useLocation();
  const { route, params } = routeFor(location.pathname);
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // On navigation (not on the first load) move focus to the new page, as a full page load would.
  // biome-ignore lint/correctness/useExhaustiveDependencies: another post under the same route is another page
  useEffect(() => {
    if (!route) document.title = "Not found · Stockroom";
    else if (route.title) document.title = `${route.title} · Stockroom`;
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    main.current?.querySelector<HTMLElement>("h1")?.focus();
  }, [route, location.pathname]);

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
                    <Link href={r.path} aria-current={r === route ? "page" : r.path === route?.section ? "true" : undefined}>
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
        {route ? route.render(params) : <NotFound />}
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
