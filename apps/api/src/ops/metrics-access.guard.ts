import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AppConfig } from '@app/core/config/app-config';
import { NotFoundError, UnauthorizedError } from '@app/core/errors/domain-error';
import { metricsAccessAllowed } from '@app/core/metrics/metrics-access';

/** `/metrics` on the API: 404 when `METRICS_PORT` moves it, 401 without the `METRICS_TOKEN` bearer. */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.config.METRICS_PORT !== undefined) throw new NotFoundError('Route');
    const request = context.switchToHttp().getRequest<Request>();
    if (!metricsAccessAllowed(this.config.METRICS_TOKEN, request.headers.authorization)) {
      throw new UnauthorizedError('Missing or wrong metrics token');
    }
    return true;
  }
}
