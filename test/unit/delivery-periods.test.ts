import { describe, expect, it } from '@jest/globals';
import {
  deliveryPeriodOf,
  deliveryRoute,
  isDeliveryOverdue,
} from '../../src/domain/delivery-periods.js';

describe('delivery periods (Housing Code 51.6, 53.3, 55.2)', () => {
  it.each([
    ['Housing Code 51.6', 'waitlist-registered', 'waitlist-registration-document-delivery'],
    ['Housing Code 53.3', 'waitlist-registration-refused', 'waitlist-refusal-delivery'],
    ['Housing Code 55.2', 'waitlist-removal-decided', 'seizure-decision-delivery'],
  ])('%s: given the %s notice, then its delivery period is %s', (_point, template, period) => {
    expect(deliveryPeriodOf(template)).toBe(period);
  });

  it('Housing Code 51.6: given a notice that carries no decision, then no delivery period applies', () => {
    expect(deliveryPeriodOf('waitlist-slot-held')).toBeUndefined();
    expect(deliveryPeriodOf('toString')).toBeUndefined();
  });

  it('Housing Code 55.2: given no cabinet, e-mail or phone, then the decision goes by post', () => {
    expect(deliveryRoute([])).toBe('paper');
    expect(deliveryRoute(['cabinet'])).toBe('electronic');
  });

  it('Housing Code 51.6: given the period ended undelivered, then it is overdue; delivered or still running, not', () => {
    const dueAt = new Date('2026-12-03T23:59:59.999+04:00');
    const after = new Date('2026-12-04T09:00:00+04:00');
    expect(isDeliveryOverdue({ dueAt, deliveredAt: null }, after)).toBe(true);
    expect(isDeliveryOverdue({ dueAt, deliveredAt: new Date('2026-12-02T10:00:00Z') }, after)).toBe(
      false,
    );
    expect(
      isDeliveryOverdue({ dueAt, deliveredAt: null }, new Date('2026-12-03T20:00:00+04:00')),
    ).toBe(false);
    expect(isDeliveryOverdue({ dueAt: null, deliveredAt: null }, after)).toBe(false);
  });
});
