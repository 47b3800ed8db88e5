import { countWords, readingMinutes } from '../../src/text/reading.js';

/**
 * The live preview: the server renders the Markdown with the reader page's own renderer (so
 * the preview is exactly what readers get); word count and reading time update at once.
 */
export function attachPreview(form: HTMLFormElement) {
  const body = form.querySelector<HTMLTextAreaElement>('[data-body]');
  const preview = form.querySelector<HTMLElement>('[data-preview]');
  const count = form.querySelector<HTMLElement>('[data-wordcount]');
  const url = form.dataset.previewUrl;
  const wpm = Number(form.dataset.wpm) || 200;
  if (!body || !preview || !url) return;
  const csrf = form.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value ?? '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;

  const counts = () => {
    const words = countWords(body.value);
    if (count) count.textContent = `${words} words · ${readingMinutes(words, wpm)} min read`;
  };
  const render = async () => {
    const ticket = ++latest;
    try {
      const res = await fetch(url, {
        method: 'POST',
        body: new URLSearchParams({ _csrf: csrf, body: body.value }),
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
      });
      if (!res.ok || ticket !== latest) return;
      const json = await res.json();
      // Sanitised on the server with the reader page's allowlist.
      preview.innerHTML = json.html || '<p class="hint">Nothing to preview yet.</p>';
    } catch {
      // Offline: the preview waits for the next change.
    }
  };
  body.addEventListener('input', () => {
    counts();
    clearTimeout(timer);
    timer = setTimeout(render, 300);
  });
  counts();
  void render();
}

/** A slug as the server would derive it, shown while the slug field is left empty. */
export function slugPreview(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
}
