import { Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { defineEvent, DomainEvent, EventDefinition } from './domain-event';
import { EventBus } from './event-bus';
import { OnDomainEvent, OnEveryDomainEvent } from './on-domain-event.decorator';
import type { Transaction } from './transaction';

const Pinged = defineEvent<{ n: number }>('test.pinged');
const Other = defineEvent<{ n: number }>('test.other');

@Injectable()
class Listener {
  readonly seen: string[] = [];

  @OnEveryDomainEvent()
  async every(events: ReadonlyArray<DomainEvent<unknown>>, definition: EventDefinition<unknown>): Promise<void> {
    this.seen.push(`every:${definition.type}:${events.length}`);
  }

  @OnDomainEvent(Pinged, 'tx')
  async pinged(event: DomainEvent<{ n: number }>): Promise<void> {
    this.seen.push(`tx:${event.payload.n}`);
  }

  @OnDomainEvent(Pinged, 'after-commit')
  async pingedLater(event: DomainEvent<{ n: number }>): Promise<void> {
    this.seen.push(`after-commit:${event.payload.n}`);
  }
}

function eventOf(n: number): DomainEvent<{ n: number }> {
  return { type: Pinged.type, userId: 'u', source: 'system', requestId: null, occurredAt: new Date(), payload: { n } };
}

describe(EventBus.name, () => {
  it('should run the decorated handlers it discovered at boot: every-event ones first, then by type and mode', async () => {
    const module = await Test.createTestingModule({
      imports: [DiscoveryModule],
      providers: [EventBus, Listener],
    }).compile();
    await module.init();
    const sut = module.get(EventBus);
    const listener = module.get(Listener);
    const afterCommit: Array<() => Promise<unknown>> = [];
    const tx = { afterCommit: (work: () => Promise<unknown>) => afterCommit.push(work) } as unknown as Transaction;

    await sut.dispatch(Pinged, [eventOf(1), eventOf(2)], tx);
    await sut.dispatch(Other, [{ ...eventOf(3), type: Other.type }], tx);
    expect(listener.seen).toEqual(['every:test.pinged:2', 'tx:1', 'tx:2', 'every:test.other:1']);

    for (const work of afterCommit) await work();
    expect(listener.seen.slice(4)).toEqual(['after-commit:1', 'after-commit:2']);
    await module.close();
  });
});
