import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { admissionGate } from './admission-gate';

interface Call {
  response: EventEmitter;
  admitted: () => boolean;
}

describe(admissionGate.name, () => {
  function call(gate: ReturnType<typeof admissionGate>, path = '/api/v1/tasks'): Call {
    const response = new EventEmitter();
    let admitted = false;
    gate({ path } as Request, response as unknown as Response, () => {
      admitted = true;
    });
    return { response, admitted: () => admitted };
  }

  it('should admit up to the limit at once and the rest in arrival order as responses finish', () => {
    const gate = admissionGate(2, 10);
    const calls = [call(gate), call(gate), call(gate), call(gate)];

    expect(calls.map((c) => c.admitted())).toEqual([true, true, false, false]);
    calls[1].response.emit('finish');
    expect(calls.map((c) => c.admitted())).toEqual([true, true, true, false]);
    calls[0].response.emit('close');
    expect(calls[3].admitted()).toBe(true);
  });

  it('should free a slot once per request when both finish and close fire', () => {
    const gate = admissionGate(1, 10);
    const first = call(gate);
    const second = call(gate);
    const third = call(gate);

    first.response.emit('finish');
    first.response.emit('close');

    expect(second.admitted()).toBe(true);
    expect(third.admitted()).toBe(false);
  });

  it('should skip a waiting request whose connection closed and give its turn to the next', () => {
    const gate = admissionGate(1, 10);
    const first = call(gate);
    const gone = call(gate);
    const next = call(gate);

    gone.response.emit('close');
    first.response.emit('finish');

    expect(gone.admitted()).toBe(false);
    expect(next.admitted()).toBe(true);
  });

  it('should not gate health, metrics, docs or requests waiting on an outside provider', () => {
    const gate = admissionGate(1, 10);
    call(gate);

    for (const path of ['/health/ready', '/metrics', '/docs', '/api/v1/ai/chat', '/api/v1/notes/x/convert']) {
      expect(call(gate, path).admitted()).toBe(true);
    }
    expect(call(gate).admitted()).toBe(false);
  });
});
