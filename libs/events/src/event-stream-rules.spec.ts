import { parseUserEvent, sseEvent } from './event-stream-rules';

describe('event-stream-rules', () => {
  it('should read the two payloads of the user_events channel and nothing else', () => {
    expect(parseUserEvent('c:u1')).toEqual({ kind: 'changes', userId: 'u1' });
    expect(parseUserEvent('n:u1:n9')).toEqual({ kind: 'notification', userId: 'u1', id: 'n9' });
    expect(parseUserEvent('n:u1')).toBeNull();
    expect(parseUserEvent('x:u1')).toBeNull();
    expect(parseUserEvent('')).toBeNull();
  });

  it('should frame an event with its id, type and one JSON data line', () => {
    expect(sseEvent('changes', { a: 'x\ny' }, 'c1')).toBe('id: c1\nevent: changes\ndata: {"a":"x\\ny"}\n\n');
    expect(sseEvent('notification', { b: 1 })).toBe('event: notification\ndata: {"b":1}\n\n');
  });
});
