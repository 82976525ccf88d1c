import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';

/**
 * The OpenTelemetry SDK with the instrumentations of the server (http, express), the database (pg),
 * Redis (ioredis) and outbound calls (http, fetch). It reads the standard `OTEL_*` variables
 * (endpoint, protocol, sampling, batching) itself.
 */
export function startTracingSdk(): NodeSDK {
  const sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME ?? 'perpetua-flow-api',
    instrumentations: [
      new HttpInstrumentation(),
      new ExpressInstrumentation(),
      // Queries outside a request or job (the runner's queue polling, every second) would each be a trace of their own.
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation(),
      new UndiciInstrumentation(),
    ],
  });
  sdk.start();
  return sdk;
}
