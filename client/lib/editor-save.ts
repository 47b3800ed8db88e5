/**
 * Autosave of drafts and the unsaved-changes warning. Typing is never lost: a save sends what
 * the form holds at that moment and only marks the form clean if nothing was typed meanwhile.
 */
export function attachAutosave(form: HTMLFormElement, opts: { enabled: boolean; delayMs?: number; onSaved?: (r: SaveResponse) => void }) {
  const status = form.querySelector<HTMLElement>('[data-save-status]');
  const version = form.querySelector<HTMLInputElement>('[data-version]');
  const delay = opts.delayMs ?? 2000;
  let changes = 0;
  let saved = 0;
  let saving: Promise<void> | undefined;
  let stopped = !opts.enabled;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let submitting = false;

  const say = (text: string) => {
    if (status) status.textContent = text;
  };
  const dirty = () => changes !== saved;

  // Not form.action: the submit buttons are named "action" and would shadow it.
  const target = () => form.getAttribute('action') ?? location.pathname;

  async function save(): Promise<void> {
    if (stopped || !dirty()) return;
    if (saving) {
      schedule();
      return;
    }
    let done = () => {};
    saving = new Promise<void>((resolve) => {
      done = resolve;
    });
    const seq = changes;
    const data = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (typeof v === 'string' && k !== 'action') data.append(k, v);
    data.set('autosave', '1');
    say('Saving…');
    try {
      const res = await fetch(target(), {
        method: 'POST',
        body: data,
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
      });
      const json = await res.json().catch(() => null);
      if (!res.ok) {
        say(`Not saved: ${json?.error?.message ?? `error ${res.status}`}`);
        // A conflict needs a person to decide: stop saving over someone else's work.
        if (res.status === 409 || res.status === 403) stopped = true;
        return;
      }
      if (version) version.value = json.version;
      if (!/\/admin\/articles\/\d+$/.test(target())) {
        form.setAttribute('action', `/admin/articles/${json.id}`);
        history.replaceState(null, '', json.editUrl);
      }
      saved = seq;
      say(
        `Draft saved at ${new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}${dirty() ? ' (newer changes pending)' : ''}`,
      );
      opts.onSaved?.(json);
      if (dirty()) schedule();
    } catch {
      say('Not saved: the connection failed. Your text is still here; it will be saved again.');
      schedule();
    } finally {
      saving = undefined;
      done();
    }
  }

  function schedule() {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(save, delay);
  }

  const changed = () => {
    changes++;
    if (stopped && opts.enabled) say('Unsaved changes');
    else if (!opts.enabled) say('Unsaved changes: press Save.');
    schedule();
  };
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  form.addEventListener('submit', (event) => {
    clearTimeout(timer);
    // A save under way changes the version: let it finish, then send the form with the new one.
    if (saving) {
      event.preventDefault();
      const submitter = event.submitter as HTMLElement | null;
      void saving.then(() => form.requestSubmit(submitter));
      return;
    }
    submitting = true;
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') void save();
  });
  window.addEventListener('beforeunload', (event) => {
    if (submitting || !dirty()) return;
    event.preventDefault();
    event.returnValue = '';
  });
  return { changed, save, isDirty: dirty };
}

export interface SaveResponse {
  id: number;
  slug: string;
  status: string;
  version: string;
  editUrl: string;
}
