import { type SpecOperation, specOperations } from './operations.js';
import type { SpecHost } from './specs.js';

/**
 * Where each host lives on the spec server: the layout of the emulator's `endpoints`, so a test can
 * point a client at either one with the same `endpoints` object.
 */
export const hostPrefixes: Record<SpecHost, string> = {
  send: '/transactional',
  bulk: '/bulk',
  sandbox: '/sandbox',
  general: '',
};

export interface RouteMatch {
  operation: SpecOperation;
  /** Path parameters as written in the URL (decoded, still strings). */
  params: Record<string, string>;
  /** The account id of the `/api/accounts/{account_id}/...` path form, when that form was used. */
  accountId?: string;
}

export type RouteResult =
  | { kind: 'matched'; match: RouteMatch }
  | { kind: 'wrong-method'; allowed: string[]; host: SpecHost }
  | { kind: 'unknown'; host: SpecHost | undefined };

interface Route {
  operation: SpecOperation;
  pattern: RegExp;
  names: string[];
  literal: number;
  accountForm: boolean;
}

let routes: Route[] | undefined;

/**
 * Account-API operations answer on their spec path (`/api/domains`, token-scoped) and on the older
 * form every SDK uses, `/api/accounts/{account_id}/domains`. Paths already below `/api/accounts`
 * or `/api/organizations` have one form only.
 */
function buildRoutes(): Route[] {
  const list: Route[] = [];
  for (const operation of specOperations()) {
    const base = route(operation, operation.path, false);
    list.push(base);
    if (operation.host === 'general' && !/^\/api\/(accounts|organizations)(\/|$)/.test(operation.path)) {
      list.push(route(operation, operation.path.replace(/^\/api\//, '/api/accounts/{account_id}/'), true));
    }
  }
  // the most literal template first: GET /api/contacts/lists is contactLists, not getContact('lists')
  return list.sort((a, b) => b.literal - a.literal);
}

function route(operation: SpecOperation, template: string, accountForm: boolean): Route {
  const names: string[] = [];
  let literal = 0;
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const name = /^\{([^}]+)\}$/.exec(part)?.[1];
      if (name) {
        names.push(name);
        return '([^/]+)';
      }
      literal += part.length;
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return {
    operation,
    pattern: new RegExp(`^${hostPrefixes[operation.host]}${source}/?$`),
    names,
    literal,
    accountForm,
  };
}

/** The operation a request names, by host prefix, path and method. */
export function matchRoute(method: string, pathname: string): RouteResult {
  routes ??= buildRoutes();
  const wanted = method.toLowerCase();
  const allowed = new Set<string>();
  let host: SpecHost | undefined;
  for (const candidate of routes) {
    const found = candidate.pattern.exec(pathname);
    if (!found) continue;
    host ??= candidate.operation.host;
    if (candidate.operation.method !== wanted) {
      allowed.add(candidate.operation.method.toUpperCase());
      continue;
    }
    const params: Record<string, string> = {};
    candidate.names.forEach((name, index) => {
      params[name] = decodeURIComponent(found[index + 1]!);
    });
    const { account_id: accountId, ...rest } = params;
    return {
      kind: 'matched',
      match: candidate.accountForm
        ? { operation: candidate.operation, params: rest, accountId }
        : { operation: candidate.operation, params },
    };
  }
  if (allowed.size > 0) return { kind: 'wrong-method', allowed: [...allowed], host: host! };
  const prefix = (Object.entries(hostPrefixes) as [SpecHost, string][]).find(
    ([, value]) => value !== '' && pathname.startsWith(`${value}/`),
  );
  return { kind: 'unknown', host: prefix ? prefix[0] : 'general' };
}
