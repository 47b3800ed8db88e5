/** Characters as the server counts them: Unicode code points after NFC normalisation and trimming. */
export function countCharacters(text: string): number {
  return [...text.normalize('NFC').trim()].length;
}

/** Keeps "N/5000 characters" up to date under a comment box, warning near and over the limit. */
export function attachCounter(textarea: HTMLTextAreaElement, counter: HTMLElement): void {
  const max = Number(textarea.dataset.max) || 5000;
  const update = () => {
    const n = countCharacters(textarea.value);
    counter.textContent = n > max ? `${n}/${max} characters — ${n - max} over the limit` : `${n}/${max} characters`;
    counter.classList.toggle('counter-warn', n >= max * 0.9 && n <= max);
    counter.classList.toggle('counter-over', n > max);
  };
  textarea.addEventListener('input', update);
  update();
}
