import { isStoredOutcome } from './stored-response';
import { IdempotencyService } from './idempotency.service';

describe('idempotency rules', () => {
  it('should store 2xx and 4xx outcomes except the ones docs/api.md §1.10 excludes', () => {
    expect(isStoredOutcome(200)).toBe(true);
    expect(isStoredOutcome(201)).toBe(true);
    expect(isStoredOutcome(404)).toBe(true);
    expect(isStoredOutcome(409, 'CONFLICT')).toBe(true);
    for (const status of [400, 401, 413, 415, 429, 500, 503]) expect(isStoredOutcome(status)).toBe(false);
    expect(isStoredOutcome(409, 'IDEMPOTENCY_CONFLICT')).toBe(false);
    expect(isStoredOutcome(409, 'IDEMPOTENCY_IN_PROGRESS')).toBe(false);
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
