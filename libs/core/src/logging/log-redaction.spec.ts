import { CENSOR, fieldsRedactor, redactSerialized } from './log-redaction';

describe('log redaction', () => {
  const redact = fieldsRedactor(['req', 'err']);

  it('should censor credentials at the top of a line and one level down, copying what it changes', () => {
    const body = { title: 'x', password: 'hunter2', apiKey: 'k', nested: { token: 'deeper stays' } };
    const fields = { token: 't', access_token: 'a', refresh_token: 'r', id_token: 'i', body, count: 3 };

    expect(redact(fields)).toEqual({
      token: CENSOR,
      access_token: CENSOR,
      refresh_token: CENSOR,
      id_token: CENSOR,
      body: { title: 'x', password: CENSOR, apiKey: CENSOR, nested: { token: 'deeper stays' } },
      count: 3,
    });
    expect(fields.token).toBe('t');
    expect(body.password).toBe('hunter2');
  });

  it('should return a line without credentials as it is', () => {
    const fields = { request_id: 'r-1', user: { id: 'u', secrets: 2 }, list: [{ token: 'in an array' }], message: 'x' };

    expect(redact(fields)).toBe(fields);
  });

  it('should leave serialized fields to their serializer', () => {
    const raw = { token: 'raw request object' };

    expect(redact({ req: raw }).req).toBe(raw);
  });

  it('should censor a serializer output and its credential headers', () => {
    expect(
      redactSerialized({
        url: '/x',
        secret: 's',
        headers: {
          authorization: 'Bearer x',
          cookie: 'c',
          'cko-signature': 'sig',
          'idempotency-key': 'k',
          accept: '*/*',
        },
      }),
    ).toEqual({
      url: '/x',
      secret: CENSOR,
      headers: {
        authorization: CENSOR,
        cookie: CENSOR,
        'cko-signature': CENSOR,
        'idempotency-key': CENSOR,
        accept: '*/*',
      },
    });
    const plain = { id: 'r', method: 'GET', url: '/y' };
    expect(redactSerialized(plain)).toBe(plain);
  });
});
