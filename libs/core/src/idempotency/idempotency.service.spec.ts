import { IdempotencyService } from './idempotency.service';

describe(IdempotencyService.name, () => {
  it('should store 2xx and 4xx outcomes except the ones docs/api.md §1.10 excludes', () => {
    expect(IdempotencyService.isStored(200)).toBe(true);
    expect(IdempotencyService.isStored(201)).toBe(true);
    expect(IdempotencyService.isStored(404)).toBe(true);
    expect(IdempotencyService.isStored(409, 'CONFLICT')).toBe(true);
    for (const status of [400, 401, 413, 415, 429, 500, 503]) expect(IdempotencyService.isStored(status)).toBe(false);
    expect(IdempotencyService.isStored(409, 'IDEMPOTENCY_CONFLICT')).toBe(false);
    expect(IdempotencyService.isStored(409, 'IDEMPOTENCY_IN_PROGRESS')).toBe(false);
  });

  it('should fingerprint the raw body with SHA-256', () => {
    expect(IdempotencyService.fingerprint(Buffer.from(''))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('should keep paths that fit the column and shorten longer ones to a unique 500-character form', () => {
    expect(IdempotencyService.storedPath('/api/v1/tasks?x=1')).toBe('/api/v1/tasks?x=1');
    const long = `/api/v1/tasks/${'x'.repeat(5000)}`;
    const stored = IdempotencyService.storedPath(long);
    expect(stored).toHaveLength(500);
    expect(stored.startsWith('/api/v1/tasks/xxx')).toBe(true);
    expect(IdempotencyService.storedPath(long)).toBe(stored);
    expect(IdempotencyService.storedPath(`${long}y`)).not.toBe(stored);
  });
});
