import { ConfigError, loadConfig } from './app-config';
import { checkConfiguration } from './configuration-check';

describe('loadConfig', () => {
  it('should apply the defaults of docs/configuration.md §2 to an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      DATA_DIR: './.data',
      NODE_ENV: 'development',
      DB_MIGRATE_ON_START: true,
      JWT_ACCESS_EXPIRY_MINUTES: 15,
      JWT_REFRESH_EXPIRY_DAYS: 7,
      AUTH_DEV_LOGIN: false,
      OPENAI_MODEL: 'gpt-4-turbo',
      AI_TIMEOUT_SECONDS: 30,
      CHECKOUT_TIMEOUT_MS: 15_000,
      RATE_LIMIT_GENERAL: 100,
      RATE_LIMIT_AI: 20,
      RATE_LIMIT_AUTH: 10,
      KICKSTART_CREDITS: 5,
      MAX_CREDIT_PURCHASE_PER_MONTH: 500,
      ENABLE_VOICE_TRANSCRIPTION: true,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.corsOrigins).toEqual(['*']);
    expect(config.googleIssuers).toEqual(['accounts.google.com', 'https://accounts.google.com']);
  });

  it('should parse numbers, booleans and lists', () => {
    const config = loadConfig({
      PORT: '8080',
      AUTH_DEV_LOGIN: '1',
      GOOGLE_CLIENT_ID: 'a, b',
      CORS_ORIGINS: 'https://x.test',
    });
    expect(config.PORT).toBe(8080);
    expect(config.AUTH_DEV_LOGIN).toBe(true);
    expect(config.googleAudiences).toEqual(['a', 'b']);
    expect(config.corsOrigins).toEqual(['https://x.test']);
  });

  it('should treat a variable set to an empty string as unset (Docker Compose passes ${NAME:-})', () => {
    const config = loadConfig({ PORT: '', AUTH_DEV_LOGIN: ' ', GOOGLE_ISSUERS: '', DATABASE_URL: '' });
    expect(config.PORT).toBe(3000);
    expect(config.AUTH_DEV_LOGIN).toBe(false);
    expect(config.googleIssuers).toEqual(['accounts.google.com', 'https://accounts.google.com']);
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('should read the capacities, refusing values outside their bounds (docs/configuration.md §2.5)', () => {
    const defaults = loadConfig({});
    expect([
      defaults.DB_POOL_SIZE,
      defaults.RUNNER_DB_POOL_SIZE,
      defaults.JOB_QUEUE_POOL_SIZE,
      defaults.JOB_CONCURRENCY,
      defaults.REMINDER_BATCH_SIZE,
      defaults.REMINDER_LANES,
      defaults.ADMISSION_LIMIT,
      defaults.ADMISSION_QUEUE,
    ]).toEqual([20, 16, 4, 4, 500, 4, 128, 1024]);
    const set = loadConfig({ DB_POOL_SIZE: '40', JOB_CONCURRENCY: '8', REMINDER_LANES: '2' });
    expect([set.DB_POOL_SIZE, set.JOB_CONCURRENCY, set.REMINDER_LANES]).toEqual([40, 8, 2]);
    expect(() => loadConfig({ DB_POOL_SIZE: '1', JOB_QUEUE_POOL_SIZE: '0', REMINDER_BATCH_SIZE: 'many' })).toThrow(
      /DB_POOL_SIZE[\s\S]*JOB_QUEUE_POOL_SIZE[\s\S]*REMINDER_BATCH_SIZE/,
    );
  });

  it('should stop boot naming every bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', RATE_LIMIT_AI: '-1' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty', RATE_LIMIT_AI: '-1' })).toThrow(/PORT[\s\S]*RATE_LIMIT_AI/);
    expect(() => loadConfig({ OPENAI_BASE_URL: 'not a url' })).toThrow(/OPENAI_BASE_URL/);
  });

  it('should enforce the production rules of the runtime contract', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /PUBLIC_BASE_URL[\s\S]*JWT_PRIVATE_KEY[\s\S]*JWT_PUBLIC_KEY[\s\S]*DATABASE_URL/,
    );
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        JWT_PRIVATE_KEY: 'k',
        JWT_PUBLIC_KEY: 'k',
        DATABASE_URL: 'postgres://x',
        AUTH_DEV_LOGIN: 'true',
      }),
    ).toThrow(/AUTH_DEV_LOGIN/);
    const production = {
      NODE_ENV: 'production',
      JWT_PRIVATE_KEY: 'k',
      JWT_PUBLIC_KEY: 'k',
      DATABASE_URL: 'postgres://x',
      PUBLIC_BASE_URL: 'https://api.example.com',
    };
    expect(() => loadConfig({ ...production, PUBLIC_BASE_URL: 'http://api.example.com' })).toThrow(
      /PUBLIC_BASE_URL: must be an https:\/\/ URL/,
    );
    const config = loadConfig(production);
    expect(config.corsOrigins).toEqual([]);
  });

  it('should refuse a NODE_ENV other than development, test or production (no silent weak defaults)', () => {
    for (const value of ['staging', 'Production', 'prod']) {
      expect(() => loadConfig({ NODE_ENV: value })).toThrow(/NODE_ENV/);
    }
  });

  it('should read TRUST_PROXY as a hop count or a list of addresses/CIDRs, refusing anything else', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,2001:db8::1' }).trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
      '2001:db8::1',
    ]);
    expect(() => loadConfig({ TRUST_PROXY: 'lb.internal' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY/);
  });

  it('should derive the Checkout.com base URL from the key unless set', () => {
    expect(loadConfig({}).checkoutApiUrl).toBeUndefined();
    expect(loadConfig({ CHECKOUT_SECRET_KEY: 'sk_sbox_1' }).checkoutApiUrl).toBe('https://api.sandbox.checkout.com');
    expect(loadConfig({ CHECKOUT_SECRET_KEY: 'sk_1' }).checkoutApiUrl).toBe('https://api.checkout.com');
    expect(loadConfig({ CHECKOUT_SECRET_KEY: 'sk_1', CHECKOUT_API_URL: 'http://127.0.0.1:9/' }).checkoutApiUrl).toBe(
      'http://127.0.0.1:9',
    );
  });
});

describe('checkConfiguration', () => {
  it('should list unset integrations as disabled, not as problems', () => {
    const report = checkConfiguration(loadConfig({}));
    expect(report.problems).toEqual([]);
    expect(report.disabled).toEqual(
      expect.arrayContaining(['google_login', 'ai', 'voice_transcription', 'payments', 'redis', 'web_push']),
    );
  });

  it('should flag a partial VAPID set and a non-redis REDIS_URL', () => {
    const report = checkConfiguration(loadConfig({ VAPID_PUBLIC_KEY: 'p', REDIS_URL: 'http://x' }));
    expect(report.problems).toHaveLength(2);
  });
});
