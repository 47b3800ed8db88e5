interface Picked {
  id: number;
  thumb?: string;
  alt?: string;
  credit?: string;
  caption?: string;
}

/** Hero image: upload in place or pick from the media library, without leaving the editor. */
export function attachHero(form: HTMLFormElement, onChange: () => void) {
  const box = form.querySelector<HTMLElement>('[data-hero]');
  if (!box) return;
  const q = <T extends Element>(sel: string) => box.querySelector<T>(sel);
  const idInput = q<HTMLInputElement>('[data-hero-id]');
  const preview = q<HTMLElement>('.hero-preview');
  const empty = q<HTMLElement>('[data-hero-empty]');
  const message = q<HTMLElement>('[data-hero-message]');
  const file = q<HTMLInputElement>('[data-hero-file]');
  const uploadLabel = q<HTMLElement>('[data-hero-upload-label]');
  const pick = q<HTMLButtonElement>('[data-hero-pick]');
  const remove = q<HTMLButtonElement>('[data-hero-remove]');
  const dialog = q<HTMLDialogElement>('[data-library]');
  const grid = q<HTMLElement>('[data-library-grid]');
  const csrf = form.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value ?? '';
  const field = (name: string) => form.querySelector<HTMLInputElement>(`[name="${name}"]`);
  if (!idInput || !preview) return;
  if (uploadLabel) uploadLabel.hidden = false;
  if (pick) pick.hidden = !dialog;

  const say = (text: string) => {
    if (message) message.textContent = text;
  };
  const use = (p: Picked | null) => {
    idInput.value = p ? String(p.id) : '';
    // The thumbnail exists only while there is an image to show (an empty src is invalid).
    let img = q<HTMLImageElement>('[data-hero-img]');
    if (p?.thumb) {
      if (!img) {
        img = document.createElement('img');
        img.alt = '';
        img.width = 240;
        img.dataset.heroImg = '';
        preview.prepend(img);
      }
      img.src = p.thumb;
    } else {
      img?.remove();
    }
    if (empty) empty.hidden = !!p;
    if (remove) remove.hidden = !p;
    // The library's alt text and credit fill empty fields; what the editor typed wins.
    for (const [name, value] of [
      ['hero_alt', p?.alt],
      ['hero_credit', p?.credit],
      ['hero_caption', p?.caption],
    ] as const) {
      const input = field(name);
      if (input && value && !input.value) input.value = value;
    }
    onChange();
  };

  file?.addEventListener('change', async () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    const data = new FormData();
    data.set('_csrf', csrf);
    data.set('alt', field('hero_alt')?.value ?? '');
    data.set('credit', field('hero_credit')?.value ?? '');
    data.set('caption', field('hero_caption')?.value ?? '');
    data.set('file', chosen);
    say(`Uploading ${chosen.name}…`);
    try {
      const res = await fetch(form.dataset.uploadUrl ?? '/admin/media', {
        method: 'POST',
        body: data,
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
      });
      const json = await res.json().catch(() => null);
      if (!res.ok) {
        say(json?.error?.message ?? `The upload failed (error ${res.status}).`);
        return;
      }
      use(json);
      say('Image uploaded.');
    } catch {
      say('The upload failed: check the connection and try again.');
    } finally {
      file.value = '';
    }
  });

  remove?.addEventListener('click', () => {
    use(null);
    say('Image removed.');
    pick?.focus();
  });

  pick?.addEventListener('click', async () => {
    if (!dialog || !grid) return;
    grid.textContent = 'Loading…';
    dialog.showModal();
    try {
      const res = await fetch(form.dataset.libraryUrl ?? '/admin/media?format=json', {
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
      });
      const { items } = (await res.json()) as { items: Picked[] };
      grid.textContent = items.length ? '' : 'The library is empty.';
      for (const item of items) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'library-pick';
        const thumb = document.createElement('img');
        thumb.src = item.thumb ?? '';
        thumb.alt = item.alt || `Image ${item.id} (no alt text)`;
        thumb.width = 160;
        button.append(thumb);
        button.addEventListener('click', () => {
          use(item);
          dialog.close();
          say('Image chosen from the library.');
          pick.focus();
        });
        grid.append(button);
      }
      grid.querySelector<HTMLButtonElement>('button')?.focus();
    } catch {
      grid.textContent = 'The library could not be loaded.';
    }
  });
  box.querySelector('[data-library-close]')?.addEventListener('click', () => dialog?.close());
}
