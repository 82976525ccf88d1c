import type { Request } from 'express';
import type { AppConfig } from '@app/core/config/app-config';

/**
 * The origin of every absolute URL the API hands out: `PUBLIC_BASE_URL` (required in
 * production), never the client's `Host` header; only development and test fall back to the
 * request's own origin (docs/configuration.md §2).
 */
export function publicBaseUrl(config: AppConfig, request: Request): string {
  return config.publicBaseUrl ?? `${request.protocol}://${request.get('host') ?? 'localhost'}`;
}
