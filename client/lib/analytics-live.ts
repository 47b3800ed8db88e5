interface NowReaders {
  site: number;
  articles: { id: number; headline: string; url: string; readers: number }[];
}

const EVERY_MS = 15_000;

/** The dashboard's "Now" panel: fetched again every 15 seconds while the tab is visible. */
export function attachLiveReaders(panel: HTMLElement): void {
  const src = panel.dataset.analyticsNow;
  const total = panel.querySelector<HTMLElement>('[data-now-total]');
  const list = panel.querySelector<HTMLElement>('[data-now-list]');
  if (!src || !total || !list) return;
  const refresh = async () => {
    if (document.visibilityState !== 'visible') return;
    try {
      const res = await fetch(src, { credentials: 'same-origin', headers: { accept: 'application/json' } });
      if (!res.ok) return;
      const now = (await res.json()) as NowReaders;
      total.textContent = now.site.toLocaleString('en-US');
      const items = now.articles.map((a) => {
        const li = document.createElement('li');
        const link = document.createElement('a');
        link.href = `/admin/analytics/articles/${a.id}`;
        link.textContent = a.headline;
        li.append(link, ` — ${a.readers.toLocaleString('en-US')}`);
        return li;
      });
      list.replaceChildren(...items);
    } catch {
      // The next round tries again.
    }
  };
  setInterval(refresh, EVERY_MS);
}
