import { ValidationError } from '@app/core/errors/domain-error';
import { resolveRedirectUrls } from './redirect-urls';

const DEV = { production: false, allowedOrigins: ['*'] };
const PROD = { production: true, allowedOrigins: ['https://app.example.com'] };

function problems(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return (error as ValidationError).details;
  }
  throw new Error('expected a validation error');
}

describe(resolveRedirectUrls.name, () => {
  it('should keep URLs the client sent', () => {
    expect(
      resolveRedirectUrls({ success_url: 'https://a.test/ok', cancel_url: 'http://a.test/no' }, undefined, DEV),
    ).toEqual({
      successUrl: 'https://a.test/ok',
      cancelUrl: 'http://a.test/no',
    });
  });

  it('should derive missing URLs from the Origin header', () => {
    expect(resolveRedirectUrls({}, 'https://app.example.com', DEV)).toEqual({
      successUrl: 'https://app.example.com/dashboard/subscription/success',
      cancelUrl: 'https://app.example.com/dashboard/credits',
    });
  });

  it('should refuse when neither a URL nor an Origin is there', () => {
    expect(problems(() => resolveRedirectUrls({}, undefined, DEV))).toEqual([
      { field: 'success_url', message: 'is required when the request has no valid Origin header' },
      { field: 'cancel_url', message: 'is required when the request has no valid Origin header' },
    ]);
    expect(problems(() => resolveRedirectUrls({ success_url: 'https://a.test/ok' }, 'null', DEV))).toEqual([
      { field: 'cancel_url', message: 'is required when the request has no valid Origin header' },
    ]);
  });

  it('should refuse URLs that are not http(s)', () => {
    expect(
      problems(() => resolveRedirectUrls({ success_url: 'javascript:alert(1)', cancel_url: 'nope' }, undefined, DEV)),
    ).toEqual([
      { field: 'success_url', message: 'must be an http(s) URL' },
      { field: 'cancel_url', message: 'must be an http(s) URL' },
    ]);
  });

  it('should require allowed origins in production', () => {
    expect(resolveRedirectUrls({}, 'https://app.example.com', PROD).successUrl).toBe(
      'https://app.example.com/dashboard/subscription/success',
    );
    expect(
      problems(() => resolveRedirectUrls({ success_url: 'https://evil.test/x' }, 'https://evil.test', PROD)),
    ).toEqual([
      { field: 'success_url', message: 'must be on an allowed origin' },
      { field: 'cancel_url', message: 'must be on an allowed origin' },
    ]);
  });
});
