import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** A layer of the Express router, as far as the prefilter needs it. */
export interface MatchableLayer {
  route?: { path: unknown };
  match(path: string | null | undefined): unknown;
}

/** The characters of a route path that are plain text in path-to-regexp (no parameter, wildcard, group or escape). */
const LITERAL = /^[A-Za-z0-9/._~-]*/;

/** The plain-text start of a route path, lowercased: `/api/v1/tasks/` for `/api/v1/tasks/:id`. */
export function literalPrefix(path: string): string {
  return LITERAL.exec(path)![0].toLowerCase();
}

/**
 * Express tests a request against every route layer in registration order until one matches
 * (≈ 300 route layers here, a path-to-regexp match each). Each route layer is given a check in
 * front of its matcher: a path that does not start with the route's literal prefix
 * (case-insensitively, as Express matches) cannot match it, and is refused without running the
 * matcher. It only ever refuses what the matcher would refuse, so which route answers is
 * unchanged. The layers are read from the router stack on the first request and again whenever
 * the stack grows.
 */
export function routePrefilter(getRouterStack: () => MatchableLayer[]): RequestHandler {
  const filtered = new WeakSet<MatchableLayer>();
  let size = -1;
  let lastPath = '';
  let lastLower = '';
  const lowered = (path: string): string => {
    if (path !== lastPath) {
      lastPath = path;
      lastLower = path.toLowerCase();
    }
    return lastLower;
  };
  return (_request: Request, _response: Response, next: NextFunction) => {
    const stack = getRouterStack();
    if (stack.length !== size) {
      size = stack.length;
      for (const layer of stack) {
        if (filtered.has(layer) || typeof layer.route?.path !== 'string') continue;
        filtered.add(layer);
        const prefix = literalPrefix(layer.route.path);
        if (prefix.length <= 1) continue;
        const match = layer.match.bind(layer);
        layer.match = (path) => (typeof path === 'string' && !lowered(path).startsWith(prefix) ? false : match(path));
      }
    }
    next();
  };
}
