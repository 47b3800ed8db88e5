import type { AppError } from '../errors.js';

export interface FormError {
  message: string;
  field?: string;
}

export const formError = (e: AppError): FormError => ({ message: e.message, field: e.field });

/** The message under a field, when the error is about that field. */
export function FieldError(props: { error?: FormError; field: string }) {
  if (!props.error || props.error.field !== props.field) return null;
  return (
    <p class="field-error" id={`${props.field}-error`}>
      {props.error.message}
    </p>
  );
}

/** The message at the top of a refused form, linking to the field at fault. */
export function ErrorSummary(props: { error?: FormError }) {
  if (!props.error) return null;
  return (
    <div class="form-error error-summary" role="alert" tabIndex={-1}>
      <p>
        {props.error.message}{' '}
        {props.error.field ? (
          <a href={`#f-${props.error.field}`} class="error-link">
            Go to the field
          </a>
        ) : null}
      </p>
    </div>
  );
}

export function Flash(props: { message?: string }) {
  if (!props.message) return null;
  return (
    <p class="notice" role="status">
      {props.message}
    </p>
  );
}
