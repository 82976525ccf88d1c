import { plainToInstance, Transform } from 'class-transformer';
import ipaddr from 'ipaddr.js';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toBool = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string'
    ? (({ true: true, '1': true, false: false, '0': false } as Record<string, boolean>)[value.toLowerCase()] ?? value)
    : value;
const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

const URL_OPTIONS = { require_tld: false, require_protocol: true };

/** Every environment variable of the runtime contract (docs/configuration.md §2), read once and validated before boot. */
export class AppConfig {
  @Transform(toInt) @IsInt() @Min(1) @Max(65535) PORT = 3000;
  @IsOptional() @IsString() DATABASE_URL?: string;
  @IsString() DATA_DIR = './.data';
  /** Hardening (SSRF policy, no dev login, no CORS `*`, HSTS) is off only for these two explicit values. */
  @IsIn(['development', 'test', 'production']) NODE_ENV = 'development';
  @Transform(toBool) @IsBoolean() DB_MIGRATE_ON_START = true;
  @Transform(toInt) @IsInt() @Min(1024) @Max(65535) EMBEDDED_PG_PORT = 54329;
  /** The job runner's operations port (`/metrics`, `/health/live`, `/health/ready`); unset = none. */
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(65535) RUNNER_HTTP_PORT?: number;
  /** `/metrics` only on this port (plain HTTP, no API), not on `PORT`; unset = on the API (docs/api.md §17). */
  @Transform(toInt) @IsOptional() @IsInt() @Min(1) @Max(65535) METRICS_PORT?: number;
  /** When set, `/metrics` answers only `Authorization: Bearer <METRICS_TOKEN>` (≥ 32 characters). */
  @IsOptional() @IsString() @MinLength(32) METRICS_TOKEN?: string;

  @IsOptional() @IsString() JWT_PRIVATE_KEY?: string;
  @IsOptional() @IsString() JWT_PUBLIC_KEY?: string;
  @IsOptional() @IsString() JWT_KEY_ID?: string;
  @IsOptional() @IsString() JWT_PREVIOUS_PUBLIC_KEYS?: string;
  @Transform(toInt) @IsInt() @Min(1) @Max(1440) JWT_ACCESS_EXPIRY_MINUTES = 15;
  @Transform(toInt) @IsInt() @Min(1) @Max(365) JWT_REFRESH_EXPIRY_DAYS = 7;

  @IsOptional() @IsString() GOOGLE_CLIENT_ID?: string;
  @IsUrl(URL_OPTIONS) GOOGLE_JWKS_URL = 'https://www.googleapis.com/oauth2/v3/certs';
  @IsString() GOOGLE_ISSUERS = 'accounts.google.com,https://accounts.google.com';
  @Transform(toBool) @IsBoolean() AUTH_DEV_LOGIN = false;

  @IsOptional() @IsString() OPENAI_API_KEY?: string;
  @IsUrl(URL_OPTIONS) OPENAI_BASE_URL = 'https://api.openai.com/v1';
  @IsString() OPENAI_MODEL = 'gpt-4-turbo';
  @Transform(toInt) @IsInt() @Min(1) @Max(600) AI_TIMEOUT_SECONDS = 30;

  @IsOptional() @IsString() DEEPGRAM_API_KEY?: string;
  @IsUrl(URL_OPTIONS) DEEPGRAM_URL = 'https://api.deepgram.com';

  @IsOptional() @IsString() CHECKOUT_SECRET_KEY?: string;
  @IsOptional() @IsString() CHECKOUT_WEBHOOK_SECRET?: string;
  @IsOptional() @IsUrl(URL_OPTIONS) CHECKOUT_API_URL?: string;
  @Transform(toInt) @IsInt() @Min(100) @Max(60_000) CHECKOUT_TIMEOUT_MS = 15_000;

  @Transform(toInt) @IsInt() @Min(1) RATE_LIMIT_GENERAL = 100;
  @Transform(toInt) @IsInt() @Min(1) RATE_LIMIT_AI = 20;
  @Transform(toInt) @IsInt() @Min(1) RATE_LIMIT_AUTH = 10;
  @IsOptional() @IsString() REDIS_URL?: string;
  /** Proxies in front of the API (docs/api.md §1.12): a hop count or comma-separated addresses/CIDRs. */
  @IsOptional() @IsString() TRUST_PROXY?: string;
  /** The API's public origin for every absolute URL it hands out (docs/configuration.md §2). */
  @IsOptional()
  @IsUrl({ ...URL_OPTIONS, protocols: ['http', 'https'] })
  PUBLIC_BASE_URL?: string;

  @IsOptional() @IsString() VAPID_PUBLIC_KEY?: string;
  @IsOptional() @IsString() VAPID_PRIVATE_KEY?: string;
  @IsOptional() @IsString() VAPID_SUBJECT?: string;
  /** Optional PEM file of extra CA certificates trusted for https push endpoints (tests: a self-signed push service). */
  @IsOptional() @IsString() PUSH_CA_CERT_FILE?: string;

  @Transform(toInt) @IsInt() @Min(0) AI_CREDIT_CHAT = 1;
  @Transform(toInt) @IsInt() @Min(0) AI_CREDIT_SUBTASK = 1;
  @Transform(toInt) @IsInt() @Min(0) AI_CREDIT_CONVERSION = 1;
  @Transform(toInt) @IsInt() @Min(0) AI_CREDIT_TRANSCRIPTION_PER_MIN = 5;
  @Transform(toInt) @IsInt() @Min(0) KICKSTART_CREDITS = 5;
  @Transform(toInt) @IsInt() @Min(0) PRO_DAILY_CREDITS = 10;
  @Transform(toInt) @IsInt() @Min(0) PRO_MONTHLY_CREDITS = 100;
  @Transform(toInt) @IsInt() @Min(0) MAX_CREDIT_CARRYOVER = 50;
  @Transform(toInt) @IsInt() @Min(0) MAX_CREDIT_PURCHASE_PER_MONTH = 500;
  @Transform(toBool) @IsBoolean() ENABLE_VOICE_TRANSCRIPTION = true;
  /** API requests worked on at once, requests that may wait, body read budget (docs/admission-gate.md). */
  @Transform(toInt) @IsInt() @Min(1) ADMISSION_LIMIT = 128;
  @Transform(toInt) @IsInt() @Min(0) ADMISSION_QUEUE = 1024;
  @Transform(toInt) @IsInt() @Min(100) BODY_READ_TIMEOUT_MS = 10_000;
  /** PostgreSQL connections of each API process, each job runner, and pg-boss in each process (docs/configuration.md §2.5). */
  @Transform(toInt) @IsInt() @Min(2) @Max(1000) DB_POOL_SIZE = 20;
  @Transform(toInt) @IsInt() @Min(2) @Max(1000) RUNNER_DB_POOL_SIZE = 16;
  @Transform(toInt) @IsInt() @Min(1) @Max(100) JOB_QUEUE_POOL_SIZE = 4;
  /** Queued jobs one runner works on at once (docs/jobs.md §1). */
  @Transform(toInt) @IsInt() @Min(1) @Max(256) JOB_CONCURRENCY = 4;
  /** Reminders locked per firing batch, and batches one runner fires at once (docs/jobs.md §4). */
  @Transform(toInt) @IsInt() @Min(1) @Max(10_000) REMINDER_BATCH_SIZE = 500;
  @Transform(toInt) @IsInt() @Min(1) @Max(64) REMINDER_LANES = 4;
  /** Seconds between heartbeats on an idle event stream (docs/events.md §2). */
  @Transform(toInt) @IsInt() @Min(1) EVENT_STREAM_HEARTBEAT_SECONDS = 15;
  @IsOptional() @IsString() CORS_ORIGINS?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL = 'info';
  /** OTLP receiver of traces; unset = tracing off (docs/configuration.md §2.7). Read by the SDK itself, validated here. */
  @IsOptional() @IsUrl({ ...URL_OPTIONS, protocols: ['http', 'https'] }) OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  @IsOptional() @IsString() OTEL_SERVICE_NAME?: string;

  /** Seconds after which a job claimed by a runner that died returns to pending (docs/jobs.md §2). */
  @Transform(toInt) @IsInt() @Min(1) @Max(86_400) JOB_EXPIRE_SECONDS = 600;
  /** Items (users, lots, reservations) per batch of a set-based scheduled job (docs/jobs-batches.md). */
  @Transform(toInt) @IsInt() @Min(1) @Max(100_000) JOB_BATCH_SIZE = 5000;

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }

  /**
   * Express's `trust proxy` value: false (the TCP peer is the client) unless `TRUST_PROXY` is a
   * hop count or a list of addresses/CIDRs (proxy-addr's names loopback/linklocal/uniquelocal too).
   */
  get trustProxy(): false | number | string[] {
    if (this.TRUST_PROXY === undefined) return false;
    if (/^\d+$/.test(this.TRUST_PROXY.trim())) return Number(this.TRUST_PROXY.trim());
    return splitList(this.TRUST_PROXY);
  }

  /** `PUBLIC_BASE_URL` without a trailing slash; undefined when unset (development: the request's origin). */
  get publicBaseUrl(): string | undefined {
    return this.PUBLIC_BASE_URL?.replace(/\/+$/, '');
  }

  get googleAudiences(): string[] {
    return splitList(this.GOOGLE_CLIENT_ID);
  }

  get googleIssuers(): string[] {
    return splitList(this.GOOGLE_ISSUERS);
  }

  /** `*` outside production unless set; an empty list (same-origin only) in production. */
  get corsOrigins(): string[] {
    if (this.CORS_ORIGINS !== undefined) return splitList(this.CORS_ORIGINS);
    return this.isProduction ? [] : ['*'];
  }

  get checkoutApiUrl(): string | undefined {
    if (this.CHECKOUT_API_URL) return this.CHECKOUT_API_URL.replace(/\/+$/, '');
    if (!this.CHECKOUT_SECRET_KEY) return undefined;
    return this.CHECKOUT_SECRET_KEY.startsWith('sk_sbox_')
      ? 'https://api.sandbox.checkout.com'
      : 'https://api.checkout.com';
  }
}

export class ConfigError extends Error {}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

function isProxyAddress(entry: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  return entry.includes('/') ? ipaddr.isValidCIDR(entry) : ipaddr.isValid(entry);
}

/**
 * Reads and validates the environment; throws a ConfigError naming every bad variable. A variable
 * set to an empty string counts as unset (its default), as Docker Compose passes `${NAME:-}`.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(new AppConfig());
  const raw: Record<string, string> = {};
  for (const key of known) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') raw[key] = value;
  }
  const config = plainToInstance(AppConfig, raw);
  const errors = validateSync(config, { forbidUnknownValues: false });
  const problems = errors.map((e) => {
    const reasons = Object.values(e.constraints ?? {}).join('; ');
    return `${e.property}: ${reasons} (got ${JSON.stringify(e.value)})`;
  });
  const trusted = config.trustProxy;
  const badProxy = Array.isArray(trusted) ? trusted.find((entry) => !isProxyAddress(entry)) : undefined;
  if (badProxy !== undefined) {
    problems.push(
      `TRUST_PROXY: "${badProxy}" is not a hop count, an address, a CIDR or loopback/linklocal/uniquelocal`,
    );
  }
  if (config.METRICS_PORT !== undefined && config.METRICS_PORT === config.PORT) {
    problems.push('METRICS_PORT: must differ from PORT (unset it to serve /metrics on the API)');
  }
  if (config.isProduction) {
    if (!config.PUBLIC_BASE_URL) problems.push('PUBLIC_BASE_URL: required when NODE_ENV=production');
    else if (!config.PUBLIC_BASE_URL.startsWith('https://')) {
      problems.push('PUBLIC_BASE_URL: must be an https:// URL when NODE_ENV=production');
    }
    if (!config.JWT_PRIVATE_KEY) problems.push('JWT_PRIVATE_KEY: required when NODE_ENV=production');
    if (!config.JWT_PUBLIC_KEY) problems.push('JWT_PUBLIC_KEY: required when NODE_ENV=production');
    if (!config.DATABASE_URL) problems.push('DATABASE_URL: required when NODE_ENV=production');
    if (config.AUTH_DEV_LOGIN) problems.push('AUTH_DEV_LOGIN: must not be true when NODE_ENV=production');
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration, fix these environment variables:\n  ${problems.join('\n  ')}`);
  }
  return config;
}
