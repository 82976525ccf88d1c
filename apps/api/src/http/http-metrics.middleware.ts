import type { NextFunction, Request, Response } from 'express';
import type { MetricsService } from '@app/core/metrics/metrics.service';

/** Request count, latency and errors by route template (never raw ids), recorded when the response ends. */
export function httpMetrics(metrics: MetricsService) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const stop = metrics.httpDuration.startTimer();
    metrics.httpActive.inc();
    response.on('close', () => {
      metrics.httpActive.dec();
      const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
      const labels = { method: request.method, route };
      stop(labels);
      metrics.httpRequests.inc({ ...labels, status: String(response.statusCode) });
      const code = (response.locals as { errorCode?: string }).errorCode;
      if (code) metrics.httpErrors.inc({ status: String(response.statusCode), code });
    });
    next();
  };
}
