import { ForbiddenError, NotFoundError } from './domain-error';
import { owned } from './owned';

describe(owned.name, () => {
  const row = { id: 'n1', userId: 'u1' };

  it("should return the caller's row", () => {
    expect(owned(row, 'u1', 'Note')).toBe(row);
  });

  it('should answer 404 for no row and 403 for another user’s', () => {
    expect(() => owned(null, 'u1', 'Note')).toThrow(new NotFoundError('Note'));
    expect(() => owned(row, 'u2', 'Note')).toThrow(ForbiddenError);
  });
});
