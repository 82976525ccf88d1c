import express, { Request, Response } from 'express';
import supertest from 'supertest';
import { literalPrefix, MatchableLayer, routePrefilter } from './route-prefilter';

describe(routePrefilter.name, () => {
  const matched: string[] = [];
  const app = express();
  const stack = (): MatchableLayer[] => (app as unknown as { router: { stack: MatchableLayer[] } }).router.stack;
  app.use(routePrefilter(stack));
  const answer = (name: string) => (request: Request, response: Response) => {
    response.json({ name, params: request.params });
  };
  app.get('/api/v1/tasks', answer('list'));
  app.get('/api/v1/tasks/quick-add', answer('quick-add'));
  app.get('/api/v1/tasks/:id', answer('detail'));
  app.get('/:kind/echo', answer('echo'));
  app.get('/health/live', answer('live'));

  beforeAll(() => {
    // Count the real matcher's calls (wrapped before the first request installs the prefilter).
    for (const layer of stack()) {
      if (!layer.route) continue;
      const match = layer.match.bind(layer);
      layer.match = (path) => {
        matched.push(String(layer.route!.path));
        return match(path);
      };
    }
  });

  it('should route exactly as Express does: letter case, trailing slash, parameters, order', async () => {
    const http = supertest(app);

    expect((await http.get('/api/v1/tasks')).body).toEqual({ name: 'list', params: {} });
    expect((await http.get('/API/V1/Tasks/')).body).toEqual({ name: 'list', params: {} });
    expect((await http.get('/api/v1/tasks/quick-add')).body).toEqual({ name: 'quick-add', params: {} });
    expect((await http.get('/api/v1/Tasks/a%20b')).body).toEqual({ name: 'detail', params: { id: 'a b' } });
    expect((await http.get('/notes/echo')).body).toEqual({ name: 'echo', params: { kind: 'notes' } });
    expect((await http.get('/Health/Live')).body).toEqual({ name: 'live', params: {} });
    expect((await http.get('/api/v1/tasksx')).status).toBe(404);
    expect((await http.get('/api/v1/t%61sks')).status).toBe(404);
  });

  it('should skip the matcher of every route whose literal prefix the path lacks', async () => {
    matched.length = 0;
    await supertest(app).get('/health/live').expect(200);

    expect(matched).toEqual(['/:kind/echo', '/health/live']);
  });
});

describe(literalPrefix.name, () => {
  it('should keep the plain text before the first parameter, wildcard or group, lowercased', () => {
    expect(literalPrefix('/api/v1/Tasks/:id')).toBe('/api/v1/tasks/');
    expect(literalPrefix('/api/v1/tasks')).toBe('/api/v1/tasks');
    expect(literalPrefix('{*path}')).toBe('');
    expect(literalPrefix('/api/v1/files{/:name}')).toBe('/api/v1/files');
    expect(literalPrefix('/api/v1/calendar-feed/:token.ics')).toBe('/api/v1/calendar-feed/');
  });
});
