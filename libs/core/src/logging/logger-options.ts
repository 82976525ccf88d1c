import { RequestMethod } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { destination as pinoDestination, DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import type { AppConfig } from '../config/app-config';
import { traceLogFields } from '../process/tracing';
import { requestIdFor } from '../http/request-id';
import { fieldsRedactor, redactSerialized } from './log-redaction';

/** Path segments that are credentials themselves (the calendar feed's secret token). */
const SECRET_PATH_SEGMENTS = [/(\/calendar-feed\/)[^/?#]+?(\.ics)?(?=[?#]|$)/i];

/**
 * The URL as logged: every query value (tokens, push endpoints, search text) and every secret
 * path segment replaced by `[redacted]`; parameter names and the route stay readable.
 */
export function redactUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const queryAt = url.indexOf('?');
  let path = queryAt === -1 ? url : url.slice(0, queryAt);
  for (const segment of SECRET_PATH_SEGMENTS) path = path.replace(segment, '$1[redacted]$2');
  if (queryAt === -1) return path;
  const query = url
    .slice(queryAt + 1)
    .split('&')
    .map((pair) => (pair.includes('=') ? `${pair.slice(0, pair.indexOf('='))}=[redacted]` : pair))
    .join('&');
  return `${path}?${query}`;
}

type LoggedRequest = IncomingMessage & {
  id?: string;
  user?: { id: string };
  route?: { path?: string };
  originalUrl?: string;
};

function callerOf(request: IncomingMessage): { user_id?: string; route?: string } {
  const logged = request as LoggedRequest;
  return { user_id: logged.user?.id, route: logged.route?.path };
}

const redactLine = fieldsRedactor(['req', 'res', 'err']);

/** Structured JSON logs (nestjs-pino): one line per request with id, user, route, status, latency. */
export function loggerOptions(config: AppConfig, destination?: DestinationStream): Params {
  const options: Options = {
    level: config.LOG_LEVEL,
    messageKey: 'message',
    base: { service: 'perpetua-flow-api' },
    // docs/configuration.md §2.7: every line logged inside a traced request or job names its trace.
    mixin: traceLogFields,
    // The request gate already chose the id (and sent X-Request-ID); keep it.
    genReqId: (request: IncomingMessage) => (request as LoggedRequest).id ?? requestIdFor(request),
    // Tokens, secrets and signatures are never written, wherever a line or a child logger's
    // bindings carry them (log-redaction.ts).
    formatters: { log: redactLine, bindings: redactLine },
    serializers: {
      req: (request: LoggedRequest) =>
        redactSerialized({
          id: request.id,
          method: request.method,
          url: redactUrl(request.originalUrl ?? request.url),
        }),
      res: (response: ServerResponse) => redactSerialized({ status: response.statusCode }),
      err: (error: object) => redactSerialized(error),
    },
    customAttributeKeys: { reqId: 'request_id', responseTime: 'latency_ms' },
    // The caller and route join the request's line itself: `customProps` would build two more
    // child loggers per request (each serializing and redacting its bindings).
    customSuccessObject: (request: IncomingMessage, _response: ServerResponse, line: object) => ({
      ...line,
      ...callerOf(request),
    }),
    customErrorObject: (request: IncomingMessage, _response: ServerResponse, _error: Error, line: object) => ({
      ...line,
      ...callerOf(request),
    }),
    customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
      error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
    autoLogging: {
      ignore: (request: IncomingMessage) => request.url === '/health/live' || request.url === '/metrics',
    },
    quietReqLogger: true,
  };
  return {
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: [options, destination ?? stdoutDestination()],
  };
}

/** Bytes of log lines gathered before a write, and the longest a line waits for more to join it. */
const LOG_BATCH_BYTES = 8192;
const LOG_FLUSH_MS = 100;

/**
 * Standard output written asynchronously and in batches: lines go out together once 8 KiB have
 * gathered or 100 ms have passed, one write(2) for ≈ 25 request lines under load instead of one
 * per line (each a hand-off to libuv's thread pool: ≈ 50 µs of the API's CPU per request).
 * pino flushes what is left on exit.
 */
function stdoutDestination(): DestinationStream {
  return pinoDestination({ dest: 1, sync: false, minLength: LOG_BATCH_BYTES, periodicFlush: LOG_FLUSH_MS });
}
