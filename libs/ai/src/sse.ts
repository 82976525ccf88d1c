import type { Response } from 'express';

/** Starts a docs/realtime.md §2 event stream: status 200 and its headers, sent at once. */
export function openEventStream(response: Response): void {
  response.status(200);
  response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader('Connection', 'keep-alive');
  response.setHeader('X-Accel-Buffering', 'no');
  response.flushHeaders();
}

/** One unnamed event: a single `data:` line (JSON, or the literal `[DONE]` terminator) and a blank line. */
export function writeEvent(response: Response, payload: object | '[DONE]'): void {
  if (response.writableEnded || response.destroyed) return;
  response.write(`data: ${payload === '[DONE]' ? payload : JSON.stringify(payload)}\n\n`);
}

export function writeComment(response: Response, comment: string): void {
  if (response.writableEnded || response.destroyed) return;
  response.write(`: ${comment}\n\n`);
}
