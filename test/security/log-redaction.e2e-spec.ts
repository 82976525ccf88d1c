import { Writable } from 'node:stream';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import supertest from 'supertest';
import { loadConfig } from '@app/core/config/app-config';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureApp } from '../../apps/api/src/http/configure-app';
import { baseTestEnv, createTestDatabase } from '../support/test-app';

describe('structured logs', () => {
  const lines: Array<Record<string, unknown>> = [];
  let app: NestExpressApplication;
  let http: supertest.Agent;
  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    const database = await createTestDatabase();
    dropDatabase = database.drop;
    const config = loadConfig({ ...baseTestEnv(), LOG_LEVEL: 'info', DATABASE_URL: database.url });
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        callback();
      },
    });
    app = await NestFactory.create<NestExpressApplication>(
      ApiModule.register({ config, databaseUrl: database.url, role: 'api', poolSize: 3, logDestination: destination }),
      { bodyParser: false, logger: false },
    );
    configureApp(app);
    await app.init();
    http = supertest.agent(app.getHttpServer());
  });
  afterAll(async () => {
    await app.close();
    await dropDatabase();
  });

  it('should log one line per request with request id, user, route, status and latency, and never a token', async () => {
    const login = await http.post('/api/v1/auth/dev/login').send({ email: 'logs@example.com' });
    const { access_token: accessToken, refresh_token: refreshToken } = login.body;
    const me = await http
      .get('/api/v1/users/me?token=secret-query-token')
      .set('Authorization', `Bearer ${accessToken}`);
    await http.post('/api/v1/auth/refresh').send({ refresh_token: refreshToken });

    const requestLine = lines.find(
      (line) => (line.req as { id?: string } | undefined)?.id === me.headers['x-request-id'],
    );
    expect(requestLine).toMatchObject({
      request_id: me.headers['x-request-id'],
      user_id: login.body.user.id,
      route: '/api/v1/users/me',
      res: { status: 200 },
      latency_ms: expect.any(Number),
    });
    const everything = JSON.stringify(lines);
    expect(everything).not.toContain(accessToken);
    expect(everything).not.toContain(refreshToken);
    expect(everything).not.toContain('secret-query-token');
  });
});
