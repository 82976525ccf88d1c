/** One parsed server-sent event. */
export interface SseEvent {
  id?: string;
  event: string;
  data: string;
  /** When it was parsed (performance.now()). */
  at: number;
}

/** A minimal text/event-stream reader over fetch, as a browser's EventSource would see the stream. */
export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  private readonly abort = new AbortController();
  private buffer = '';

  private constructor(
    readonly status: number,
    readonly body: string,
  ) {}

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const controller = new AbortController();
    const response = await fetch(url, {
      headers: { Accept: 'text/event-stream', ...headers },
      signal: controller.signal,
    });
    if (response.status !== 200) return new SseClient(response.status, await response.text());
    const client = new SseClient(200, '');
    client.abort.signal.addEventListener('abort', () => controller.abort());
    void client.read(response);
    return client;
  }

  /** The first event (from `from` on) that matches, polling until `timeoutMs`. */
  async next(predicate: (event: SseEvent) => boolean, timeoutMs = 3000, from = 0): Promise<SseEvent> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(from).find(predicate);
      if (found) return found;
      if (performance.now() > deadline) throw new Error(`no matching event within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!condition()) {
      if (performance.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  close(): void {
    this.abort.abort();
  }

  private async read(response: Response): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        this.buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = this.buffer.indexOf('\n\n')) >= 0) {
          this.parse(this.buffer.slice(0, end));
          this.buffer = this.buffer.slice(end + 2);
        }
      }
    } catch {
      // Aborted by close().
    }
  }

  private parse(block: string): void {
    const event: SseEvent = { event: 'message', data: '', at: performance.now() };
    let isEvent = false;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      const [field, ...rest] = line.split(': ');
      const value = rest.join(': ');
      if (field === 'id') event.id = value;
      if (field === 'event') event.event = value;
      if (field === 'data') {
        event.data = value;
        isEvent = true;
      }
    }
    if (isEvent) this.events.push(event);
  }
}
