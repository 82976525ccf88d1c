import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@app/core/config/app-config';
import { metricsAccessAllowed } from '@app/core/metrics/metrics-access';
import { MetricsService } from '@app/core/metrics/metrics.service';

/**
 * `/metrics` on its own port when `METRICS_PORT` is set (docs/api.md §17): plain node:http that
 * serves nothing else, so the API port never exposes it; `METRICS_TOKEN` applies here too.
 */
@Injectable()
export class MetricsPortServer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MetricsPortServer.name);
  private server?: Server;

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.METRICS_PORT;
    if (port === undefined) return;
    const server = createServer((request, response) => void this.handle(request, response));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, () => resolve());
    });
    this.logger.log({ port }, `metrics port listening on ${port}`);
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/metrics') return text(response, 404, 'not found\n');
    if (request.method !== 'GET') return text(response, 405, 'method not allowed\n', { Allow: 'GET' });
    if (!metricsAccessAllowed(this.config.METRICS_TOKEN, request.headers.authorization)) {
      return text(response, 401, 'missing or wrong metrics token\n', { 'WWW-Authenticate': 'Bearer' });
    }
    try {
      text(response, 200, await this.metrics.registry.metrics(), { 'Content-Type': this.metrics.registry.contentType });
    } catch (error) {
      this.logger.error({ err: error }, 'metrics scrape failed');
      text(response, 500, 'internal error\n');
    }
  }
}

function text(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  response.end(body);
}
