import type { IncomingMessage } from 'node:http';
import ICAL from 'ical.js';
import supertest from 'supertest';
import { as } from '../support/factories';
import type { TestApp } from '../support/test-app';

/** Creates (or rotates) the user's feed and returns the API's answer. */
export async function issueFeed(t: TestApp, token: string): Promise<{ id: string; token: string; url: string }> {
  const res = await as(t, token).post('/api/v1/calendar-feed');
  if (res.status !== 201) throw new Error(`feed creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

/** GET of the feed URL's path, without any Authorization header (as a calendar app polls). */
export function fetchFeed(t: TestApp, url: string): supertest.Test {
  return t.http
    .get(new URL(url).pathname)
    .buffer(true)
    .parse(rawText as unknown as Parameters<supertest.Test['parse']>[0]);
}

/** Parses the body with ical.js, the real RFC 5545 parser, and returns the VTODOs by UID. */
export function todosOf(ics: string): Map<string, ICAL.Component> {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  return new Map(
    calendar.getAllSubcomponents('vtodo').map((todo) => [String(todo.getFirstPropertyValue('uid')), todo]),
  );
}

/** Keeps the calendar as text (byte-exact lines); error envelopes are still parsed as JSON. */
function rawText(res: IncomingMessage, callback: (error: Error | null, body: unknown) => void): void {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (body += chunk));
  res.on('end', () =>
    callback(null, (res.headers['content-type'] ?? '').includes('application/json') ? JSON.parse(body) : body),
  );
}
