/** Share links as plain URLs: no third-party script, no tracking parameters. */
export function shareLinks(url: string, headline: string) {
  const u = encodeURIComponent(url);
  const t = encodeURIComponent(headline);
  return [
    { id: 'x', label: 'X', href: `https://x.com/intent/post?text=${t}&url=${u}` },
    { id: 'facebook', label: 'Facebook', href: `https://www.facebook.com/sharer/sharer.php?u=${u}` },
    { id: 'linkedin', label: 'LinkedIn', href: `https://www.linkedin.com/sharing/share-offsite/?url=${u}` },
    { id: 'whatsapp', label: 'WhatsApp', href: `https://wa.me/?text=${encodeURIComponent(`${headline} ${url}`)}` },
    { id: 'bluesky', label: 'Bluesky', href: `https://bsky.app/intent/compose?text=${encodeURIComponent(`${headline} ${url}`)}` },
    { id: 'email', label: 'Email', href: `mailto:?subject=${t}&body=${encodeURIComponent(`${headline}\n\n${url}`)}` },
  ];
}

// Simple drawn marks, one per network: a rounded square with the network's initial.
function Mark(props: { letter: string }) {
  return (
    <svg class="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <rect x="1" y="1" width="22" height="22" rx="6" fill="currentColor" />
      <text x="12" y="16.5" text-anchor="middle" font-size="13" font-weight="700" font-family="system-ui, sans-serif" fill="Canvas">
        {props.letter}
      </text>
    </svg>
  );
}

const LinkIcon = () => (
  <svg class="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
    <path
      d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
    />
  </svg>
);
const ShareIcon = () => (
  <svg class="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
    <path
      d="M12 3v12M7 8l5-5 5 5M5 13v7h14v-7"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
    />
  </svg>
);
const MailIcon = () => (
  <svg class="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
    <rect x="2" y="5" width="20" height="14" rx="2" fill="none" stroke="currentColor" stroke-width="2" />
    <path d="M3 6l9 7 9-7" fill="none" stroke="currentColor" stroke-width="2" />
  </svg>
);

const LETTERS: Record<string, string> = { x: 'X', facebook: 'f', linkedin: 'in', whatsapp: 'W', bluesky: 'B' };

export function ShareBar(props: { url: string; headline: string }) {
  return (
    <div class="share" data-share-url={props.url} data-share-title={props.headline}>
      <h2 class="share-title" id="share-title">
        Share this article:
      </h2>
      <ul aria-labelledby="share-title">
        {shareLinks(props.url, props.headline).map((l) => (
          <li key={l.id}>
            <a href={l.href} class={`share-${l.id}`} rel="noopener noreferrer" target={l.id === 'email' ? undefined : '_blank'}>
              {l.id === 'email' ? <MailIcon /> : <Mark letter={LETTERS[l.id]} />}
              <span class="visually-hidden">Share on </span>
              <span class="share-label">{l.label}</span>
            </a>
          </li>
        ))}
        <li>
          <button type="button" class="share-copy" data-copy-link hidden>
            <LinkIcon />
            <span class="share-label">Copy link</span>
          </button>
        </li>
        <li>
          <button type="button" class="share-native" data-web-share hidden>
            <ShareIcon />
            <span class="share-label">Share…</span>
          </button>
        </li>
      </ul>
      <p class="share-status" role="status" aria-live="polite" data-share-status />
    </div>
  );
}
