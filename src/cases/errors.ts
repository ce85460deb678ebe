import type { FormProblem } from './application-form.js';

/** A request the case rules refuse; the API turns it into 404 / 409 / 400 / 422 naming the field. */
export class CaseError extends Error {
  constructor(
    readonly kind: 'not-found' | 'conflict' | 'invalid' | 'unprocessable',
    message: string,
    readonly problems: FormProblem[] = [],
  ) {
    super(message);
    this.name = 'CaseError';
  }
}
