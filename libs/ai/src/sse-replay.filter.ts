import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { AllExceptionsFilter } from '@app/http/exception.filter';
import { IdempotentReplay } from '@app/core/idempotency/idempotent-replay';
import { openEventStream, writeEvent } from './sse';

/**
 * Idempotent replay of the chat stream (docs/realtime.md §2): a stored `done` is replayed as a stream of
 * one `delta` with the full response, the `done` event and `[DONE]`; stored error outcomes are
 * replayed as JSON like everywhere else.
 */
@Catch(IdempotentReplay)
export class SseReplayFilter implements ExceptionFilter<IdempotentReplay> {
  private readonly fallback = new AllExceptionsFilter();

  catch(replay: IdempotentReplay, host: ArgumentsHost): void {
    const body = replay.response.body as { type?: unknown; response?: unknown } | null;
    if (replay.response.status !== 200 || body?.type !== 'done' || typeof body.response !== 'string') {
      this.fallback.catch(replay, host);
      return;
    }
    const response = host.switchToHttp().getResponse<Response>();
    response.setHeader('X-Idempotent-Replayed', 'true');
    openEventStream(response);
    writeEvent(response, { type: 'delta', text: body.response });
    writeEvent(response, body);
    writeEvent(response, '[DONE]');
    response.end();
  }
}
