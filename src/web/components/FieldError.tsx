import { ApiError } from '../api';

/**
 * The API's message for one field (problem details `errors`), shown next to that field's
 * input. `id` is the message's own id, for the input's aria-describedby.
 */
export function FieldError({ error, field, id }: { error: unknown; field: string; id?: string }) {
  const message = error instanceof ApiError ? error.field(field) : undefined;
  if (!message) return null;
  return (
    <span id={id} className="field-error" role="alert">
      {message}
    </span>
  );
}
