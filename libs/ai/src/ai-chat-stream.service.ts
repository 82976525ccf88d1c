import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import type { AuthUser } from '@app/core/http/auth-user';
import { AiServiceUnavailableError } from './ai.errors';
import { AiChat } from './ai.events';
import { AiCharges } from './ai-charges.service';
import { AiChatService } from './ai-chat.service';
import { AiProviderClient } from './ai-provider.client';
import type { ChatRequestDto } from './dto/chat-request.dto';
import type { ChatDoneEvent } from './dto/chat-response.dto';
import { openEventStream, writeComment, writeEvent } from './sse';

const PING_INTERVAL_MS = 15_000;

/**
 * `POST /ai/chat/stream` (docs/realtime.md §2): the checks and the reservation of `POST /ai/chat` answer
 * as JSON errors; then the stream starts and every provider failure is an `error` event. The
 * `done` payload is stored for replay with the charge before it is sent; a stream that ends
 * without a charge throws so that its key is freed.
 */
@Injectable()
export class AiChatStreamService {
  constructor(
    private readonly chat: AiChatService,
    private readonly charges: AiCharges,
    private readonly provider: AiProviderClient,
    private readonly uow: UnitOfWork,
  ) {}

  async stream(
    user: AuthUser,
    dto: ChatRequestDto,
    headerTaskId: string | undefined,
    response: Response,
  ): Promise<ChatDoneEvent> {
    const prepared = await this.chat.prepare(user, dto, headerTaskId, true);
    const charge = await this.charges.begin(prepared.charge);

    const clientLeft = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) clientLeft.abort();
    });
    openEventStream(response);
    const ping = setInterval(() => writeComment(response, 'ping'), PING_INTERVAL_MS);
    let text = '';
    try {
      for await (const fragment of this.provider.stream(prepared.messages, clientLeft.signal)) {
        text += fragment;
        writeEvent(response, { type: 'delta', text: fragment });
      }
    } catch (error) {
      clearInterval(ping);
      await this.charges.fail(charge);
      const failure = error instanceof AiServiceUnavailableError ? error : new AiServiceUnavailableError();
      // The release and the freed key commit before the client sees the end (docs/api.md §1.10).
      await this.uow.commitFailure(failure);
      writeEvent(response, { type: 'error', code: failure.code, message: failure.message });
      writeEvent(response, '[DONE]');
      response.end();
      throw failure;
    }
    clearInterval(ping);
    if (text === '') {
      // The client left before the first fragment: nothing charged and the key is freed.
      await this.charges.fail(charge);
      throw new AiServiceUnavailableError('The client closed the stream before any answer');
    }
    // Finished, or the client left after at least one fragment: charged either way.
    const settled = await this.charges.settle(charge, (tx, { creditsUsed, reservationId }) =>
      tx.emit(
        AiChat,
        { task_id: prepared.taskId, credits_used: creditsUsed, streamed: true, reservation_id: reservationId },
        { userId: user.id, source: 'ai' },
      ),
    );
    const done: ChatDoneEvent = {
      type: 'done',
      response: text,
      suggested_actions: [],
      credits_used: settled.creditsUsed,
      credits_remaining: settled.creditsRemaining,
      ai_request_warning: settled.warning,
    };
    // The charge and the stored outcome commit before the client sees `done` (docs/api.md §1.10).
    await this.uow.commitOutcome(done);
    writeEvent(response, done);
    writeEvent(response, '[DONE]');
    response.end();
    return done;
  }
}
