/**
 * A small RFC 5545 serializer: content lines `NAME;PARAM=VALUE:value`, TEXT escaping (§3.3.11),
 * UTC DATE-TIME values (§3.3.5), DURATION values (§3.3.6) and line folding at 75 octets with CRLF
 * line breaks (§3.1), never splitting a UTF-8 character.
 */

const MAX_LINE_OCTETS = 75;

/** Escapes a TEXT value: backslash, semicolon, comma and line breaks. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** `20260119T103000Z`: a DATE-TIME in UTC (milliseconds dropped). */
export function formatDateTime(instant: Date): string {
  return instant
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** A DURATION in whole minutes, e.g. `-PT30M`, `PT2H`, `-P1DT1H`. */
export function formatMinutes(minutes: number): string {
  const sign = minutes < 0 ? '-' : '';
  let rest = Math.abs(Math.trunc(minutes));
  const days = Math.floor(rest / 1440);
  rest -= days * 1440;
  const hours = Math.floor(rest / 60);
  const mins = rest - hours * 60;
  const time = `${hours > 0 ? `${hours}H` : ''}${mins > 0 || (days === 0 && hours === 0) ? `${mins}M` : ''}`;
  return `${sign}P${days > 0 ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}

/**
 * Splits a content line into lines of at most 75 octets: every continuation line starts with one
 * space (which counts towards its 75), and a multi-octet character is never cut.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    if (octets + size > MAX_LINE_OCTETS) {
      parts.push(current);
      current = ' ';
      octets = 1;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n');
}

export type IcsParams = Record<string, string>;

/** Builds an iCalendar stream line by line; `toString()` ends every line with CRLF. */
export class IcsWriter {
  private readonly lines: string[] = [];

  begin(component: string): this {
    return this.raw('BEGIN', component);
  }

  end(component: string): this {
    return this.raw('END', component);
  }

  /** A TEXT property (escaped). */
  text(name: string, value: string, params: IcsParams = {}): this {
    return this.raw(name, escapeText(value), params);
  }

  /** A UTC DATE-TIME property. */
  dateTime(name: string, instant: Date, params: IcsParams = {}): this {
    return this.raw(name, formatDateTime(instant), params);
  }

  /** A property whose value is already in its RFC 5545 form (integers, enumerations, RRULE, DURATION). */
  raw(name: string, value: string, params: IcsParams = {}): this {
    const parameters = Object.entries(params)
      .map(([key, param]) => `;${key}=${param}`)
      .join('');
    this.lines.push(foldLine(`${name}${parameters}:${value}`));
    return this;
  }

  toString(): string {
    return this.lines.map((line) => `${line}\r\n`).join('');
  }
}
