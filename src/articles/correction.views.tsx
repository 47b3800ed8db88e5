import type { SiteSettings } from '../settings/settings.service.js';
import { dateTimeFormat } from '../text/intl.js';
import type { Correction } from './correction.service.js';

function day(iso: string, s: Pick<SiteSettings, 'locale' | 'timeZone'>): string {
  return dateTimeFormat(s.locale, { dateStyle: 'long', timeZone: s.timeZone }).format(new Date(iso));
}

/** "Correction, 30 November 2026: …" notes at the end of an article. */
export function Corrections(props: { corrections: Correction[]; settings: Pick<SiteSettings, 'locale' | 'timeZone'> }) {
  if (props.corrections.length === 0) return null;
  return (
    <section class="corrections" aria-labelledby="corrections-title">
      <h2 id="corrections-title" class="visually-hidden">
        Corrections
      </h2>
      {props.corrections.map((c) => (
        <p class="correction" key={c.id}>
          <strong>
            Correction, <time datetime={c.createdAt}>{day(c.createdAt, props.settings)}</time>:
          </strong>{' '}
          {c.body}
        </p>
      ))}
    </section>
  );
}
