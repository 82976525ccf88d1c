/**
 * The canonical spelling of an IANA time zone name, or undefined when the runtime does not know
 * it. Only letter case is normalised (`europe/london` → `Europe/London`); aliases such as
 * `US/Eastern` are kept as sent. Numeric offsets (`+01:00`) are not zone names.
 */
export function canonicalTimeZone(value: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value)) return undefined;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
  return resolved.toLowerCase() === value.toLowerCase() ? resolved : value;
}
