import { AppConfig } from '@app/core/config/app-config';
import { PushEndpointPolicy } from './push-endpoint-policy';

function policy(nodeEnv: string): PushEndpointPolicy {
  return new PushEndpointPolicy(Object.assign(new AppConfig(), { NODE_ENV: nodeEnv }));
}

describe(PushEndpointPolicy.name, () => {
  describe('in production', () => {
    const sut = policy('production');

    it('should require https', async () => {
      await expect(sut.problem('http://8.8.8.8/push')).resolves.toBe('must be an https URL');
    });

    it('should refuse private, loopback and link-local hosts, also behind a name', async () => {
      for (const endpoint of [
        'https://127.0.0.1/push',
        'https://10.0.0.5/push',
        'https://169.254.169.254/latest',
        'https://[::1]/push',
        'https://[::ffff:127.0.0.1]/push',
        'https://localhost/push',
      ]) {
        await expect(sut.problem(endpoint)).resolves.toBe('must not point to a private, loopback or reserved address');
      }
    });

    it('should refuse hosts that do not resolve', async () => {
      await expect(sut.problem('https://does-not-exist.invalid/push')).resolves.toBe('host could not be resolved');
    });

    it('should accept a public https endpoint and pin the checked address', async () => {
      await expect(sut.problem('https://8.8.8.8/push/abc')).resolves.toBeNull();
      await expect(sut.resolve('https://8.8.8.8/push/abc')).resolves.toMatchObject({
        pinned: { address: '8.8.8.8', family: 4 },
      });
    });

    it('should refuse credentials and non-URLs', async () => {
      await expect(sut.problem('https://user:pw@8.8.8.8/push')).resolves.toBe('must not contain credentials');
      await expect(sut.problem('push me')).resolves.toBe('must be a valid URL');
    });
  });

  describe('outside production', () => {
    const sut = policy('test');

    it('should accept http and loopback fakes without resolving them', async () => {
      await expect(sut.problem('http://127.0.0.1:4000/push')).resolves.toBeNull();
      await expect(sut.resolve('https://localhost/push')).resolves.toMatchObject({ pinned: null });
    });

    it('should still refuse other schemes', async () => {
      await expect(sut.problem('ws://127.0.0.1/push')).resolves.toBe('must be an http(s) URL');
    });
  });
});
