import { execFile } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { decodeProtectedHeader } from 'jose';
import webpush from 'web-push';
import { as, loginAs } from '../support/factories';
import { createTestApp } from '../support/test-app';
import { builtEntry } from '../jobs/processes';

const ROOT = join(__dirname, '..', '..');
const KEYS_SCRIPT = join(ROOT, 'dist', 'scripts', 'keys.js');
const API_MAIN = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(script: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [builtEntry(script), ...args],
      { cwd: options.cwd ?? ROOT, env: { PATH: process.env.PATH, ...options.env }, timeout: 20_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error.code as number | undefined) ?? null) : 0, stdout, stderr }),
    );
  });
}

describe('npm run keys (docs/configuration.md §1)', () => {
  let output: Run;
  let values: NodeJS.Dict<string>;

  beforeAll(async () => {
    output = await run(KEYS_SCRIPT, ['--vapid-subject=mailto:ops@example.com']);
    values = parseEnv(output.stdout);
  });

  it('prints every deployment secret in .env form that Node parses back', () => {
    expect(output.code).toBe(0);
    expect(Object.keys(values).sort()).toEqual([
      'CHECKOUT_WEBHOOK_SECRET',
      'JWT_PRIVATE_KEY',
      'JWT_PUBLIC_KEY',
      'VAPID_PRIVATE_KEY',
      'VAPID_PUBLIC_KEY',
      'VAPID_SUBJECT',
    ]);
    expect(values.JWT_PRIVATE_KEY).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----$/);
    expect(values.JWT_PUBLIC_KEY).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----$/);
    expect(values.VAPID_SUBJECT).toBe('mailto:ops@example.com');
    expect(values.CHECKOUT_WEBHOOK_SECRET).toMatch(/^[0-9a-f]{64}$/);
  });

  it('generates new keys on every run', async () => {
    const again = parseEnv((await run(KEYS_SCRIPT, [])).stdout);
    expect(again.JWT_PRIVATE_KEY).not.toBe(values.JWT_PRIVATE_KEY);
    expect(again.VAPID_PRIVATE_KEY).not.toBe(values.VAPID_PRIVATE_KEY);
    expect(again.VAPID_SUBJECT).toBeUndefined();
  });

  it('refuses an unknown argument', async () => {
    const bad = await run(KEYS_SCRIPT, ['--vapid-subject=ops']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^Unexpected argument --vapid-subject=ops/);
  });

  it('gives keys the API signs with, publishes and accepts, and VAPID keys Web Push accepts', async () => {
    const env = values as Record<string, string>;
    const app = await createTestApp(env);
    try {
      const { accessToken } = await loginAs(app);
      const me = await as(app, accessToken).get('/api/v1/users/me');
      expect(me.status).toBe(200);
      const jwks = await app.http.get('/.well-known/jwks.json');
      const { n, e } = createPublicKey(env.JWT_PUBLIC_KEY).export({ format: 'jwk' });
      expect(jwks.body.keys).toEqual([expect.objectContaining({ kid: decodeProtectedHeader(accessToken).kid, n, e })]);
      const vapid = await as(app, accessToken).get('/api/v1/notifications/vapid-public-key');
      expect(vapid.body).toEqual({ data: { enabled: true, public_key: env.VAPID_PUBLIC_KEY } });
      const ready = await app.http.get('/health/ready');
      expect(ready.body.checks.configuration.status).toBe('ok');
      expect(ready.body.checks.configuration.disabled).not.toContain('web_push');
      const headers = webpush.getVapidHeaders(
        'https://push.example.com',
        env.VAPID_SUBJECT,
        env.VAPID_PUBLIC_KEY,
        env.VAPID_PRIVATE_KEY,
        'aes128gcm',
      );
      expect(headers.Authorization).toMatch(/^vapid t=.+, k=/);
    } finally {
      await app.close();
    }
  });
});

describe('.env loading at the entry points (docs/configuration.md §1)', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'perpetua-env-'));
    writeFileSync(join(dir, '.env'), 'LOG_LEVEL=loud\nPORT=not-a-port\n');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads .env from the working directory without overriding variables already set', async () => {
    const result = await run(API_MAIN, [], { cwd: dir, env: { PORT: '3999' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/LOG_LEVEL: .*\(got "loud"\)/);
    expect(result.stderr).not.toMatch(/PORT:/);
  });

  it('ignores .env in a test process (NODE_ENV=test)', async () => {
    const result = await run(API_MAIN, [], { cwd: dir, env: { NODE_ENV: 'test', JOB_EXPIRE_SECONDS: '0' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/JOB_EXPIRE_SECONDS: /);
    expect(result.stderr).not.toMatch(/LOG_LEVEL|PORT:/);
  });
});
