import { as, expectError, loginAs, LoggedInUser } from '@app/testing/factories';
import { createTestApp, TestApp } from '@app/testing/test-app';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('/api/v1/users/me', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  const userActivity = (userId: string) =>
    testApp.dataSource.query(
      `SELECT action, source, metadata, request_id FROM activity_logs
        WHERE user_id = $1 AND action = 'user_updated' ORDER BY created_at`,
      [userId],
    );

  describe('GET', () => {
    it('should return the caller as a User in the data envelope', async () => {
      const session = await loginAs(testApp, { name: 'Ada Lovelace' });

      const response = await as(testApp, session.accessToken).get('/api/v1/users/me');

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        data: {
          id: session.user.id,
          google_id: `dev:${session.user.email}`,
          email: session.user.email,
          name: 'Ada Lovelace',
          avatar_url: null,
          timezone: 'UTC',
          tier: 'free',
          created_at: expect.stringMatching(ISO),
          updated_at: expect.stringMatching(ISO),
        },
      });
    });

    it('should answer 401 without a token', async () => {
      expectError(await testApp.http.get('/api/v1/users/me'), 401, 'UNAUTHORIZED');
    });
  });

  describe('PATCH', () => {
    let session: LoggedInUser;

    beforeEach(async () => {
      session = await loginAs(testApp, { name: 'Before' });
    });

    const patch = (body: unknown) =>
      as(testApp, session.accessToken)
        .patch('/api/v1/users/me')
        .send(body as object);

    it('should update the trimmed name and the time zone, and log the changed fields', async () => {
      const response = await patch({ name: '  Grace Hopper  ', timezone: 'Europe/London' });

      expect(response.status).toBe(200);
      expect(response.body.data).toEqual({
        ...session.user,
        name: 'Grace Hopper',
        timezone: 'Europe/London',
        updated_at: expect.stringMatching(ISO),
      });
      expect(Date.parse(response.body.data.updated_at)).toBeGreaterThanOrEqual(
        Date.parse(session.user.updated_at as string),
      );
      await expect(as(testApp, session.accessToken).get('/api/v1/users/me')).resolves.toHaveProperty(
        'body.data',
        response.body.data,
      );
      await expect(userActivity(session.user.id)).resolves.toEqual([
        {
          action: 'user_updated',
          source: 'user',
          metadata: { changed_fields: ['name', 'timezone'] },
          request_id: response.headers['x-request-id'],
        },
      ]);
    });

    it('should update only the fields sent', async () => {
      const response = await patch({ timezone: 'America/New_York' });

      expect(response.status).toBe(200);
      expect(response.body.data).toMatchObject({ name: 'Before', timezone: 'America/New_York' });
      await expect(userActivity(session.user.id)).resolves.toEqual([
        expect.objectContaining({ metadata: { changed_fields: ['timezone'] } }),
      ]);
    });

    it('should normalise the letter case of a time zone', async () => {
      const response = await patch({ timezone: 'asia/tokyo' });

      expect(response.status).toBe(200);
      expect(response.body.data.timezone).toBe('Asia/Tokyo');
    });

    it('should accept UTC', async () => {
      await patch({ timezone: 'Europe/Paris' });

      const response = await patch({ timezone: 'UTC' });

      expect(response.body.data.timezone).toBe('UTC');
    });

    it('should change and log nothing for an empty body or unchanged values', async () => {
      const empty = await patch({});
      const same = await patch({ name: 'Before', timezone: 'UTC' });

      expect(empty.status).toBe(200);
      expect(empty.body.data).toEqual(session.user);
      expect(same.body.data).toEqual(session.user);
      await expect(userActivity(session.user.id)).resolves.toEqual([]);
    });

    it('should ignore read-only and unknown fields', async () => {
      const response = await patch({ tier: 'pro', email: 'hijack@example.com', id: 'x', name: 'After' });

      expect(response.status).toBe(200);
      expect(response.body.data).toMatchObject({
        id: session.user.id,
        email: session.user.email,
        tier: 'free',
        name: 'After',
      });
    });

    it.each([
      ['an empty name', { name: '' }, 'name'],
      ['a blank name', { name: '   ' }, 'name'],
      ['a name over 100 characters', { name: 'x'.repeat(101) }, 'name'],
      ['a null name', { name: null }, 'name'],
      ['a non-string name', { name: 42 }, 'name'],
      ['an unknown time zone', { timezone: 'Mars/Olympus_Mons' }, 'timezone'],
      ['a numeric offset', { timezone: '+02:00' }, 'timezone'],
      ['a null time zone', { timezone: null }, 'timezone'],
      ['an empty time zone', { timezone: '' }, 'timezone'],
    ])('should reject %s with 400 naming the field', async (_, body, field) => {
      const response = await patch(body);

      const error = expectError(response, 400, 'VALIDATION_ERROR');
      expect(error.details).toEqual([{ field, message: expect.any(String) }]);
      const stored = await as(testApp, session.accessToken).get('/api/v1/users/me');
      expect(stored.body.data).toEqual(session.user);
    });

    it('should accept a 100-character name counted in code points', async () => {
      const name = '😀'.repeat(100);

      const response = await patch({ name });

      expect(response.status).toBe(200);
      expect(response.body.data.name).toBe(name);
    });
  });
});
