import { isJobName } from './job-catalogue';
import { dedupeJobId } from './job-queue.service';

describe('isJobName', () => {
  it('should know the catalogue names only', () => {
    expect(isJobName('reminder_fire')).toBe(true);
    expect(isJobName('toString')).toBe(false);
    expect(isJobName('nope')).toBe(false);
  });
});

describe('dedupeJobId', () => {
  it('should derive the same well-formed UUID from the same job and key', () => {
    const id = dedupeJobId('credit_expire', 'credit_expire:2026-01-20T00:00:00.000Z');
    expect(id).toBe(dedupeJobId('credit_expire', 'credit_expire:2026-01-20T00:00:00.000Z'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('should differ between keys and between jobs', () => {
    const id = dedupeJobId('push_deliver', 'push:a:b');
    expect(dedupeJobId('push_deliver', 'push:a:c')).not.toBe(id);
    expect(dedupeJobId('recurring_task_generate', 'push:a:b')).not.toBe(id);
  });
});
