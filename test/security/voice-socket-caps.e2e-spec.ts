import { MAX_UNAUTHENTICATED_SOCKETS_PER_IP } from '@app/voice/unauthenticated-sockets';
import { loginAs } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';
import { connectVoice, VoiceClient } from '../voice/voice-client';

/**
 * docs/realtime.md §1.1: at most 10 unauthenticated voice sockets per client IP (the client IP of
 * TRUST_PROXY, as for HTTP), and no client message over 64 KiB, before or after authentication.
 */
describe('Voice WebSocket: unauthenticated socket cap and message size', () => {
  const open = (t: TestApp, forwardedFor: string): Promise<VoiceClient> =>
    connectVoice(t, {}, { 'X-Forwarded-For': forwardedFor });
  const openMany = (t: TestApp, forwardedFor: (i: number) => string): Promise<VoiceClient[]> =>
    Promise.all(Array.from({ length: MAX_UNAUTHENTICATED_SOCKETS_PER_IP }, (_, i) => open(t, forwardedFor(i))));

  async function expectRefused(client: VoiceClient): Promise<void> {
    expect(await client.next('error')).toEqual({
      type: 'error',
      code: 'RATE_LIMIT_EXCEEDED',
      message: 'Too many unauthenticated connections from this client address',
    });
    expect((await client.closed).code).toBe(4429);
  }

  /** Authenticates `client`; the user is free and Deepgram unset, so a check after the cap answers. */
  async function expectAdmitted(client: VoiceClient, token: string): Promise<void> {
    client.ws.send(JSON.stringify({ type: 'auth', token }));
    expect((await client.next('error')).code).toBe('TRANSCRIPTION_SERVICE_UNAVAILABLE');
    expect((await client.closed).code).toBe(1013);
  }

  const closeAll = (clients: VoiceClient[]) => Promise.all(clients.map((c) => (c.ws.close(), c.closed)));

  describe('behind a trusted hop (TRUST_PROXY=loopback)', () => {
    let t: TestApp;
    let token: string;

    beforeAll(async () => {
      t = await createTestApp({ TRUST_PROXY: 'loopback' });
      token = (await loginAs(t)).accessToken;
    });

    afterAll(() => t.close());

    it('should refuse the 11th unauthenticated socket of one client, not another client', async () => {
      const held = await openMany(t, () => '203.0.113.7');
      try {
        await expectRefused(await open(t, '203.0.113.7'));
        await expectAdmitted(await open(t, '203.0.113.8'), token);
      } finally {
        await closeAll(held);
      }
    });

    it('should give the place back when a socket authenticates or closes', async () => {
      const held = await openMany(t, () => '203.0.113.9');
      try {
        await expectAdmitted(held[0], token);
        const afterAuth = await open(t, '203.0.113.9');
        await expectRefused(await open(t, '203.0.113.9'));
        held[1].ws.close();
        await held[1].closed;
        await expectAdmitted(await open(t, '203.0.113.9'), token);
        await expectAdmitted(afterAuth, token);
      } finally {
        await closeAll(held);
      }
    });

    it('should close a socket sending a message over 64 KiB before authentication with 1009', async () => {
      const client = await open(t, '203.0.113.10');
      client.ws.send(JSON.stringify({ type: 'auth', token: 'x'.repeat(64 * 1024) }));

      expect((await client.closed).code).toBe(1009);
      expect(client.messages).toEqual([]);
    });
  });

  describe('without TRUST_PROXY', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp();
    });

    afterAll(() => t.close());

    it('should count the TCP peer, whatever X-Forwarded-For says', async () => {
      const held = await openMany(t, (i) => `198.51.100.${i + 1}`);
      try {
        await expectRefused(await open(t, '198.51.100.200'));
      } finally {
        await closeAll(held);
      }
    });
  });
});
