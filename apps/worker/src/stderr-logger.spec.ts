import { StderrLogger } from './stderr-logger';

describe(StderrLogger.name, () => {
  let written: string[];
  let spy: jest.SpyInstance;

  beforeEach(() => {
    written = [];
    spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  });

  afterEach(() => spy.mockRestore());

  const lines = (): Array<Record<string, unknown>> => written.map((line) => JSON.parse(line));

  it('should write structured fields, the message and the context as one JSON line', () => {
    new StderrLogger('info').log({ job: 'credit_expire', outcome: 'success' }, 'job credit_expire success', 'Jobs');

    expect(lines()).toEqual([
      expect.objectContaining({
        level: 'log',
        context: 'Jobs',
        job: 'credit_expire',
        outcome: 'success',
        message: 'job credit_expire success',
        time: expect.any(String),
      }),
    ]);
  });

  it('should write a plain message and serialize errors', () => {
    const sut = new StderrLogger('debug');
    sut.warn('plain text');
    sut.error({ err: new Error('boom') }, 'failed', 'Jobs');

    const [warn, error] = lines();
    expect(warn).toMatchObject({ level: 'warn', message: 'plain text' });
    expect(error).toMatchObject({ level: 'error', message: 'failed', err: { type: 'Error', message: 'boom' } });
  });

  it('should drop levels below the LOG_LEVEL threshold', () => {
    const sut = new StderrLogger('warn');
    sut.log('info line');
    sut.debug('debug line');
    sut.verbose('trace line');
    sut.warn('kept');
    sut.fatal('kept too');

    expect(lines().map((line) => line.message)).toEqual(['kept', 'kept too']);
  });

  it('should write nothing when silent', () => {
    new StderrLogger('silent').error('nothing');

    expect(written).toEqual([]);
  });
});
