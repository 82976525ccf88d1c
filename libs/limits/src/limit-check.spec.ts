import { LimitExceededError } from '@app/core/errors/domain-error';
import { assertWithinLimit } from './limit-check';

describe(assertWithinLimit.name, () => {
  it('should allow reaching the limit exactly', () => {
    expect(() => assertWithinLimit(3, 2, 5, 'Too many')).not.toThrow();
  });

  it('should refuse going past it with the limit and the count before the request', () => {
    expect(() => assertWithinLimit(4, 2, 5, 'Too many')).toThrow(
      expect.objectContaining({
        constructor: LimitExceededError,
        code: 'LIMIT_EXCEEDED',
        extra: { limit: 5, current: 4 },
      }),
    );
  });
});
