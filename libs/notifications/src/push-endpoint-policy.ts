import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/core/config/app-config';
import { isPublicAddress } from './notification-rules';

export class UnsafePushEndpointError extends Error {}

export interface ResolvedEndpoint {
  url: URL;
  /** Production: the checked address the request must connect to (pinned, so DNS cannot change it later). */
  pinned: { address: string; family: 4 | 6 } | null;
}

/**
 * Push endpoints are client-supplied URLs (SSRF). In production only https endpoints on port 443 whose host
 * resolves exclusively to public addresses are accepted and contacted; elsewhere plain-http fakes
 * on 127.0.0.1 are allowed (docs/configuration.md §3: the tests rely on this).
 */
@Injectable()
export class PushEndpointPolicy {
  private readonly strict: boolean;

  constructor(config: AppConfig) {
    this.strict = config.isProduction;
  }

  /** Why an endpoint cannot be registered, or null when it can. */
  async problem(endpoint: string): Promise<string | null> {
    try {
      await this.resolve(endpoint);
      return null;
    } catch (error) {
      if (error instanceof UnsafePushEndpointError) return error.message;
      throw error;
    }
  }

  /** Parses, checks and resolves an endpoint; throws UnsafePushEndpointError when it is refused. */
  async resolve(endpoint: string): Promise<ResolvedEndpoint> {
    const url = parseUrl(endpoint);
    if (url.protocol !== 'https:' && (this.strict || url.protocol !== 'http:')) {
      throw new UnsafePushEndpointError(this.strict ? 'must be an https URL' : 'must be an http(s) URL');
    }
    if (url.username || url.password) throw new UnsafePushEndpointError('must not contain credentials');
    if (!this.strict) return { url, pinned: null };
    // `URL` drops the scheme's default port: any explicit port here is not 443.
    if (url.port !== '') throw new UnsafePushEndpointError('must use port 443');
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await resolveHost(host);
    if (addresses.some((a) => !isPublicAddress(a.address))) {
      throw new UnsafePushEndpointError('must not point to a private, loopback or reserved address');
    }
    return { url, pinned: { address: addresses[0].address, family: addresses[0].family === 6 ? 6 : 4 } };
  }
}

function parseUrl(endpoint: string): URL {
  try {
    return new URL(endpoint);
  } catch {
    throw new UnsafePushEndpointError('must be a valid URL');
  }
}

async function resolveHost(host: string): Promise<Array<{ address: string; family: number }>> {
  try {
    const addresses = await lookup(host, { all: true, verbatim: true });
    if (addresses.length > 0) return addresses;
  } catch {
    // Reported below as unresolvable.
  }
  throw new UnsafePushEndpointError('host could not be resolved');
}
