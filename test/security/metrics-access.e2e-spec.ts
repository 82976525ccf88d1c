import { expectError } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';
import { freePort } from '../support/test-database';

const TOKEN = 'metrics-token-0123456789abcdef0123456789';

/** docs/api.md §17: `/metrics` behind a bearer token (`METRICS_TOKEN`) or on its own port (`METRICS_PORT`). */
describe('/metrics exposure', () => {
  describe('behind METRICS_TOKEN', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp({ METRICS_TOKEN: TOKEN });
    });

    afterAll(() => t.close());

    it.each([
      ['no Authorization header', undefined],
      ['a wrong token', `Bearer ${TOKEN}x`],
      ['the token without the Bearer scheme', TOKEN],
      ['an empty bearer', 'Bearer '],
    ])('should answer 401 with %s', async (_case, authorization) => {
      const request = t.http.get('/metrics');
      if (authorization !== undefined) request.set('Authorization', authorization);
      const response = await request;

      expectError(response, 401, 'UNAUTHORIZED');
      expect(response.text).not.toContain('http_requests_total');
    });

    it('should serve the metrics to the bearer of the token', async () => {
      const response = await t.http.get('/metrics').set('Authorization', `bearer ${TOKEN}`);

      expect(response.status).toBe(200);
      expect(response.text).toContain('http_requests_total');
    });
  });

  describe('on METRICS_PORT', () => {
    let t: TestApp;
    let metricsUrl: string;

    beforeAll(async () => {
      const port = await freePort();
      metricsUrl = `http://127.0.0.1:${port}/metrics`;
      t = await createTestApp({ METRICS_PORT: String(port), METRICS_TOKEN: TOKEN });
    });

    afterAll(() => t.close());

    it('should not serve /metrics on the API port', async () => {
      expectError(await t.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`), 404, 'NOT_FOUND');
    });

    it('should serve the metrics on the metrics port to the bearer of the token only', async () => {
      await t.http.get('/health/live');

      const anonymous = await fetch(metricsUrl);
      const authorized = await fetch(metricsUrl, { headers: { Authorization: `Bearer ${TOKEN}` } });

      expect(anonymous.status).toBe(401);
      expect(await anonymous.text()).not.toContain('http_requests_total');
      expect(authorized.status).toBe(200);
      expect(authorized.headers.get('content-type')).toContain('text/plain');
      expect(await authorized.text()).toMatch(
        /http_requests_total\{method="GET",route="\/health\/live",status="200"\} 1/,
      );
    });

    it('should serve nothing else on the metrics port', async () => {
      const other = await fetch(metricsUrl.replace('/metrics', '/api/v1/users/me'));
      const post = await fetch(metricsUrl, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } });

      expect(other.status).toBe(404);
      expect(post.status).toBe(405);
    });
  });
});
