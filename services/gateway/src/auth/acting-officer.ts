import type { Identity } from '@tthc/contracts';
import type { FieldError } from '@tthc/service-kit';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * The officer a desk system states it acts for. Desk software calls with one system key on
 * behalf of many officers; a key allowed to (per key, set by an administrator) names the person
 * in these headers, and the gateway passes that person in the signed identity, so the audit
 * trail and the slips name the officer and show the key only as the channel.
 *
 * HTTP header values are Latin-1, so the values are percent-encoded UTF-8
 * (`encodeURIComponent('Nguyễn Thị Hoa')`); plain ASCII may be sent as is.
 */
export const ACTING_OFFICER_HEADERS = {
  id: 'x-acting-officer-id',
  name: 'x-acting-officer-name',
  unit: 'x-acting-officer-unit',
} as const;

const LIMITS = { id: 120, name: 200, unit: 200 } as const;

export type Person = NonNullable<Identity['person']>;

/** Why the stated officer cannot be taken: 400 for a malformed header, 403 for a caller not allowed to state one. */
export class ActingOfficerRefused extends Error {
  constructor(
    readonly status: 400 | 403,
    readonly code: 'invalid_acting_officer' | 'acting_officer_not_allowed',
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const raw = headers[name];
  return Array.isArray(raw) ? raw.join(',') : raw;
}

function decode(field: keyof typeof LIMITS, raw: string): string {
  const header = ACTING_OFFICER_HEADERS[field];
  const fail = (detail: string) =>
    new ActingOfficerRefused(400, 'invalid_acting_officer', `${header}: ${detail}`, [
      { in: 'headers', pointer: `/${header}`, detail },
    ]);
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    throw fail('not valid percent-encoded UTF-8');
  }
  value = value.trim().normalize('NFC');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) throw fail('holds a control character');
  if (!value) throw fail('is empty');
  if (value.length > LIMITS[field]) throw fail(`longer than ${LIMITS[field]} characters`);
  return value;
}

/** Whether the request states an acting officer at all (any of the headers present). */
export function statesActingOfficer(headers: IncomingHttpHeaders): boolean {
  return Object.values(ACTING_OFFICER_HEADERS).some((h) => headers[h] !== undefined);
}

/**
 * The person the request states, or null when it states none. Throws ActingOfficerRefused when
 * the caller may not state one (a key without the permission, an officer token, which names its
 * own person) or when the headers are malformed (id and name are both required).
 */
export function actingOfficerOf(
  headers: IncomingHttpHeaders,
  caller: { kind: 'key'; mayStateOfficer: boolean } | { kind: 'token' },
): Person | null {
  if (!statesActingOfficer(headers)) return null;
  if (caller.kind === 'token')
    throw new ActingOfficerRefused(
      403,
      'acting_officer_not_allowed',
      'an officer token names its own person; the acting-officer headers are for desk systems’ API keys',
    );
  if (!caller.mayStateOfficer)
    throw new ActingOfficerRefused(
      403,
      'acting_officer_not_allowed',
      'this API key may not state the officer acting; an administrator allows it per key (mayStateOfficer)',
    );
  const id = headerValue(headers, ACTING_OFFICER_HEADERS.id);
  const name = headerValue(headers, ACTING_OFFICER_HEADERS.name);
  const unit = headerValue(headers, ACTING_OFFICER_HEADERS.unit);
  const missing: FieldError[] = [];
  if (id === undefined)
    missing.push({ in: 'headers', pointer: `/${ACTING_OFFICER_HEADERS.id}`, detail: 'required with a name' });
  if (name === undefined)
    missing.push({
      in: 'headers',
      pointer: `/${ACTING_OFFICER_HEADERS.name}`,
      detail: 'required with an id',
    });
  if (missing.length)
    throw new ActingOfficerRefused(
      400,
      'invalid_acting_officer',
      'the acting officer needs both an id and a name',
      missing,
    );
  return {
    id: decode('id', id!),
    name: decode('name', name!),
    unit: unit === undefined ? null : decode('unit', unit),
  };
}
