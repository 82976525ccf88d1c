import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';
import type { AppConfig } from '@app/core/config/app-config';

type Trust = (address: string, hop: number) => boolean;

/**
 * The client IP of a raw request (a WebSocket upgrade, which Express never sees) decided by
 * `TRUST_PROXY` exactly as Express's `request.ip` decides it for HTTP (docs/api.md §1.12): the
 * same library (proxy-addr) and the same reading of a hop count or an address list.
 */
export function clientIpResolver(trustProxy: AppConfig['trustProxy']): (request: IncomingMessage) => string {
  const trust: Trust =
    trustProxy === false
      ? () => false
      : typeof trustProxy === 'number'
        ? (_address, hop) => hop < trustProxy
        : proxyAddr.compile(trustProxy);
  return (request) => proxyAddr(request, trust);
}
