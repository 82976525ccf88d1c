import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { NotificationType } from '@app/core/database/enums';

export const TITLE_MAX = 100;
export const BODY_MAX = 500;

/** Cuts to `max` code points (PostgreSQL's unit), as stored notifications are truncated, not refused. */
export function truncateCodePoints(value: string, max: number): string {
  const points = Array.from(value);
  return points.length <= max ? value : points.slice(0, max).join('');
}

export interface PushMessage {
  id: string;
  type: NotificationType;
  title: string;
  body: string;
  actionUrl: string | null;
  createdAt: Date;
}

/** The push payload of docs/integrations.md §5 (well below 4 KB: title and body are bounded). */
export function pushPayload(notification: PushMessage): string {
  return JSON.stringify({
    title: notification.title,
    body: notification.body,
    url: notification.actionUrl,
    tag: `perpetua-${notification.type}`,
    notification_id: notification.id,
    type: notification.type,
    timestamp: notification.createdAt.toISOString(),
  });
}

/**
 * What a push service's answer means (docs/integrations.md §5): success; the subscription is gone
 * (delete it); given up for this notification; or worth a retry.
 */
export type PushOutcome = 'delivered' | 'gone' | 'rejected' | 'retry';

export function classifyPushStatus(status: number): PushOutcome {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 404 || status === 410) return 'gone';
  if (status === 429 || status >= 500) return 'retry';
  return 'rejected';
}

/**
 * True for a globally routable address, classified by ipaddr.js `range()` (only `unicast` is
 * public: private, loopback, link-local, CGNAT, reserved, 6to4, Teredo, NAT64 and the rest are
 * not). IPv4-mapped addresses are judged as their IPv4 address; IPv4-compatible ones (::/96,
 * deprecated) are refused.
 */
export function isPublicAddress(address: string): boolean {
  if (isIP(address) === 0) return false;
  let parsed: ipaddr.IPv4 | ipaddr.IPv6 = ipaddr.parse(address);
  if (parsed instanceof ipaddr.IPv6) {
    if (parsed.isIPv4MappedAddress()) parsed = parsed.toIPv4Address();
    else if (parsed.parts.slice(0, 6).every((part) => part === 0)) return false;
  }
  return parsed.range() === 'unicast';
}
