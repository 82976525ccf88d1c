import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { JobQueue } from '@app/core/jobs/job-queue.service';
import { MetricsService } from '@app/core/metrics/metrics.service';
import { REDIS_CLIENT } from '@app/core/redis/redis.provider';

type Check = { status: 'ok' } | { status: 'error'; message: string };

/**
 * The job runner's operations port (`RUNNER_HTTP_PORT`): `/metrics` (the runner's counters plus
 * queue depth and dead jobs), `/health/live` and `/health/ready` (database, and Redis when
 * configured). Plain node:http: the runner serves no API.
 */
@Injectable()
export class RunnerOpsServer implements OnModuleDestroy {
  private readonly logger = new Logger(RunnerOpsServer.name);
  private server?: Server;

  constructor(
    private readonly metrics: MetricsService,
    private readonly queue: JobQueue,
    private readonly dataSource: DataSource,
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
  ) {
    const depth = new Gauge({
      name: 'job_queue_depth',
      help: 'Jobs per queue waiting (queued: created or retry, due or not) or running (active)',
      labelNames: ['job', 'state'],
      registers: [metrics.registry],
      async collect() {
        const { queues } = await queue.depth();
        for (const entry of queues) {
          depth.set({ job: entry.name, state: 'queued' }, entry.queued);
          depth.set({ job: entry.name, state: 'active' }, entry.active);
        }
      },
    });
    const dead = new Gauge({
      name: 'jobs_dead',
      help: 'Dead jobs kept (attempts exhausted, last 30 days)',
      registers: [metrics.registry],
      async collect() {
        dead.set((await queue.depth()).dead);
      },
    });
  }

  /** Listens on `port`; resolves with the bound port. */
  async listen(port: number): Promise<number> {
    const server = createServer((request, response) => void this.handle(request, response));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, () => resolve());
    });
    const bound = (server.address() as AddressInfo).port;
    this.logger.log({ port: bound }, `runner operations port listening on ${bound}`);
    return bound;
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    try {
      if (request.method !== 'GET') return send(response, 405, { error: 'method not allowed' }, { Allow: 'GET' });
      if (path === '/health/live') return send(response, 200, { status: 'ok' });
      if (path === '/health/ready') {
        const checks = await this.readiness();
        const ok = Object.values(checks).every((check) => check.status === 'ok');
        return send(response, ok ? 200 : 503, { status: ok ? 'ok' : 'error', checks });
      }
      if (path === '/metrics') {
        response.writeHead(200, { 'Content-Type': this.metrics.registry.contentType });
        response.end(await this.metrics.registry.metrics());
        return;
      }
      send(response, 404, { error: 'not found' });
    } catch (error) {
      this.logger.error({ err: error, path }, 'runner operations request failed');
      if (!response.headersSent) send(response, 500, { error: 'internal error' });
    }
  }

  private async readiness(): Promise<Record<string, Check>> {
    const checks: Record<string, Promise<Check>> = {
      database: probe(() => this.dataSource.query('SELECT 1')),
    };
    if (this.redis) {
      const redis = this.redis;
      checks.redis = probe(() => redis.ping());
    }
    const entries = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => [name, await check] as const),
    );
    return Object.fromEntries(entries);
  }
}

async function probe(run: () => Promise<unknown>): Promise<Check> {
  try {
    await run();
    return { status: 'ok' };
  } catch (error) {
    return { status: 'error', message: error instanceof Error ? error.message : String(error) };
  }
}

function send(response: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}
