import { ApiErrors, codesNamedIn, errorResponseSchema } from './error-response.dto';

describe('error responses in the OpenAPI document (docs/api.md §1.8)', () => {
  it('should read the codes of the status a description names, and no others', () => {
    expect(codesNamedIn(409, 'ARCHIVED or LIMIT_EXCEEDED (5 per task, fired and skipped included)')).toEqual([
      'LIMIT_EXCEEDED',
      'ARCHIVED',
    ]);
    expect(codesNamedIn(403, 'TIER_REQUIRED or FORBIDDEN (note_id)')).toEqual(['FORBIDDEN', 'TIER_REQUIRED']);
    expect(codesNamedIn(429, 'RATE_LIMIT_EXCEEDED or NOT_FOUND')).toEqual(['RATE_LIMIT_EXCEEDED']);
  });

  it('should refuse a documented error whose description names no code of its status', () => {
    expect(() => ApiErrors([409, 'CONFLICTED state'])).toThrow('"CONFLICTED state" names no 409 code of ERROR_CODES');
    expect(() => ApiErrors([404, 'ARCHIVED'])).toThrow('names no 404 code');
  });

  it('should narrow the envelope to the codes, over ErrorResponseDto unless told otherwise', () => {
    expect(errorResponseSchema(['NOT_FOUND'])).toEqual({
      allOf: [
        { $ref: '#/components/schemas/ErrorResponseDto' },
        {
          type: 'object',
          properties: { error: { type: 'object', properties: { code: { type: 'string', enum: ['NOT_FOUND'] } } } },
        },
      ],
    });
    expect(errorResponseSchema(['CONFLICT'], '#/components/schemas/TaskConflictResponseDto')).toMatchObject({
      allOf: [{ $ref: '#/components/schemas/TaskConflictResponseDto' }, {}],
    });
  });
});
