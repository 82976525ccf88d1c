import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import type { AppConfig } from '@app/core/config/app-config';

/**
 * Headers of docs/api.md §1.13 on every response: helmet's nosniff, frame denial and referrer policy
 * (HSTS in production only); API responses also get a locked-down CSP and `no-store`.
 */
export function securityHeaders(config: AppConfig): RequestHandler[] {
  const base = helmet({
    contentSecurityPolicy: false,
    crossOriginResourcePolicy: false,
    crossOriginEmbedderPolicy: false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    strictTransportSecurity: config.isProduction
      ? { maxAge: 31536000, includeSubDomains: true, preload: false }
      : false,
  });
  const apiPolicy = (request: Request, response: Response, next: NextFunction): void => {
    if (!request.path.startsWith('/docs')) {
      response.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
      if (!request.path.endsWith('/.well-known/jwks.json')) response.setHeader('Cache-Control', 'no-store');
    }
    next();
  };
  return [base, apiPolicy];
}
