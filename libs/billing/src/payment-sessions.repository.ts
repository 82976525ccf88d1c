import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PaymentSessionEntity } from '@app/core/database/entities';
import type { PaymentSessionPurpose } from '@app/core/database/enums';
import { PAYMENT_SESSION_TTL_MS, utcMonthStart } from './subscription-rules';

export interface NewPaymentSession {
  userId: string;
  purpose: PaymentSessionPurpose;
  credits: number | null;
  amountCents: number;
  currency: string;
  now: Date;
}

/** Credits bought this UTC month (granted) and held by pending purchase sessions of the last 24 h. */
export interface PurchaseUsage {
  purchased: number;
  pending: number;
}

@Injectable()
export class PaymentSessionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(manager: EntityManager, session: NewPaymentSession): Promise<PaymentSessionEntity> {
    const entity = manager.create(PaymentSessionEntity, {
      userId: session.userId,
      purpose: session.purpose,
      credits: session.credits,
      amountCents: session.amountCents,
      currency: session.currency,
      status: 'pending',
      expiresAt: new Date(session.now.getTime() + PAYMENT_SESSION_TTL_MS),
      createdAt: session.now,
      updatedAt: session.now,
    });
    return manager.save(PaymentSessionEntity, entity);
  }

  findById(manager: EntityManager, id: string): Promise<PaymentSessionEntity | null> {
    return manager.findOne(PaymentSessionEntity, { where: { id } });
  }

  async attachProviderSession(
    manager: EntityManager,
    id: string,
    providerSessionId: string,
    checkoutUrl: string,
    now: Date,
  ): Promise<void> {
    await manager.update(PaymentSessionEntity, { id }, { providerSessionId, checkoutUrl, updatedAt: now });
  }

  /** pending → failed (provider refused the session, or a declined payment). */
  async fail(manager: EntityManager, id: string, now: Date): Promise<void> {
    await manager.query(
      `UPDATE payment_sessions SET status = 'failed', updated_at = $2 WHERE id = $1 AND status = 'pending'`,
      [id, now],
    );
  }

  /** A captured payment always wins: pending, failed or expired → completed, at most once. */
  async complete(manager: EntityManager, id: string, now: Date): Promise<void> {
    await manager.query(
      `UPDATE payment_sessions SET status = 'completed', completed_at = $2, updated_at = $2
       WHERE id = $1 AND status <> 'completed'`,
      [id, now],
    );
  }

  async expirePending(now: Date): Promise<number> {
    const rows: Array<{ count: number }> = await this.dataSource.query(
      `WITH changed AS (
         UPDATE payment_sessions SET status = 'expired', updated_at = $1
         WHERE status = 'pending' AND expires_at <= $1
         RETURNING 1
       )
       SELECT count(*)::int AS count FROM changed`,
      [now],
    );
    return rows[0].count;
  }

  async purchaseUsage(
    userId: string,
    now: Date,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<PurchaseUsage> {
    const rows: Array<{ purchased: number; pending: number }> = await manager.query(
      `SELECT
         (SELECT COALESCE(SUM(amount), 0)::int FROM ai_credit_ledger
          WHERE user_id = $1 AND credit_type = 'purchased' AND operation = 'grant' AND created_at >= $2) AS purchased,
         (SELECT COALESCE(SUM(credits), 0)::int FROM payment_sessions
          WHERE user_id = $1 AND purpose = 'credit_purchase' AND status = 'pending' AND created_at > $3) AS pending`,
      [userId, utcMonthStart(now), new Date(now.getTime() - PAYMENT_SESSION_TTL_MS)],
    );
    return { purchased: rows[0].purchased, pending: rows[0].pending };
  }
}
