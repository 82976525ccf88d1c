import { Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { MarkedMethods } from '../discovery/marked-methods';
import { MetricsService } from '../metrics/metrics.service';
import { defineEvent, DomainEvent, EventDefinition } from './domain-event';
import { EventBus } from './event-bus';
import { OnDomainEvent, OnEveryDomainEvent } from './on-domain-event.decorator';
import type { Transaction } from './transaction';

const Pinged = defineEvent<{ n: number }>('test.pinged', undefined, (payload) => ({
  metric: 'credits_granted_total',
  labels: { credit_type: 'daily' },
  value: payload.n,
}));
const Other = defineEvent<{ n: number }>('test.other');

@Injectable()
class Listener {
  readonly seen: string[] = [];

  @OnEveryDomainEvent()
  async every(events: ReadonlyArray<DomainEvent<unknown>>, definition: EventDefinition<unknown>): Promise<void> {
    this.seen.push(`every:${definition.type}:${events.length}`);
  }

  @OnDomainEvent(Pinged)
  async pinged(event: DomainEvent<{ n: number }>): Promise<void> {
    this.seen.push(`pinged:${event.payload.n}`);
  }
}

function eventOf(n: number): DomainEvent<{ n: number }> {
  return { type: Pinged.type, userId: 'u', source: 'system', requestId: null, occurredAt: new Date(), payload: { n } };
}

describe(EventBus.name, () => {
  it('should run the decorated handlers it discovered at boot (every-event ones first) and count declared metrics after the commit', async () => {
    const module = await Test.createTestingModule({
      imports: [DiscoveryModule],
      providers: [MarkedMethods, EventBus, Listener, MetricsService],
    }).compile();
    await module.init();
    const sut = module.get(EventBus);
    const listener = module.get(Listener);
    const granted = module.get(MetricsService).creditsGranted;
    const afterCommit: Array<() => Promise<unknown>> = [];
    const tx = { afterCommit: (work: () => Promise<unknown>) => afterCommit.push(work) } as unknown as Transaction;

    await sut.dispatch(Pinged, [eventOf(1), eventOf(2)], tx);
    await sut.dispatch(Other, [{ ...eventOf(3), type: Other.type }], tx);
    expect(listener.seen).toEqual(['every:test.pinged:2', 'pinged:1', 'pinged:2', 'every:test.other:1']);
    expect((await granted.get()).values).toEqual([]);

    for (const work of afterCommit) await work();
    expect((await granted.get()).values).toEqual([{ labels: { credit_type: 'daily' }, value: 3 }]);
    await module.close();
  });
});
