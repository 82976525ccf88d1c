import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

/**
 * OpenTelemetry tracing (docs/configuration.md §2.7), off unless `OTEL_EXPORTER_OTLP_ENDPOINT` is
 * set. Imported by every entry point after `.env` is loaded and before anything loads http,
 * express, pg, ioredis or fetch, which the instrumentations patch as they load. The SDK is
 * required only when tracing is on: it costs about a second and 45 MB at boot.
 */
const sdk = process.env.OTEL_EXPORTER_OTLP_ENDPOINT
  ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when tracing is on (see above)
    (require('./tracing-sdk') as typeof import('./tracing-sdk')).startTracingSdk()
  : undefined;

const tracer = trace.getTracer('perpetua-flow-api');

/** Exports the spans still buffered; called before a process exits. */
export async function stopTracing(): Promise<void> {
  await sdk?.shutdown();
}

/** The current trace for a log line (`trace_id`, `span_id`), nothing outside a sampled span. */
export function traceLogFields(): Record<string, string> {
  const span = trace.getActiveSpan()?.spanContext();
  return span && span.traceFlags & 1 ? { trace_id: span.traceId, span_id: span.spanId } : {};
}

/** The W3C trace context (`traceparent`, `tracestate`) of the current span, to carry in job data; null outside one. */
export function currentTraceContext(): Record<string, string> | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? carrier : null;
}

/** Runs `work` in a span named `name` that continues the trace carried by `carried` (a new one without). */
export function inCarriedTrace<T>(
  name: string,
  carried: Record<string, string> | undefined,
  attributes: Record<string, string | number>,
  work: () => Promise<T>,
): Promise<T> {
  const parent = carried ? propagation.extract(ROOT_CONTEXT, carried) : ROOT_CONTEXT;
  return tracer.startActiveSpan(name, { kind: SpanKind.CONSUMER, attributes }, parent, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}
