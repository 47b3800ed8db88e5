/**
 * Keyboard moderation on the desk: j/k move between comments, a approves, r rejects (with the
 * reason typed in the row; Enter in a reason box rejects), s marks spam, x selects. Actions are
 * sent without a page reload; without this script every button is a plain form button.
 */
const form = document.querySelector<HTMLFormElement>('[data-moderation]');
if (form) {
  const csrf = form.dataset.csrf ?? '';
  const rows = () => [...form.querySelectorAll<HTMLElement>('[data-comment-row]:not(.is-done)')];
  let current = -1;
  const live = document.createElement('p');
  live.className = 'visually-hidden';
  live.setAttribute('role', 'status');
  form.before(live);

  const focusRow = (i: number) => {
    const list = rows();
    if (list.length === 0) return;
    current = Math.max(0, Math.min(i, list.length - 1));
    for (const r of list) r.classList.remove('is-current');
    list[current].classList.add('is-current');
    list[current].focus();
  };

  const act = async (row: HTMLElement, action: string) => {
    const id = row.dataset.commentRow;
    const reason = row.querySelector<HTMLInputElement>('[data-reason]')?.value ?? '';
    const res = await fetch(`/admin/comments/${id}/${action}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': csrf },
      body: new URLSearchParams({ reason }).toString(),
    });
    if (!res.ok) {
      live.textContent = `Comment ${id}: the action failed (${res.status}).`;
      return;
    }
    row.classList.add('is-done');
    row.dataset.done = action;
    live.textContent = `Comment ${id}: ${action === 'approve' ? 'approved' : action === 'reject' ? 'rejected' : 'marked as spam'}.`;
    focusRow(current);
  };

  for (const button of form.querySelectorAll<HTMLButtonElement>('[data-action]')) {
    button.addEventListener('click', (event) => {
      const row = button.closest<HTMLElement>('[data-comment-row]');
      if (!row || button.dataset.action === 'ban') return; // banning stays a deliberate full-page post
      event.preventDefault();
      void act(row, button.dataset.action ?? '');
    });
  }

  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target as HTMLElement;
    const typing = target.matches('input:not([type=checkbox]), textarea, select');
    if (typing) {
      if (event.key === 'Enter' && target.matches('[data-reason]')) {
        event.preventDefault();
        const row = target.closest<HTMLElement>('[data-comment-row]');
        if (row) void act(row, 'reject');
      } else if (event.key === 'Escape') {
        (target.closest<HTMLElement>('[data-comment-row]') ?? form).focus();
      }
      return;
    }
    const row = rows()[current];
    switch (event.key) {
      case 'j':
        focusRow(current + 1);
        break;
      case 'k':
        focusRow(current - 1);
        break;
      case 'a':
      case 's':
        if (row) void act(row, event.key === 'a' ? 'approve' : 'spam');
        break;
      case 'r': {
        const reason = row?.querySelector<HTMLInputElement>('[data-reason]');
        if (!row || !reason) break;
        if (reason.value.trim()) void act(row, 'reject');
        else reason.focus();
        break;
      }
      case 'x': {
        const box = row?.querySelector<HTMLInputElement>('input[type=checkbox]');
        if (box) box.checked = !box.checked;
        break;
      }
      default:
        return;
    }
    event.preventDefault();
  });
}
