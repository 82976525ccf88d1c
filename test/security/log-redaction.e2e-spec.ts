import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import supertest from 'supertest';
import { DataSource } from 'typeorm';
import { loadConfig } from '@app/core/config/app-config';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureApp } from '../../apps/api/src/http/configure-app';
import {
  FakeCheckout,
  paymentEvent,
  postWebhook,
  proCaptured,
  signWebhook,
  startFakeCheckout,
} from '../support/fake-checkout';
import { FakeDeepgram, startFakeDeepgram } from '../support/fake-deepgram';
import { FakeGoogle, startFakeGoogle } from '../support/fake-google';
import { FakeOpenAi, startFakeOpenAi } from '../support/fake-openai';
import { baseTestEnv, createTestDatabase, TestApp } from '../support/test-app';

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
    const feed = await http
      .post('/api/v1/calendar-feed')
      .set('Authorization', `Bearer ${accessToken}`)
      .set('Idempotency-Key', randomUUID());
    const feedToken: string = feed.body.data.token;
    await http.get(`/api/v1/calendar-feed/${feedToken}.ics`);
    await http.get('/api/v1/tasks?search=private-search-text&limit=5').set('Authorization', `Bearer ${accessToken}`);

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
    expect(everything).not.toContain(feedToken);
    expect(everything).not.toContain('private-search-text');
    expect(everything).toContain('/api/v1/calendar-feed/[redacted].ics');
  });

  it('should log an unknown error without the SQL text or its bound parameters', async () => {
    const login = await http.post('/api/v1/auth/dev/login').send({ email: 'sql-logs@example.com' });
    const userId: string = login.body.user.id;
    const dataSource = app.get(DataSource);
    await dataSource.query('ALTER TABLE notes RENAME TO notes_elsewhere');
    let requestId: string;
    try {
      const failed = await http.get('/api/v1/notes').set('Authorization', `Bearer ${login.body.access_token}`);
      expect(failed.status).toBe(500);
      requestId = failed.headers['x-request-id'];
    } finally {
      await dataSource.query('ALTER TABLE notes_elsewhere RENAME TO notes');
    }
    const errorLine = lines.find((line) => line.message === 'request failed' && JSON.stringify(line).includes('notes'));
    expect(errorLine).toMatchObject({ err: { name: 'QueryFailedError', message: expect.stringContaining('notes') } });
    const logged = JSON.stringify(errorLine);
    expect(logged).not.toMatch(/"query"|"parameters"|SELECT /);
    expect(logged).not.toContain(userId);
    expect(JSON.stringify(lines.filter((line) => line.err))).not.toMatch(/"query"|"parameters"|SELECT /);
    expect(requestId).toEqual(expect.any(String));
  });
});

describe('structured logs never carry secrets', () => {
  const OPENAI_KEY = 'sk-live-never-log-this-0123456789';
  const lines: string[] = [];
  let app: NestExpressApplication;
  let http: supertest.Agent;
  let dropDatabase: () => Promise<void>;
  let openAi: FakeOpenAi;
  let google: FakeGoogle;
  let checkout: FakeCheckout;
  let deepgram: FakeDeepgram;

  beforeAll(async () => {
    [openAi, google, checkout, deepgram] = await Promise.all([
      startFakeOpenAi(),
      startFakeGoogle(),
      startFakeCheckout(),
      startFakeDeepgram('dg-never-log-this-0123456789'),
    ]);
    deepgram.prerecordedMode = 'error';
    const database = await createTestDatabase();
    dropDatabase = database.drop;
    const config = loadConfig({
      ...baseTestEnv(),
      ...google.env(),
      ...checkout.env(),
      OPENAI_API_KEY: OPENAI_KEY,
      OPENAI_BASE_URL: openAi.url,
      DEEPGRAM_API_KEY: deepgram.apiKey,
      DEEPGRAM_URL: deepgram.url,
      LOG_LEVEL: 'trace',
      DATABASE_URL: database.url,
    });
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
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
    await Promise.all([openAi.close(), google.close(), checkout.close(), deepgram.close()]);
  });

  it('should log neither Google ID tokens, webhook signatures and secrets, nor provider keys, also on failures', async () => {
    const idToken = await google.mint();
    const login = await http.post('/api/v1/auth/google/callback').send({ id_token: idToken });
    expect(login.status).toBe(200);
    const forged = `${idToken.slice(0, -8)}AAAAAAAA`;
    expect((await http.post('/api/v1/auth/google/callback').send({ id_token: forged })).status).toBe(401);

    const event = JSON.stringify(
      paymentEvent({ metadata: { user_id: login.body.user.id, purpose: 'credit_purchase', credits: 10 } }),
    );
    const signature = signWebhook(event, checkout.webhookSecret);
    const accepted = await postWebhook({ http } as unknown as TestApp, event, checkout.webhookSecret);
    expect(accepted.status).toBe(200);
    const wrong = await http
      .post('/api/v1/webhooks/checkout')
      .set('Content-Type', 'application/json')
      .set('Cko-Signature', `${signature.slice(0, -4)}beef`)
      .send(event);
    expect(wrong.status).toBe(401);

    const token = login.body.access_token as string;
    const chat = (): supertest.Test =>
      http
        .post('/api/v1/ai/chat')
        .set('Authorization', `Bearer ${token}`)
        .set('Idempotency-Key', randomUUID())
        .send({ message: 'Hello' });
    expect((await chat()).status).toBe(200);
    openAi.mode = 'error';
    expect((await chat()).status).toBe(503);
    openAi.mode = 'malformed';
    expect((await chat()).status).toBe(503);
    // Pro through its real path: a captured first payment.
    const pro = await postWebhook(
      { http } as unknown as TestApp,
      proCaptured(login.body.user.id),
      checkout.webhookSecret,
    );
    expect(pro.body).toEqual({ status: 'ok', processed: true });
    const transcription = await http
      .post('/api/v1/ai/transcribe')
      .set('Authorization', `Bearer ${token}`)
      .set('Idempotency-Key', randomUUID())
      .send({ audio_url: 'https://cdn.example.com/a.webm', duration_seconds: 5 });
    expect([transcription.status, transcription.body.error?.code]).toEqual([503, 'TRANSCRIPTION_SERVICE_UNAVAILABLE']);

    expect(openAi.requests[0].authorization).toBe(`Bearer ${OPENAI_KEY}`);
    const everything = lines.join('');
    expect(everything.length).toBeGreaterThan(0);
    for (const secret of [
      idToken,
      idToken.split('.')[2],
      forged.split('.')[2],
      signature,
      checkout.webhookSecret,
      checkout.secretKey,
      OPENAI_KEY,
      deepgram.apiKey,
      token,
      login.body.refresh_token as string,
    ]) {
      expect(everything).not.toContain(secret);
    }
  });
});
