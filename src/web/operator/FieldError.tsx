import { ApiError } from '../api';
import { FieldError as SharedFieldError } from '../components/FieldError';

/** The id of the message shown next to an input, for its aria-describedby. */
export const errorId = (id: string) => `${id}-error`;

/** The shared field message, with its id derived from the input's (see invalidProps). */
export function FieldError({ error, field, id }: { error: unknown; field: string; id: string }) {
  return <SharedFieldError error={error} field={field} id={errorId(id)} />;
}

/** aria props for an input whose field the API may name in an error. */
export function invalidProps(error: unknown, field: string, id: string) {
  const bad = error instanceof ApiError && error.field(field) !== undefined;
  return bad ? { 'aria-invalid': true, 'aria-describedby': errorId(id) } : {};
}

/** A problem whose every named field is shown next to an input needs no separate box. */
export function unplaced(error: unknown, fields: string[]): unknown {
  if (!(error instanceof ApiError)) return error;
  const errs = error.problem.errors;
  if (errs?.length && errs.every((e) => fields.includes(e.field))) return undefined;
  return error;
}
