import { createTestApp, TestApp } from '../support/test-app';

describe('operations endpoints (docs/api.md §17)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it.each(['/health/live', '/api/v1/health/live'])('should answer liveness at %s', async (path) => {
    const response = await t.http.get(path);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it.each(['/health/ready', '/api/v1/health/ready'])('should report readiness at %s', async (path) => {
    const response = await t.http.get(path);
    expect(response.status).toBe(200);
    expect(response.body.checks.database).toEqual({ status: 'ok' });
    expect(response.body.checks.migrations).toEqual({ status: 'ok' });
    expect(response.body.checks.configuration.status).toBe('ok');
    expect(response.body.checks.configuration.disabled).toContain('payments');
    // No runner heartbeat in this test database: informational only.
    expect(response.body.checks.job_runner.status).toBe('error');
    expect(response.body.status).toBe('degraded');
  });

  it('should report ok once a job runner heartbeat is fresh', async () => {
    await t.dataSource.query(
      "INSERT INTO job_runner_heartbeats (runner_id, started_at, last_seen_at) VALUES ('test:1', now(), now())",
    );
    const response = await t.http.get('/health/ready');
    expect(response.body.status).toBe('ok');
    expect(response.body.checks.job_runner).toEqual({ status: 'ok' });
  });

  it('should fail the configuration check for a partial VAPID set without failing readiness', async () => {
    const partial = await createTestApp({ VAPID_PUBLIC_KEY: 'abc' });
    try {
      const response = await partial.http.get('/health/ready');
      expect(response.status).toBe(200);
      expect(response.body.checks.configuration.status).toBe('error');
      expect(response.body.checks.configuration.message).toMatch(/VAPID/);
    } finally {
      await partial.close();
    }
  });

  it('should expose Prometheus metrics with route templates', async () => {
    await t.http.get('/api/v1/users/me');
    const response = await t.http.get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.text).toMatch(/http_requests_total\{method="GET",route="\/api\/v1\/users\/me",status="401"\} \d+/);
    expect(response.text).toContain('http_request_duration_seconds_bucket');
    expect(response.text).toContain('process_resident_memory_bytes');
  });

  it('should serve Swagger UI and an OpenAPI document listing the platform endpoints', async () => {
    const ui = await t.http.get('/docs/');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
    const document = await t.http.get('/docs-json');
    expect(document.status).toBe(200);
    const paths = Object.keys(document.body.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/google/callback',
        '/api/v1/auth/dev/login',
        '/api/v1/auth/refresh',
        '/api/v1/auth/logout',
        '/.well-known/jwks.json',
        '/api/v1/.well-known/jwks.json',
        '/api/v1/users/me',
        '/health/live',
        '/health/ready',
        '/api/v1/health/live',
        '/api/v1/health/ready',
        '/metrics',
      ]),
    );
    const patchMe = document.body.paths['/api/v1/users/me'].patch;
    expect(patchMe.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true })]),
    );
    expect(patchMe.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(patchMe.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '429']));
    expect(document.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});
