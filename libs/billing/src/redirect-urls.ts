import { ErrorDetail, ValidationError } from '@app/core/errors/domain-error';

export interface RedirectUrls {
  successUrl: string;
  cancelUrl: string;
}

export interface RedirectPolicy {
  /** Production: every URL's origin must be one of `allowedOrigins` (CORS_ORIGINS). */
  production: boolean;
  allowedOrigins: string[];
}

const SUCCESS_PATH = '/dashboard/subscription/success';
const CANCEL_PATH = '/dashboard/credits';

/**
 * The hosted page's return URLs (docs/api.md §14): as sent, else derived from the request `Origin`;
 * http(s) only; in production their origins must be allowed CORS origins.
 */
export function resolveRedirectUrls(
  requested: { success_url?: string; cancel_url?: string },
  origin: string | undefined,
  policy: RedirectPolicy,
): RedirectUrls {
  const problems: ErrorDetail[] = [];
  const base = origin !== undefined ? httpOrigin(origin) : null;
  const pick = (field: 'success_url' | 'cancel_url', path: string): string => {
    const value = requested[field];
    if (value === undefined) {
      if (base === null) problems.push({ field, message: 'is required when the request has no valid Origin header' });
      return `${base ?? ''}${path}`;
    }
    const valueOrigin = httpOrigin(value);
    if (valueOrigin === null) problems.push({ field, message: 'must be an http(s) URL' });
    else if (policy.production && !policy.allowedOrigins.includes(valueOrigin)) {
      problems.push({ field, message: 'must be on an allowed origin' });
    }
    return value;
  };
  const urls = { successUrl: pick('success_url', SUCCESS_PATH), cancelUrl: pick('cancel_url', CANCEL_PATH) };
  if (base !== null && policy.production && !policy.allowedOrigins.includes(base)) {
    const derived = (['success_url', 'cancel_url'] as const).filter((field) => requested[field] === undefined);
    for (const field of derived) problems.push({ field, message: 'must be on an allowed origin' });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return urls;
}

/** `scheme://host[:port]` of an absolute http(s) URL, or null. */
function httpOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}
