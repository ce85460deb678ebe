/**
 * Delivery periods of decisions (Housing Code 51.6, 53.3, 55.2: the decision is handed over or
 * sent to the citizen within 3 working days of its adoption). Pure: which notice template carries
 * which decision, and the `legal_period` row that gives its delivery period; the number and the
 * citation live in that table.
 */
export const DELIVERY_PERIOD_OF_TEMPLATE: Readonly<Record<string, string>> = {
  // 51.6: the document confirming the registration, within 3 working days of the decision
  'waitlist-registered': 'waitlist-registration-document-delivery',
  // 53.3: the reasoned refusal of registration, within 3 working days of its adoption
  'waitlist-registration-refused': 'waitlist-refusal-delivery',
  // 55.2: the removal decision, within 3 working days of its adoption
  'waitlist-removal-decided': 'seizure-decision-delivery',
};

export function deliveryPeriodOf(template: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(DELIVERY_PERIOD_OF_TEMPLATE, template)
    ? DELIVERY_PERIOD_OF_TEMPLATE[template]
    : undefined;
}

export type DeliveryRoute = 'electronic' | 'paper';

/**
 * A citizen with no address the system can reach (no electronic cabinet, no e-mail, no phone)
 * gets the decision by post: the "sends" of 51.6 / 53.3 / 55.2 is then a paper route.
 */
export function deliveryRoute(channels: readonly string[]): DeliveryRoute {
  return channels.length > 0 ? 'electronic' : 'paper';
}

export interface DeliveryState {
  dueAt: Date | null;
  deliveredAt: Date | null;
}

/** Overdue: a delivery period that ended before `at` without the decision delivered. */
export function isDeliveryOverdue(d: DeliveryState, at: Date): boolean {
  return d.dueAt !== null && d.deliveredAt === null && d.dueAt.getTime() < at.getTime();
}
