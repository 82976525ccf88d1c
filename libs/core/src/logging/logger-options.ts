import { RequestMethod } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import type { AppConfig } from '../config/app-config';
import { requestIdFor } from '../http/request-id';

/** Fields never written to logs (tokens, secrets, signatures), wherever they appear. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["cko-signature"]',
  'req.headers["idempotency-key"]',
  'access_token',
  'refresh_token',
  'id_token',
  'token',
  '*.access_token',
  '*.refresh_token',
  '*.id_token',
  '*.token',
  '*.password',
  '*.secret',
  '*.apiKey',
  '*.api_key',
];

/** Hides credentials passed in query strings (the voice WebSocket's `token`). */
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(/([?&](?:token|access_token|refresh_token|id_token)=)[^&]*/gi, '$1[redacted]');
}

type LoggedRequest = IncomingMessage & {
  id?: string;
  user?: { id: string };
  route?: { path?: string };
  originalUrl?: string;
};

/** Structured JSON logs (nestjs-pino): one line per request with id, user, route, status, latency. */
export function loggerOptions(config: AppConfig, destination?: DestinationStream): Params {
  const options: Options = {
    level: config.LOG_LEVEL,
    messageKey: 'message',
    base: { service: 'perpetua-flow-api' },
    // The request gate already chose the id (and sent X-Request-ID); keep it.
    genReqId: (request: IncomingMessage) => (request as LoggedRequest).id ?? requestIdFor(request),
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      req: (request: LoggedRequest) => ({
        id: request.id,
        method: request.method,
        url: redactUrl(request.originalUrl ?? request.url),
      }),
      res: (response: ServerResponse) => ({ status: response.statusCode }),
    },
    customAttributeKeys: { reqId: 'request_id', responseTime: 'latency_ms' },
    customProps: (request: IncomingMessage) => {
      const logged = request as LoggedRequest;
      return { user_id: logged.user?.id, route: logged.route?.path };
    },
    customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
      error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
    autoLogging: {
      ignore: (request: IncomingMessage) => request.url === '/health/live' || request.url === '/metrics',
    },
    quietReqLogger: true,
  };
  return {
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: destination ? [options, destination] : options,
  };
}
