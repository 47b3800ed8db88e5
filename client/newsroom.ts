import { attachLiveReaders } from './lib/analytics-live.js';
import { attachHero } from './lib/editor-hero.js';
import { attachPreview, slugPreview } from './lib/editor-preview.js';
import { attachAutosave } from './lib/editor-save.js';
import { attachSuggest } from './lib/suggest.js';

// A refused form: bring its message into view and to the screen reader.
document.querySelector<HTMLElement>('.error-summary')?.focus();

const form = document.querySelector<HTMLFormElement>('form[data-editor]');
if (form) {
  const slug = form.querySelector<HTMLInputElement>('[data-slug]');
  const headline = form.querySelector<HTMLInputElement>('[data-headline]');
  const saver = attachAutosave(form, {
    enabled: form.dataset.autosave === 'on',
    onSaved: (r) => {
      if (slug && !slug.value) slug.placeholder = r.slug;
      const links = document.querySelector<HTMLElement>('[data-editor-links]');
      if (links?.hidden) {
        for (const a of links.querySelectorAll<HTMLAnchorElement>('a[data-link]')) a.href = `/admin/articles/${r.id}/${a.dataset.link}`;
        links.hidden = false;
      }
    },
  });
  attachPreview(form);
  attachHero(form, saver.changed);
  // While the slug is left empty it follows the headline (the server makes it unique on save).
  if (slug && headline && slug.dataset.locked !== 'yes') {
    const follow = () => {
      if (!slug.value) slug.placeholder = slugPreview(headline.value);
    };
    headline.addEventListener('input', follow);
    follow();
  }
  for (const input of form.querySelectorAll<HTMLInputElement>('input[data-suggest]')) {
    const list = document.getElementById(input.dataset.suggest ?? '');
    const options = list ? [...list.querySelectorAll('option')].map((o) => o.value) : [];
    attachSuggest(input, options);
  }
}
// The analytics dashboard's readers-now panel refreshes itself.
const live = document.querySelector<HTMLElement>('[data-analytics-now]');
if (live) attachLiveReaders(live);
