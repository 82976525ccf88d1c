import { DomainError } from '../errors/domain-error';
import { MAX_JSON_DEPTH, parseBody } from './json-body';

describe('parseBody', () => {
  const json = 'application/json';

  it('should read an empty body as an empty object whatever the content type', () => {
    expect(parseBody(Buffer.from(''), undefined)).toEqual({});
    expect(parseBody(Buffer.from('  '), json)).toEqual({});
  });

  it('should parse a JSON object', () => {
    expect(parseBody(Buffer.from('{"a":1}'), 'application/json; charset=utf-8')).toEqual({ a: 1 });
    expect(parseBody(Buffer.from('{"a":1}'), 'application/merge-patch+json')).toEqual({ a: 1 });
  });

  it.each([
    ['{"a":', json, 400, 'VALIDATION_ERROR'],
    ['[1]', json, 400, 'VALIDATION_ERROR'],
    ['null', json, 400, 'VALIDATION_ERROR'],
    ['"text"', json, 400, 'VALIDATION_ERROR'],
    ['{"a":1}', 'text/plain', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['{"a":1}', undefined, 415, 'UNSUPPORTED_MEDIA_TYPE'],
  ])('should reject %s (%s) with %i %s', (body, type, status, code) => {
    const result = parseBody(Buffer.from(body), type);
    expect(result).toBeInstanceOf(DomainError);
    expect(result).toMatchObject({ status, code });
  });

  it('should name the field holding U+0000 or an unpaired surrogate', () => {
    expect(parseBody(Buffer.from('{"a":{"b":"x\\u0000"}}'), json)).toMatchObject({ details: [{ field: 'a.b' }] });
    expect(parseBody(Buffer.from('{"list":["ok","\\ud800"]}'), json)).toMatchObject({ details: [{ field: 'list.1' }] });
    expect(parseBody(Buffer.from('{"emoji":"\\ud83d\\ude00"}'), json)).toEqual({ emoji: '😀' });
  });

  it('should reject bodies nested deeper than the limit without exhausting the stack', () => {
    const nested = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    expect(parseBody(Buffer.from(nested(MAX_JSON_DEPTH)), json)).not.toBeInstanceOf(DomainError);
    expect(parseBody(Buffer.from(nested(MAX_JSON_DEPTH + 1)), json)).toMatchObject({
      status: 400,
      code: 'VALIDATION_ERROR',
      details: [{ field: Array(MAX_JSON_DEPTH).fill('a').join('.') }],
    });
    expect(parseBody(Buffer.from(nested(100_000)), json)).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
    expect(parseBody(Buffer.from(`{"list":${'['.repeat(50_000)}${']'.repeat(50_000)}}`), json)).toMatchObject({
      status: 400,
    });
  });
});
