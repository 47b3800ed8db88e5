/**
 * Every error code the site answers with, its HTTP status and the message used when a thrower gives
 * none. The codes are part of the JSON API (`{ error: { code, message, field } }`): add, never rename.
 */
export const ERROR_CODES = {
  bad_request: { status: 400, message: 'The request was not understood.' },
  invalid_number: { status: 400, message: 'A number in this request is not one we can use.' },
  invalid_text: { status: 400, message: 'A text in this request is not one we can use.' },
  no_account: { status: 400, message: 'There is no account for this session.' },
  bad_credentials: { status: 401, message: 'The email or password is not right.' },
  unauthorized: { status: 401, message: 'Log in first.' },
  banned: { status: 403, message: 'You cannot comment.' },
  closed: { status: 403, message: 'Comments are closed for this article.' },
  csrf: { status: 403, message: 'This form has expired. Reload the page and try again.' },
  forbidden: { status: 403, message: 'You may not do that.' },
  inactive: { status: 403, message: 'This account has been deactivated. Ask an administrator.' },
  setup_link: { status: 403, message: 'This setup link is missing, not right or has expired.' },
  not_found: { status: 404, message: 'Not found' },
  reset_unknown: { status: 404, message: 'This password-reset link is not known.' },
  conflict: { status: 409, message: 'Someone else changed this in the meantime.' },
  duplicate: { status: 409, message: 'This was already sent.' },
  last_admin: { status: 409, message: 'This is the last active administrator.' },
  reset_expired: { status: 410, message: 'This password-reset link has expired.' },
  reset_used: { status: 410, message: 'This password-reset link has already been used.' },
  too_large: { status: 413, message: 'The request body is too large.' },
  unsupported_media: { status: 415, message: 'This kind of file or body is not accepted here.' },
  confirm: { status: 422, message: 'Please confirm.' },
  image_too_large: { status: 422, message: 'The image is too large.' },
  invalid: { status: 422, message: 'Check what you entered.' },
  invalid_image: { status: 422, message: 'This file is not an image we can use.' },
  loop: { status: 422, message: 'This redirect would go round in a loop.' },
  rate_limited: { status: 429, message: 'Too many requests: wait a moment and try again.' },
  internal: { status: 500, message: 'Something went wrong on our side. Please try again.' },
  busy: { status: 503, message: 'The server is busy: try again in a minute.' },
  mail_not_configured: { status: 503, message: 'No mail server is set up: set GAZETTE_SMTP_URL or the newsroom’s mail settings.' },
  storage_unavailable: { status: 503, message: 'The file store is not answering: try again in a moment.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * An error meant for the user: a code from `ERROR_CODES` (its HTTP status comes with it), a plain
 * message (the code's default if omitted) and the field at fault, if any. `status` overrides the
 * code's own only where the same code answers differently in one place.
 */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CODES[code].message,
    readonly field?: string,
    status?: number,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = status ?? ERROR_CODES[code].status;
  }
}

export const notFound = (message = 'Not found') => new AppError('not_found', message);
export const invalid = (message: string, field?: string) => new AppError('invalid', message, field);
export const conflict = (message: string, field?: string) => new AppError('conflict', message, field);
