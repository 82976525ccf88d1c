import { RequestMethod } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { WsAdapter } from '@nestjs/platform-ws';
import cors from 'cors';
import type { NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '@app/core/config/app-config';
import { RequestContext } from '@app/core/context/request-context';
import { admissionGate } from '@app/http/admission-gate';
import { jsonBodyGate, routeGate, RouteLayer } from '@app/http/request-gate';
import { requestIdFor } from '@app/core/http/request-id';
import { routePrefilter } from '@app/http/route-prefilter';
import { MetricsService } from '@app/core/metrics/metrics.service';
import { answerClientErrors } from './client-error';
import { httpMetrics } from './http-metrics.middleware';
import { bindIdempotencyToWrites } from './idempotent-routes';
import { securityHeaders } from './security-headers';
import { setupSwagger } from './swagger';
import { VERSIONED_ALIASES } from './swagger-conventions';

export const API_PREFIX = 'api/v1';
/** API requests worked on at once (6 × the database pool); later ones wait in arrival order. */
const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-ID', 'X-Task-Id'];
const EXPOSED_HEADERS = [
  'X-Request-ID',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
  'Retry-After',
  'X-Idempotent-Replayed',
  'Deprecation',
  'Sunset',
  'Link',
];

/**
 * The HTTP conventions of docs/api.md §1 that run before Nest routing, in the order of §1.9:
 * request id → CORS preflight → 404/405 → body size, media type and JSON syntax. Everything
 * after (auth, rate limit, idempotency, validation) is Nest guards, interceptors and pipes.
 */
export function configureApp(app: NestExpressApplication): void {
  const config = app.get(AppConfig);
  app.useLogger(app.get(Logger));
  app.useWebSocketAdapter(new WsAdapter(app));
  app.disable('x-powered-by');
  // The client IP of every per-IP rule (docs/api.md §1.12): `request.ip` as the trusted proxies report it.
  app.set('trust proxy', config.trustProxy);
  // Responses are `Cache-Control: no-store`: a body hash per response (Express's ETag) buys nothing.
  app.set('etag', false);
  app.set('query parser', 'simple');
  keepConnectionsAlive(app);
  answerClientErrors(app.getHttpServer() as Server);

  const express = app.getHttpAdapter().getInstance() as unknown as { router: { stack: RouteLayer[] } };
  app.use(routePrefilter(() => express.router.stack));
  app.use((request: Request, response: Response, next: NextFunction) => {
    const id = requestIdFor(request);
    (request as Request & { id: string }).id = id;
    response.setHeader('X-Request-ID', id);
    RequestContext.run({ requestId: id }, next);
  });
  app.use(httpMetrics(app.get(MetricsService)));
  // The versioned spellings of the unversioned routes, built once rather than per request.
  const aliases = new Set(VERSIONED_ALIASES.map((path) => `/${API_PREFIX}${path}`));
  app.use((request: Request, _response: Response, next: NextFunction) => {
    const query = request.url.indexOf('?');
    if (aliases.has(query < 0 ? request.url : request.url.slice(0, query))) {
      request.url = request.url.slice(API_PREFIX.length + 1);
    }
    next();
  });
  app.use(...securityHeaders(config));
  app.use(corsMiddleware(config));
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (request.method === 'OPTIONS') response.status(200).end();
    else next();
  });
  app.use(routeGate(() => express.router.stack));
  app.use(jsonBodyGate(config.BODY_READ_TIMEOUT_MS));
  // After the body is read (under its budget): a slow client never holds a slot.
  app.use(admissionGate(config.ADMISSION_LIMIT, config.ADMISSION_QUEUE));

  applyGlobalPrefix(app);
  bindIdempotencyToWrites(app);
  setupSwagger(app);
}

/** `/api/v1` before every route but the operational ones (docs/api.md §1.1); also used by `npm run openapi`. */
export function applyGlobalPrefix(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
      { path: '.well-known/jwks.json', method: RequestMethod.GET },
      // The MCP endpoint lives where assistants look for it (docs/mcp.md §1).
      { path: 'mcp', method: RequestMethod.POST },
    ],
  });
}

/** Pending connections the kernel queues until the API accepts them (Node's default is 511). */
const LISTEN_BACKLOG = 4096;

/**
 * Starts listening with a deep accept queue: a burst of new connections (clients reconnecting
 * after a deploy, 1000 at once in the bench) overflowed the default 511, and the dropped
 * handshakes were retried by the clients after 1, 3, 7 s — requests timed out before the API
 * even saw them. The kernel caps the value at `net.core.somaxconn`.
 */
export async function listen(app: NestExpressApplication, port: number): Promise<void> {
  await app.init();
  const server = app.getHttpServer() as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  app.flushLogs();
}

/**
 * Idle keep-alive connections stay open 75 s (Node's default is 5 s): longer than the idle timeout
 * of the usual load balancers (60 s), which must be the side that closes them, and longer than a
 * client's pause between requests, so a request never races the server closing its connection.
 */
function keepConnectionsAlive(app: NestExpressApplication): void {
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = 75_000;
  server.headersTimeout = 76_000;
}

function corsMiddleware(config: AppConfig): ReturnType<typeof cors> {
  const origins = config.corsOrigins;
  return cors({
    origin: origins.includes('*') ? '*' : origins.length > 0 ? origins : false,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
    optionsSuccessStatus: 200,
    preflightContinue: false,
  });
}
