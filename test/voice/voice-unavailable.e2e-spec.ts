import { awayFromMinuteEdge } from '../support/clock-edges';
import { as, expectError, loginAs } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';
import { connectVoice } from './voice-client';

describe('AI and voice without providers', () => {
  let t: TestApp;

  beforeEach(() => awayFromMinuteEdge());

  beforeAll(async () => {
    t = await createTestApp({ DEEPGRAM_API_KEY: 'dg-key', ENABLE_VOICE_TRANSCRIPTION: 'false', RATE_LIMIT_AI: '3' });
  });

  afterAll(() => t.close());

  it('should answer 503 AI_SERVICE_UNAVAILABLE before any credit check when OPENAI_API_KEY is unset', async () => {
    const { accessToken } = await loginAs(t);
    expectError(await as(t, accessToken).post('/api/v1/ai/chat').send({ message: 'x' }), 503, 'AI_SERVICE_UNAVAILABLE');
    expect((await as(t, accessToken).get('/api/v1/credits/balance')).body.data.total).toBe(5);
  });

  it('should close voice connections 1013 and answer 503 for transcription when disabled, after the rate limit', async () => {
    const { accessToken } = await loginAs(t, { tier: 'pro' });
    expectError(
      await as(t, accessToken)
        .post('/api/v1/ai/transcribe')
        .send({ audio_url: 'https://a.example/b.webm', duration_seconds: 5 }),
      503,
      'TRANSCRIPTION_SERVICE_UNAVAILABLE',
    );
    const disabled = await connectVoice(t, { token: accessToken });
    expect(await disabled.closed).toMatchObject({ code: 1013 });
    expect(disabled.messages).toEqual([
      { type: 'error', code: 'TRANSCRIPTION_SERVICE_UNAVAILABLE', message: expect.any(String) },
    ]);
    await connectVoice(t, { token: accessToken }).then((c) => c.closed);
    const limited = await connectVoice(t, { token: accessToken });
    expect(await limited.closed).toMatchObject({ code: 4429 });
    expect(limited.messages[0]).toMatchObject({ code: 'RATE_LIMIT_EXCEEDED' });
  });
});
