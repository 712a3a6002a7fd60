/**
 * A frontend's routing as the compiled haproxy.cfg does it: each `use_backend B if a b` in order,
 * where every named ACL must match (AND) and the first route that matches wins; else
 * `default_backend`; with neither, null (HAProxy answers 503).
 *
 *   host ACL  `hdr_dom(host) -i H`: any Host header value matches as delimited words (host-match.ts)
 *   path ACL  `path_beg P`: the request path (no query string) starts with P, case-sensitively
 */
import type { IrAcl, IrFrontend } from "../../ir/types.js";
import { domPattern, matchesDom } from "./host-match.js";

/** What routing reads of a request. */
export interface RoutedRequest {
  /** Every Host header value, in order (HAProxy's hdr() tries each occurrence). */
  readonly hosts: readonly string[];
  /** The path, without the query string. */
  readonly path: string;
}

type AclTest = (request: RoutedRequest) => boolean;

export class RouteTable {
  private readonly routes: readonly { readonly tests: readonly AclTest[]; readonly backend: string }[];
  private readonly fallback: string | null;

  constructor(frontend: Pick<IrFrontend, "acls" | "routes" | "defaultBackend">) {
    const acls = new Map(frontend.acls.map((acl) => [acl.name, aclTest(acl)]));
    this.routes = frontend.routes.map((route) => ({
      backend: route.backend,
      tests: route.acls.map((name) => {
        const test = acls.get(name);
        if (!test) throw new Error(`route to ${route.backend} names an undeclared ACL ${name}`);
        return test;
      }),
    }));
    this.fallback = frontend.defaultBackend ?? null;
  }

  /** The backend that serves the request, or null when nothing matches and there is no default. */
  backendFor(request: RoutedRequest): string | null {
    for (const route of this.routes) if (route.tests.every((test) => test(request))) return route.backend;
    return this.fallback;
  }
}

function aclTest(acl: IrAcl): AclTest {
  switch (acl.kind) {
    case "host": {
      const pattern = domPattern(acl.value);
      return (request) => request.hosts.some((host) => matchesDom(host, pattern));
    }
    case "path":
      return (request) => request.path.startsWith(acl.value);
  }
}

/** The path of a request target: origin form `/a?b`, or absolute form `http://host/a?b`. */
export function requestPath(target: string): string {
  let path = target;
  if (!path.startsWith("/")) {
    const scheme = path.indexOf("://");
    if (scheme >= 0) {
      const slash = path.indexOf("/", scheme + 3);
      path = slash < 0 ? "/" : path.slice(slash);
    }
  }
  const query = path.indexOf("?");
  return query < 0 ? path : path.slice(0, query);
}
