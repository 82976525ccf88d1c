import type { LoggerService, LogLevel } from '@nestjs/common';

const LEVELS_BY_THRESHOLD: Record<string, LogLevel[]> = {
  silent: [],
  fatal: ['fatal'],
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  trace: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/**
 * JSON log lines on stderr, for `npm run job`, whose stdout carries only its one result line
 * (docs/jobs.md §3). `threshold` is a `LOG_LEVEL` value.
 */
export class StderrLogger implements LoggerService {
  private readonly levels: LogLevel[];

  constructor(threshold: string) {
    this.levels = LEVELS_BY_THRESHOLD[threshold] ?? LEVELS_BY_THRESHOLD.info;
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('log', message, rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('verbose', message, rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (!this.levels.includes(level)) return;
    // Nest appends the logger's context as the last argument.
    const context = rest.length > 1 && typeof rest[rest.length - 1] === 'string' ? rest[rest.length - 1] : undefined;
    const text = (context === undefined ? rest : rest.slice(0, -1)).find((item) => typeof item === 'string');
    const fields = typeof message === 'object' && message !== null ? (message as Record<string, unknown>) : { message };
    const line = {
      level,
      time: new Date().toISOString(),
      ...(context !== undefined ? { context } : {}),
      ...Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, plain(value)])),
      ...(text !== undefined && typeof message === 'object' ? { message: text } : {}),
    };
    process.stderr.write(`${JSON.stringify(line)}\n`);
  }
}

function plain(value: unknown): unknown {
  return value instanceof Error ? { type: value.name, message: value.message, stack: value.stack } : value;
}
