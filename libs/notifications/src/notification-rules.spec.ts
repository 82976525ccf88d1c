import { classifyPushStatus, isPublicAddress, pushPayload, truncateCodePoints } from './notification-rules';

describe('notification rules', () => {
  describe(truncateCodePoints.name, () => {
    it('should cut at code points, never inside a surrogate pair', () => {
      expect(truncateCodePoints('😀😀😀', 2)).toBe('😀😀');
      expect(truncateCodePoints('short', 100)).toBe('short');
      expect(truncateCodePoints('x'.repeat(501), 500)).toHaveLength(500);
    });
  });

  describe(pushPayload.name, () => {
    it('should carry the fields of docs/integrations.md §5', () => {
      const payload = JSON.parse(
        pushPayload({
          id: 'n1',
          type: 'reminder',
          title: 'Due soon',
          body: 'Write report',
          actionUrl: '/tasks/t1',
          createdAt: new Date('2026-01-19T10:30:00.000Z'),
        }),
      );
      expect(payload).toEqual({
        title: 'Due soon',
        body: 'Write report',
        url: '/tasks/t1',
        tag: 'perpetua-reminder',
        notification_id: 'n1',
        type: 'reminder',
        timestamp: '2026-01-19T10:30:00.000Z',
      });
    });
  });

  describe(classifyPushStatus.name, () => {
    it('should map push service answers to their effect', () => {
      expect([200, 201, 202].map(classifyPushStatus)).toEqual(['delivered', 'delivered', 'delivered']);
      expect([404, 410].map(classifyPushStatus)).toEqual(['gone', 'gone']);
      expect([400, 401, 403, 413].map(classifyPushStatus)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
      expect([429, 500, 502, 503].map(classifyPushStatus)).toEqual(['retry', 'retry', 'retry', 'retry']);
    });
  });

  describe(isPublicAddress.name, () => {
    it('should refuse loopback, private, link-local and reserved addresses', () => {
      for (const address of [
        '127.0.0.1',
        '10.1.2.3',
        '172.16.0.1',
        '192.168.1.1',
        '169.254.169.254',
        '100.64.0.1',
        '0.0.0.0',
        '224.0.0.1',
        '::1',
        '::',
        'fe80::1',
        'fd00::1',
        '::ffff:127.0.0.1',
        '::ffff:7f00:1',
        '2002:7f00:1::1',
        '2001:0:4136:e378::1',
        '64:ff9b::7f00:1',
        '::7f00:1',
        '198.18.0.1',
        'not-an-ip',
      ]) {
        expect({ address, public: isPublicAddress(address) }).toEqual({ address, public: false });
      }
    });

    it('should accept globally routable addresses', () => {
      for (const address of ['8.8.8.8', '142.250.74.46', '2001:4860:4860::8888']) {
        expect({ address, public: isPublicAddress(address) }).toEqual({ address, public: true });
      }
    });
  });
});
