import { isNotModified, nextLastModified } from './http-conditions';

describe(isNotModified.name, () => {
  const etag = '"abc"';
  const lastModified = new Date('2026-01-19T10:30:00.000Z');

  it.each([
    ['the same tag', '"abc"', true],
    ['a weak form of the tag', 'W/"abc"', true],
    ['a list holding the tag', '"x", "abc"', true],
    ['*', '*', true],
    ['another tag', '"xyz"', false],
  ])('should compare If-None-Match with %s', (_case, header, expected) => {
    expect(isNotModified({ ifNoneMatch: header }, etag, lastModified)).toBe(expected);
  });

  it('should ignore If-Modified-Since when If-None-Match is present', () => {
    expect(
      isNotModified({ ifNoneMatch: '"old"', ifModifiedSince: 'Mon, 19 Jan 2026 10:30:00 GMT' }, etag, lastModified),
    ).toBe(false);
  });

  it.each([
    ['at', 'Mon, 19 Jan 2026 10:30:00 GMT', true],
    ['after', 'Mon, 19 Jan 2026 11:00:00 GMT', true],
    ['before', 'Mon, 19 Jan 2026 10:29:59 GMT', false],
    ['unparsable', 'yesterday-ish', false],
  ])('should answer If-Modified-Since %s Last-Modified', (_case, header, expected) => {
    expect(isNotModified({ ifModifiedSince: header }, etag, lastModified)).toBe(expected);
  });

  it('should be modified without conditions', () => {
    expect(isNotModified({}, etag, lastModified)).toBe(false);
  });
});

describe(nextLastModified.name, () => {
  it('should truncate to whole seconds', () => {
    expect(nextLastModified(new Date('2026-01-19T10:30:00.900Z'), null)).toEqual(new Date('2026-01-19T10:30:00.000Z'));
  });

  it('should stay strictly after the previous value within the same second', () => {
    const previous = new Date('2026-01-19T10:30:00.000Z');
    expect(nextLastModified(new Date('2026-01-19T10:30:00.400Z'), previous)).toEqual(
      new Date('2026-01-19T10:30:01.000Z'),
    );
    expect(nextLastModified(new Date('2026-01-19T10:31:00.400Z'), previous)).toEqual(
      new Date('2026-01-19T10:31:00.000Z'),
    );
  });
});
