import { createTestApp, TestApp } from '../support/test-app';

/** Content type each kind of asset the Swagger UI page references must be served with. */
const CONTENT_TYPES: Record<string, RegExp> = {
  css: /^text\/css; charset=utf-8$/,
  js: /^(text|application)\/javascript; charset=utf-8$/,
  png: /^image\/png$/,
};

/** The `href`/`src` of every stylesheet, icon and script the page loads, resolved against the page URL. */
function referencedAssets(html: string, pageUrl: string): string[] {
  const references = [...html.matchAll(/<(?:link|script)\b[^>]*\b(?:href|src)=['"]([^'"]+)['"]/g)].map(
    (match) => new URL(match[1], pageUrl).pathname,
  );
  return [...new Set(references)].sort();
}

describe('Swagger UI at /docs (docs/api.md §17)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it.each(['/docs', '/docs/'])(
    'should serve every asset the page at %s references, with its content type',
    async (page) => {
      const html = await t.http.get(page);
      expect(html.status).toBe(200);
      expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
      const assets = referencedAssets(html.text, `http://127.0.0.1${page}`);
      expect(assets).toEqual([
        '/docs/favicon-16x16.png',
        '/docs/favicon-32x32.png',
        '/docs/swagger-ui-bundle.js',
        '/docs/swagger-ui-init.js',
        '/docs/swagger-ui-standalone-preset.js',
        '/docs/swagger-ui.css',
      ]);
      for (const asset of assets) {
        const response = await t.http.get(asset);
        expect({ asset, status: response.status }).toEqual({ asset, status: 200 });
        expect(response.headers['content-type']).toMatch(CONTENT_TYPES[asset.split('.').pop()!]);
        expect(Number(response.headers['content-length'] ?? response.text?.length)).toBeGreaterThan(0);
        expect(response.headers['x-request-id']).toEqual(expect.any(String));
      }
    },
  );

  it('should answer HEAD on an asset like GET without a body', async () => {
    const response = await t.http.head('/docs/swagger-ui.css');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(response.text).toBeUndefined();
  });

  it('should answer 404 with the error envelope for a file the UI does not have', async () => {
    const response = await t.http.get('/docs/no-such-asset.js');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      error: { code: 'NOT_FOUND', message: expect.any(String), request_id: response.headers['x-request-id'] },
    });
  });

  it('should answer 404 for a write to an asset: a static file answers reads only', async () => {
    const response = await t.http.post('/docs/swagger-ui.css');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('NOT_FOUND');
  });
});
