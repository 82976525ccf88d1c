import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@app/core/clock/clock';
import { AppConfig } from '@app/core/config/app-config';
import type { PaymentSessionEntity, SubscriptionEntity } from '@app/core/database/entities';
import type { PaymentSessionPurpose } from '@app/core/database/enums';
import { DomainError } from '@app/core/errors/domain-error';
import type { Transaction } from '@app/core/events/transaction';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { parseBody } from '@app/core/http/json-body';
import { MetricsService } from '@app/core/metrics/metrics.service';
import { UUID_PATTERN } from '@app/core/validation/validators';
import { CreditLedgerService } from '@app/credits/credit-ledger.service';
import { InvalidSignatureError, WebhookNotConfiguredError } from './billing.errors';
import {
  CheckoutEvent,
  clampPeriod,
  declaredPeriod,
  declaredPurpose,
  declaredSeriesId,
  declaredUserId,
  instrumentOf,
  isRenewalReference,
  MAX_PAYMENT_ID_LENGTH,
  paymentIdOf,
  paymentSessionRef,
  readCheckoutEvent,
  proChargeMismatch,
  sessionMismatch,
} from './checkout-event';
import { WebhookAckDto, WebhookIgnoreReason } from './dto/webhook-ack.dto';
import type { JsonObject } from './json-fields';
import { PaymentSessionsRepository } from './payment-sessions.repository';
import { SubscriptionLifecycle } from './subscription-lifecycle.service';
import { eventTime, isClosed, isStaleEvent } from './subscription-rules';
import { SubscriptionsRepository } from './subscriptions.repository';
import { WebhookEventsRepository } from './webhook-events.repository';
import { isValidSignature } from './webhook-signature';

const HANDLED_TYPES = ['payment_captured', 'subscription_renewed', 'payment_declined', 'subscription_cancelled'];

type Outcome =
  { processed: true; userId: string | null } | { processed: false; reason: WebhookIgnoreReason; userId: string | null };

/** What an event resolves to (docs/integrations.md §4.3). */
interface Resolution {
  event: CheckoutEvent;
  data: JsonObject;
  session: PaymentSessionEntity | null;
  purpose: PaymentSessionPurpose;
  paymentId: string;
  receivedAt: Date;
  /** The event's time (docs/billing-events.md §1). */
  eventAt: Date;
}

/**
 * `POST /webhooks/checkout` (docs/integrations.md §4): signature first, then exactly-once processing
 * per event id — the effects and the `webhook_events` row commit together.
 */
@Injectable()
export class CheckoutWebhookService {
  private readonly logger = new Logger(CheckoutWebhookService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
    private readonly metrics: MetricsService,
    private readonly events: WebhookEventsRepository,
    private readonly sessions: PaymentSessionsRepository,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly lifecycle: SubscriptionLifecycle,
    private readonly credits: CreditLedgerService,
  ) {}

  async receive(
    rawBody: Buffer,
    signature: string | undefined,
    contentType: string | undefined,
  ): Promise<WebhookAckDto> {
    const secret = this.config.CHECKOUT_WEBHOOK_SECRET;
    if (!secret) throw new WebhookNotConfiguredError();
    if (!isValidSignature(rawBody, signature, secret)) {
      this.count(undefined, 'invalid_signature');
      throw new InvalidSignatureError();
    }
    const body = parseBody(rawBody, contentType);
    if (body instanceof DomainError) throw body;
    const event = readCheckoutEvent(body);
    const receivedAt = this.clock.now();
    let outcome: Outcome;
    try {
      outcome = await this.uow.run((tx) => this.process(tx, event, body, receivedAt));
    } catch (error) {
      // Not recorded: the provider's retry is processed normally (docs/integrations.md §4.5).
      this.count(event.type, 'error');
      throw error;
    }
    this.count(event.type, outcome.processed ? 'processed' : outcome.reason);
    return outcome.processed
      ? { status: 'ok', processed: true }
      : { status: 'ok', processed: false, reason: outcome.reason };
  }

  private async process(tx: Transaction, event: CheckoutEvent, body: JsonObject, receivedAt: Date): Promise<Outcome> {
    if (!(await this.events.claim(tx.manager, event.id, event.type, body, receivedAt))) {
      return { processed: false, reason: 'duplicate', userId: null };
    }
    const outcome = await this.dispatch(tx, event, receivedAt);
    await this.events.finish(
      tx.manager,
      event.id,
      {
        status: outcome.processed ? 'processed' : 'ignored',
        reason: outcome.processed ? null : outcome.reason,
        userId: outcome.userId,
      },
      this.clock.now(),
    );
    return outcome;
  }

  private async dispatch(tx: Transaction, event: CheckoutEvent, receivedAt: Date): Promise<Outcome> {
    if (!HANDLED_TYPES.includes(event.type)) return ignored('unknown_event_type');
    if (!event.data) return ignored('invalid_payload');
    const data = event.data;
    const sessionRef = paymentSessionRef(data);
    const session = sessionRef ? await this.sessions.findById(tx.manager, sessionRef) : null;
    const resolution: Resolution = {
      event,
      data,
      session,
      // Our stored session decides; a declared purpose that differs from it is a mismatch.
      purpose:
        event.type === 'subscription_renewed'
          ? 'pro_subscription'
          : (session?.purpose ?? declaredPurpose(data) ?? 'pro_subscription'),
      paymentId: paymentIdOf(event),
      receivedAt,
      eventAt: eventTime(event.createdOn, receivedAt),
    };
    // An id no grant or payment record can hold is unusable data, not a reason to fail (and be retried) forever.
    if (resolution.paymentId.length > MAX_PAYMENT_ID_LENGTH) return ignored('invalid_payload');
    switch (event.type) {
      case 'payment_captured':
      case 'subscription_renewed':
        return resolution.purpose === 'credit_purchase'
          ? this.purchaseCaptured(tx, resolution)
          : this.proCaptured(tx, resolution);
      case 'payment_declined':
        return this.declined(tx, resolution);
      default:
        return this.cancelled(tx, resolution);
    }
  }

  private async proCaptured(tx: Transaction, r: Resolution): Promise<Outcome> {
    // A credit-purchase session never pays for Pro, whatever the event type says.
    const mismatch = !r.session
      ? await this.subscriptionMismatch(tx, r)
      : r.session.purpose !== 'pro_subscription'
        ? 'purpose'
        : sessionMismatch(r.data, r.session);
    if (mismatch) return this.contradicted(r, mismatch, r.session?.userId ?? null);
    const userId = r.session?.userId ?? (await this.resolveUser(tx, r));
    if (!userId) return ignored('unknown_user');
    const declared = declaredPeriod(r.data);
    if (declared === 'invalid') return ignored('invalid_payload', userId);
    const period = declared && clampPeriod(declared);
    const result = await this.lifecycle.applyCapture(tx, {
      userId,
      paymentId: r.paymentId,
      seriesId: declaredSeriesId(r.data),
      instrumentId: instrumentOf(r.data),
      capturedAt: r.event.createdOn ?? r.receivedAt,
      period,
      reportedBy: 'webhook',
      renewalCharge: isRenewalReference(r.data),
      now: r.receivedAt,
    });
    if (result.outcome === 'duplicate') return ignored('duplicate', userId);
    if (r.session) await this.sessions.complete(tx.manager, r.session.id, r.receivedAt);
    return { processed: true, userId };
  }

  /** Credits and user come from the stored credit-purchase session only (docs/webhook-trust.md). */
  private async purchaseCaptured(tx: Transaction, r: Resolution): Promise<Outcome> {
    const session = r.session?.purpose === 'credit_purchase' ? r.session : null;
    if (!session || session.credits === null) return ignored('invalid_payload');
    const mismatch = sessionMismatch(r.data, session);
    if (mismatch) return this.contradicted(r, mismatch, session.userId);
    const { userId, credits } = session;
    const lotId = await this.credits.grant(tx, {
      userId,
      creditType: 'purchased',
      amount: credits,
      operationRef: `payment:${r.paymentId}`,
      description: `Purchased AI credits (${credits})`,
      reason: 'purchase',
      now: r.receivedAt,
    });
    if (!lotId) return ignored('duplicate', userId);
    await this.sessions.complete(tx.manager, session.id, r.receivedAt);
    const usage = await this.sessions.purchaseUsage(userId, r.receivedAt, tx.manager);
    if (usage.purchased > this.config.MAX_CREDIT_PURCHASE_PER_MONTH) {
      // A captured payment is always honoured (docs/rules.md §2.8).
      this.logger.warn(
        { user_id: userId, purchased: usage.purchased },
        'captured credit purchase exceeds the monthly cap',
      );
    }
    return { processed: true, userId };
  }

  private async declined(tx: Transaction, r: Resolution): Promise<Outcome> {
    if (r.purpose === 'credit_purchase') {
      const userId = await this.resolveUser(tx, r);
      if (!userId) return ignored('unknown_user');
      if (r.session) await this.sessions.fail(tx.manager, r.session.id, r.receivedAt);
      return { processed: true, userId };
    }
    const found = await this.resolveSubscription(tx, r);
    if ('reason' in found) return ignored(found.reason);
    const { userId } = found.subscription;
    const result = await this.lifecycle.applyDecline(
      tx,
      found.subscription,
      r.paymentId,
      'webhook',
      r.receivedAt,
      r.eventAt,
    );
    if (result === 'stale') return ignored('stale_event', userId);
    if (r.session) await this.sessions.fail(tx.manager, r.session.id, r.receivedAt);
    return result === 'duplicate' ? ignored('duplicate', userId) : { processed: true, userId };
  }

  private async cancelled(tx: Transaction, r: Resolution): Promise<Outcome> {
    const found = await this.resolveSubscription(tx, r);
    if ('reason' in found) return ignored(found.reason);
    const { subscription } = found;
    if (isStaleEvent(subscription.lastEventAt, r.eventAt)) return ignored('stale_event', subscription.userId);
    // Already cancelled or expired: recorded as processed, nothing changes (docs/rules.md §10).
    if (!isClosed(subscription.status)) {
      await this.lifecycle.cancel(tx, subscription, 'provider', r.receivedAt, r.eventAt);
    }
    return { processed: true, userId: subscription.userId };
  }

  /** metadata.user_id / user_id (must exist), else the owner of the named subscription or session. */
  private async resolveUser(tx: Transaction, r: Resolution): Promise<string | null> {
    const declared = declaredUserId(r.data);
    if (declared) {
      return UUID_PATTERN.test(declared) && (await this.subscriptions.userExists(tx.manager, declared))
        ? declared
        : null;
    }
    const seriesId = declaredSeriesId(r.data);
    const bySeries = seriesId ? await this.subscriptions.findBySeriesId(tx.manager, seriesId) : null;
    return bySeries?.userId ?? r.session?.userId ?? null;
  }

  /** The subscription a decline or cancellation is about, locked together with its user. */
  private async resolveSubscription(
    tx: Transaction,
    r: Resolution,
  ): Promise<{ subscription: SubscriptionEntity } | { reason: 'unknown_user' | 'unknown_subscription' }> {
    const seriesId = declaredSeriesId(r.data);
    let userId = (seriesId ? await this.subscriptions.findBySeriesId(tx.manager, seriesId) : null)?.userId ?? null;
    if (!userId) {
      userId = await this.resolveUser(tx, r);
      if (!userId) return { reason: declaredUserId(r.data) ? 'unknown_user' : 'unknown_subscription' };
    }
    await this.subscriptions.lockUser(tx.manager, userId);
    const subscription = await this.subscriptions.findByUser(userId, tx.manager, true);
    return subscription ? { subscription } : { reason: 'unknown_subscription' };
  }

  /**
   * A Pro payment without a session must carry the Pro price and, when it names a known
   * subscription, its owner's user id (docs/webhook-trust.md).
   */
  private async subscriptionMismatch(tx: Transaction, r: Resolution): Promise<string | null> {
    const charge = proChargeMismatch(r.data);
    if (charge) return charge;
    const seriesId = declaredSeriesId(r.data);
    const declared = declaredUserId(r.data);
    if (!seriesId || !declared) return null;
    const owner = (await this.subscriptions.findBySeriesId(tx.manager, seriesId))?.userId;
    return owner && owner !== declared ? 'user_id' : null;
  }

  /** A forged or inconsistent event: acknowledged and recorded, alerted, never granted. */
  private contradicted(r: Resolution, field: string, userId: string | null): Outcome {
    this.logger.error(
      { event_id: r.event.id, payment_session_id: r.session?.id ?? null, field },
      'webhook event contradicts our payment session or subscription',
    );
    this.metrics.webhookMismatches.inc({ field });
    return ignored('session_mismatch', userId);
  }

  private count(type: string | undefined, outcome: string): void {
    this.metrics.webhookEvents.inc({ type: type && HANDLED_TYPES.includes(type) ? type : 'other', outcome });
  }
}

function ignored(reason: WebhookIgnoreReason, userId: string | null = null): Outcome {
  return { processed: false, reason, userId };
}
