/** Texts of the subscription notifications (docs/rules.md §10 names the titles). */
export type SubscriptionNotice =
  | { kind: 'activated' | 'renewed'; periodEnd: string; credits: number }
  | { kind: 'payment_failed'; failedPaymentCount: number }
  | { kind: 'grace_started' | 'grace_warning'; gracePeriodEnd: string }
  | { kind: 'expired' };

export function subscriptionNotificationText(notice: SubscriptionNotice): { title: string; body: string } {
  switch (notice.kind) {
    case 'activated':
      return {
        title: 'Welcome to Pro',
        body: `Your Pro subscription is active until ${day(notice.periodEnd)}. ${notice.credits} AI credits were added to your balance.`,
      };
    case 'renewed':
      return {
        title: 'Subscription renewed',
        body: `Your Pro subscription was renewed until ${day(notice.periodEnd)}. ${notice.credits} AI credits were added to your balance.`,
      };
    case 'payment_failed':
      return {
        title: `Payment failed (${notice.failedPaymentCount}/3)`,
        body: 'We could not charge your card for Pro. You keep Pro for now; please update your payment method.',
      };
    case 'grace_started':
      return {
        title: 'Payment failed - grace period started',
        body: `Your payment failed 3 times. You keep Pro until ${when(notice.gracePeriodEnd)}; update your payment method before then.`,
      };
    case 'grace_warning':
      return {
        title: 'Your Pro grace period ends soon',
        body: `Pro ends on ${when(notice.gracePeriodEnd)} unless a payment goes through. Update your payment method to keep it.`,
      };
    case 'expired':
      return {
        title: 'Subscription expired',
        body: 'Your Pro subscription has ended and the free plan applies now. Nothing was deleted; subscribe again any time.',
      };
  }
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

/** `2026-01-22 10:30 UTC` */
function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
