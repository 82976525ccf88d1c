import { NotFoundException } from '@nestjs/common';
import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { DomainError, LimitExceededError, ValidationError } from './domain-error';
import { toDomainError, toErrorEnvelope } from './error-envelope';

describe('error envelope', () => {
  it('should put extra members beside code and message, and the request id last', () => {
    const envelope = toErrorEnvelope(new LimitExceededError('Too many tasks', 50, 50), 'req-1');
    expect(envelope).toEqual({
      error: { code: 'LIMIT_EXCEEDED', message: 'Too many tasks', limit: 50, current: 50, request_id: 'req-1' },
    });
  });

  it('should keep validation details', () => {
    const envelope = toErrorEnvelope(ValidationError.field('title', 'must not be empty'), 'r');
    expect(envelope.error.details).toEqual([{ field: 'title', message: 'must not be empty' }]);
  });

  it('should map unknown errors to 500 without leaking internals', () => {
    const error = toDomainError(new Error('secret stack detail'));
    expect(error).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
    expect(error.message).not.toContain('secret');
  });

  it('should map a lost database connection to 503 SERVICE_UNAVAILABLE', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(toDomainError(refused)).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(toDomainError(new Error('Connection terminated unexpectedly'))).toMatchObject({ status: 503 });
    expect(toDomainError(new QueryRunnerAlreadyReleasedError())).toMatchObject({ status: 503 });
    expect(toDomainError(new QueryRunnerProviderAlreadyReleasedError())).toMatchObject({ status: 503 });
  });

  it('should keep domain errors and translate Nest HTTP exceptions', () => {
    const domain = new DomainError('INSUFFICIENT_CREDITS', 'Not enough credits');
    expect(toDomainError(domain)).toBe(domain);
    expect(toDomainError(new NotFoundException())).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });
});
