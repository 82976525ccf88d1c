import { BlockList, isIP } from 'node:net';
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

const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** True for a globally routable address; private, loopback, link-local and reserved ranges are not. */
export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPublicAddress(mapped[1]);
  const mappedHex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (mappedHex) {
    const [high, low] = [parseInt(mappedHex[1], 16), parseInt(mappedHex[2], 16)];
    return isPublicAddress(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
  }
  const family = isIP(address);
  if (family === 0) return false;
  return !NON_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}
