import { Injectable, Logger } from '@nestjs/common';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { AppConfig } from '@app/core/config/app-config';
import { AiServiceUnavailableError } from './ai.errors';

export type ChatMessage = ChatCompletionMessageParam;

const TEMPERATURE = 0.3;

/**
 * The OpenAI-compatible chat-completions client (docs/integrations.md §2): one attempt per call
 * (SDK retries off), bounded by `AI_TIMEOUT_SECONDS`; every failure is AI_SERVICE_UNAVAILABLE.
 */
@Injectable()
export class AiProviderClient {
  private readonly logger = new Logger(AiProviderClient.name);
  private readonly client: OpenAI | null;
  private readonly timeoutMs: number;

  constructor(private readonly config: AppConfig) {
    this.timeoutMs = config.AI_TIMEOUT_SECONDS * 1000;
    this.client = config.OPENAI_API_KEY
      ? new OpenAI({
          apiKey: config.OPENAI_API_KEY,
          baseURL: config.OPENAI_BASE_URL,
          maxRetries: 0,
          timeout: this.timeoutMs,
        })
      : null;
  }

  /** Step 7 of docs/api.md §1.9 for the text features: `OPENAI_API_KEY` unset → 503 before any credit check. */
  assertConfigured(): void {
    if (!this.client) throw new AiServiceUnavailableError('The AI service is not configured');
  }

  /** One completion; returns `choices[0].message.content`, never empty. */
  async complete(messages: ChatMessage[], options: { json: boolean }): Promise<string> {
    const client = this.requireClient();
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const completion = await client.chat.completions.create(
        {
          model: this.config.OPENAI_MODEL,
          messages,
          temperature: TEMPERATURE,
          ...(options.json ? { response_format: { type: 'json_object' as const } } : {}),
        },
        { signal },
      );
      const content: unknown = completion?.choices?.[0]?.message?.content;
      if (typeof content !== 'string' || content.trim() === '') throw new Error('no content in the completion');
      return content;
    } catch (error) {
      throw this.failure(error);
    }
  }

  /**
   * A streamed completion: yields each non-empty text fragment. The time to the first fragment and
   * between fragments is bounded by `AI_TIMEOUT_SECONDS`; `abort` (the client left) ends the stream
   * quietly. A stream that delivers no text at all is a failure.
   */
  async *stream(messages: ChatMessage[], abort: AbortSignal): AsyncGenerator<string> {
    const client = this.requireClient();
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    abort.addEventListener('abort', stop);
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, this.timeoutMs);
    };
    let delivered = false;
    try {
      arm();
      const stream = await client.chat.completions.create(
        { model: this.config.OPENAI_MODEL, messages, temperature: TEMPERATURE, stream: true },
        { signal: controller.signal },
      );
      for await (const chunk of stream) {
        arm();
        const text = chunk.choices?.[0]?.delta?.content;
        if (typeof text === 'string' && text !== '') {
          delivered = true;
          yield text;
        }
      }
      // Aborting inside the loop ends it without an error (openai 6): tell a timeout apart here.
      if (timedOut) throw new Error('the AI provider stalled');
      if (!delivered && !abort.aborted) throw new Error('the AI provider streamed no text');
    } catch (error) {
      if (abort.aborted && !timedOut) return;
      throw this.failure(error);
    } finally {
      clearTimeout(timer);
      abort.removeEventListener('abort', stop);
    }
  }

  private requireClient(): OpenAI {
    this.assertConfigured();
    return this.client as OpenAI;
  }

  private failure(error: unknown): AiServiceUnavailableError {
    if (error instanceof AiServiceUnavailableError) return error;
    this.logger.warn({ err: error }, 'AI provider call failed');
    return new AiServiceUnavailableError();
  }
}
