/** Copy-link and Web Share buttons of the share bar; hidden until they can work. */
export function attachShare(root: HTMLElement): void {
  const url = root.dataset.shareUrl ?? location.href;
  const title = root.dataset.shareTitle ?? document.title;
  const status = root.querySelector<HTMLElement>('[data-share-status]');
  const say = (message: string) => {
    if (!status) return;
    status.textContent = '';
    // A fresh text node makes screen readers announce the message again.
    setTimeout(() => {
      status.textContent = message;
    }, 50);
  };
  const copy = root.querySelector<HTMLButtonElement>('[data-copy-link]');
  if (copy && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener('click', () => {
      navigator.clipboard.writeText(url).then(
        () => say('Link copied to the clipboard.'),
        () => say('Could not copy the link; copy it from the address bar.'),
      );
    });
  }
  const native = root.querySelector<HTMLButtonElement>('[data-web-share]');
  if (native && typeof navigator.share === 'function') {
    native.hidden = false;
    native.addEventListener('click', () => {
      navigator.share({ title, url }).catch(() => undefined);
    });
  }
}
