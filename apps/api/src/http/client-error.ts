import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { ValidationError } from '@app/core/errors/domain-error';
import { toErrorEnvelope } from '@app/core/errors/error-envelope';

/**
 * Requests Node's HTTP parser refuses before any middleware runs (a request line or headers over
 * 16 KiB, malformed syntax) would get Node's bare `431`/`400` without a body. They get the error
 * envelope of docs/api.md §1.5 instead: `431` for oversized heads, `400` otherwise, code
 * `VALIDATION_ERROR`, `details: []` (no single field is at fault).
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const requestId = randomUUID();
    const body = JSON.stringify(
      toErrorEnvelope(
        new ValidationError([], tooLarge ? 'Request line or headers too large' : 'Malformed HTTP request'),
        requestId,
      ),
    );
    socket.end(
      `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-ID: ${requestId}\r\n` +
        'X-Content-Type-Options: nosniff\r\n' +
        'Cache-Control: no-store\r\n' +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
}
