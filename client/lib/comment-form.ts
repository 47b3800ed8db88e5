import { countCharacters } from './counter.js';

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>".]{2,}$/;
type Field = 'name' | 'email' | 'body' | 'form';

/** The same checks as the server's first rule, so most mistakes are caught before sending. */
export function checkComment(values: { name: string; email: string; body: string }, max = 5000): { field: Field; message: string } | null {
  const name = values.name.normalize('NFC').trim();
  const email = values.email.trim();
  const n = countCharacters(values.body);
  if (!name) return { field: 'name', message: 'Please enter your name.' };
  if (countCharacters(name) > 80) return { field: 'name', message: 'Your name can have at most 80 characters.' };
  if (!email) return { field: 'email', message: 'Please enter your email address (it is never shown).' };
  if (email.length > 254 || !EMAIL.test(email)) return { field: 'email', message: 'Please enter a valid email address.' };
  if (n === 0) return { field: 'body', message: 'Please write a comment.' };
  if (n > max) return { field: 'body', message: `Your comment has ${n} characters; the limit is ${max}. Please shorten it by ${n - max}.` };
  return null;
}

/**
 * Enhances the comment form of a cached page: fetches this reader's CSRF token and timing stamp,
 * sends without a page reload, shows errors on the right field, and moves the form under a
 * comment to reply. Without this script the form still posts as a plain form.
 */
export function attachCommentForm(form: HTMLFormElement): void {
  const home = { parent: form.parentNode, next: form.nextSibling };
  const set = (name: string, value: string) => {
    const input = form.querySelector<HTMLInputElement>(`input[name="${name}"]`);
    if (input) input.value = value;
  };
  const tokenReady = fetch('/api/v1/form-token', { credentials: 'same-origin', headers: { accept: 'application/json' } })
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
    .then((t: { token: string; stamp: string }) => {
      // Private pages (errors, replies) already carry their own stamp: keep the older one.
      if (!form.querySelector<HTMLInputElement>('input[name="_ts"]')?.value) set('_ts', t.stamp);
      set('_csrf', t.token);
    })
    .catch(() => undefined);

  const status = form.querySelector<HTMLElement>('[data-comment-status]');
  const formError = form.querySelector<HTMLElement>('[data-form-error]');
  const clearErrors = () => {
    for (const p of form.querySelectorAll('.field-error')) p.remove();
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    if (formError) formError.hidden = true;
  };
  const showError = (field: string, message: string) => {
    const input = form.querySelector<HTMLElement>(`[name="${field}"]`);
    if (!input || field === 'form' || field === 'parent') {
      if (formError) {
        formError.textContent = message;
        formError.hidden = false;
        formError.focus?.();
      }
      return;
    }
    const p = document.createElement('p');
    p.className = 'field-error';
    p.id = `comment-${field}-error`;
    p.textContent = message;
    input.setAttribute('aria-invalid', 'true');
    const described = (input.getAttribute('aria-describedby') ?? '').split(' ').filter((x) => x && x !== p.id);
    input.setAttribute('aria-describedby', [...described, p.id].join(' '));
    input.insertAdjacentElement('afterend', p);
    input.focus();
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors();
    const data = new FormData(form);
    const value = (k: string) => String(data.get(k) ?? '');
    const problem = checkComment({ name: value('name'), email: value('email'), body: value('body') });
    if (problem) return showError(problem.field, problem.message);
    await tokenReady;
    // No token (the token request failed): the plain form post still works, via a confirmation page.
    if (!form.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value) return form.submit();
    const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (button) button.disabled = true;
    try {
      const res = await fetch(form.action, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(new FormData(form) as unknown as Record<string, string>).toString(),
      });
      const json = await res.json().catch(() => ({}));
      if (res.status === 202) {
        const textarea = form.querySelector<HTMLTextAreaElement>('textarea[name="body"]');
        if (textarea) {
          textarea.value = '';
          textarea.dispatchEvent(new Event('input'));
        }
        if (status) {
          status.textContent =
            json.status === 'approved'
              ? 'Thank you! Your comment is published; reload the page to see it.'
              : 'Thank you! Your comment is awaiting moderation and will appear once approved.';
          status.hidden = false;
        }
        return;
      }
      const error = json.error ?? {};
      showError(error.field ?? 'form', error.message ?? 'Your comment could not be sent. Please try again.');
    } catch {
      showError('form', 'Your comment could not be sent: check your connection and try again.');
    } finally {
      if (button) button.disabled = false;
    }
  });

  const parentField = form.querySelector<HTMLInputElement>('[data-parent-field]');
  const replyTo = form.querySelector<HTMLElement>('[data-reply-to]');
  const heading = form.querySelector('h3');
  const restore = () => {
    if (parentField) parentField.value = '';
    if (replyTo) replyTo.hidden = true;
    if (heading) heading.textContent = 'Leave a Comment';
    home.parent?.insertBefore(form, home.next);
  };
  for (const link of document.querySelectorAll<HTMLAnchorElement>('[data-reply]')) {
    link.addEventListener('click', (event) => {
      event.preventDefault();
      const comment = link.closest('article');
      if (!comment || !parentField) return;
      parentField.value = link.dataset.reply ?? '';
      if (heading) heading.textContent = `Reply to ${link.dataset.replyName ?? ''}`;
      if (replyTo) replyTo.hidden = false;
      comment.insertAdjacentElement('afterend', form);
      form.querySelector<HTMLTextAreaElement>('textarea')?.focus();
    });
  }
  form.querySelector('[data-cancel-reply]')?.addEventListener('click', (event) => {
    event.preventDefault();
    restore();
  });
}
