import { request as httpRequest, RequestOptions } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import webpush from 'web-push';
import { AppConfig } from '@app/core/config/app-config';
import { PushEndpointPolicy, ResolvedEndpoint } from './push-endpoint-policy';
import { PUSH_HTTPS_AGENT } from './push-https-agent.provider';

const TIMEOUT_MS = 10_000;
const TTL_SECONDS = 3600;

export interface PushTarget {
  endpoint: string;
  p256dhKey: string;
  authKey: string;
}

/** The message could not be built for this subscription (e.g. malformed keys): never retried. */
export class UndeliverablePushError extends Error {}

/**
 * Web Push with VAPID (docs/integrations.md §5): web-push encrypts the payload and signs the VAPID JWT;
 * the request is sent by our own client so that http test endpoints work and production
 * connections go to the address the endpoint policy checked.
 */
@Injectable()
export class PushSender {
  private readonly vapid: { subject: string; publicKey: string; privateKey: string } | null;

  constructor(
    config: AppConfig,
    private readonly policy: PushEndpointPolicy,
    @Inject(PUSH_HTTPS_AGENT) private readonly httpsAgent: Agent,
  ) {
    const { VAPID_PUBLIC_KEY: publicKey, VAPID_PRIVATE_KEY: privateKey, VAPID_SUBJECT: subject } = config;
    this.vapid = publicKey && privateKey && subject ? { subject, publicKey, privateKey } : null;
  }

  get enabled(): boolean {
    return this.vapid !== null;
  }

  get publicKey(): string | null {
    return this.vapid?.publicKey ?? null;
  }

  /** Sends one push message; resolves with the push service's status, rejects on network errors. */
  async send(target: PushTarget, payload: string, urgency: 'high' | 'normal'): Promise<number> {
    if (!this.vapid) throw new UndeliverablePushError('push is disabled (VAPID unset)');
    let details: ReturnType<typeof webpush.generateRequestDetails>;
    try {
      details = webpush.generateRequestDetails(
        { endpoint: target.endpoint, keys: { p256dh: target.p256dhKey, auth: target.authKey } },
        payload,
        { vapidDetails: this.vapid, TTL: TTL_SECONDS, urgency },
      );
    } catch (error) {
      throw new UndeliverablePushError(`cannot build the push message: ${(error as Error).message}`);
    }
    const resolved = await this.policy.resolve(target.endpoint);
    return this.post(resolved, details.headers as Record<string, string | number>, details.body as Buffer);
  }

  private post(resolved: ResolvedEndpoint, headers: Record<string, string | number>, body: Buffer): Promise<number> {
    const { url, pinned } = resolved;
    const secure = url.protocol === 'https:';
    const options: RequestOptions = {
      method: 'POST',
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      headers,
      timeout: TIMEOUT_MS,
      ...(secure ? { agent: this.httpsAgent } : {}),
      ...(pinned ? { lookup: pinnedLookup(pinned.address, pinned.family) } : {}),
    };
    return new Promise<number>((resolve, reject) => {
      const request = (secure ? httpsRequest : httpRequest)(options, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      });
      request.on('timeout', () => request.destroy(new Error(`push service did not answer within ${TIMEOUT_MS} ms`)));
      request.on('error', reject);
      request.end(body);
    });
  }
}

function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}
