let uid = 0;

/**
 * Type-ahead for comma-separated names (authors, tags): suggests known names for the part
 * being typed; arrow keys move, Enter or Tab accepts, Escape closes. New names can be typed freely.
 */
export function attachSuggest(input: HTMLInputElement, options: string[]) {
  const id = `suggest-${++uid}`;
  const list = document.createElement('ul');
  list.id = id;
  list.className = 'suggest-list';
  list.setAttribute('role', 'listbox');
  list.hidden = true;
  input.after(list);
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', id);
  let active = -1;
  let shown: string[] = [];

  const parts = () => input.value.split(',');
  const current = () => (parts().pop() ?? '').trim().toLowerCase();
  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const highlight = (i: number) => {
    active = i;
    [...list.children].forEach((li, k) => {
      li.setAttribute('aria-selected', String(k === i));
    });
    if (i >= 0) input.setAttribute('aria-activedescendant', `${id}-${i}`);
  };
  const accept = (name: string) => {
    const kept = parts()
      .slice(0, -1)
      .map((p) => p.trim())
      .filter(Boolean);
    input.value = `${[...kept, name].join(', ')}, `;
    close();
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.focus();
  };
  const update = () => {
    const typed = current();
    const taken = new Set(parts().map((p) => p.trim().toLowerCase()));
    shown = typed ? options.filter((o) => o.toLowerCase().includes(typed) && !taken.has(o.toLowerCase())).slice(0, 8) : [];
    list.replaceChildren(
      ...shown.map((name, i) => {
        const li = document.createElement('li');
        li.id = `${id}-${i}`;
        li.setAttribute('role', 'option');
        li.textContent = name;
        li.addEventListener('mousedown', (e) => {
          e.preventDefault();
          accept(name);
        });
        return li;
      }),
    );
    list.hidden = shown.length === 0;
    input.setAttribute('aria-expanded', String(!list.hidden));
    highlight(-1);
  };
  input.addEventListener('input', (e) => {
    if (e.isTrusted) update();
  });
  input.addEventListener('blur', close);
  input.addEventListener('keydown', (e) => {
    if (list.hidden) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = shown.length;
      highlight(e.key === 'ArrowDown' ? (active + 1) % n : (active - 1 + n) % n);
    } else if ((e.key === 'Enter' || e.key === 'Tab') && active >= 0) {
      e.preventDefault();
      accept(shown[active]);
    } else if (e.key === 'Escape') {
      close();
    }
  });
}
