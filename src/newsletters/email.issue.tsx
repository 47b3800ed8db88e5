import type { ComponentChildren } from 'preact';
import { render } from 'preact-render-to-string';

/**
 * The email of a newsletter issue: HTML that holds up in the major mail clients (tables for
 * layout, CSS inline on each element, a dark scheme from one media query that clients which
 * know it apply, images with alt text and sizes) and the same content as plain text. No
 * tracking pixel and no script. Rendered once per issue; each recipient's links are put in
 * where the placeholders stand (`personalise`), so 100,000 recipients cost one render.
 */

export interface EmailArticle {
  headline: string;
  standfirst: string;
  /** Absolute URL of the article. */
  url: string;
  section: string;
  byline: string;
  image: { src: string; width: number; height: number; alt: string } | null;
}

export interface IssueEmailInput {
  siteName: string;
  /** The site's public origin, e.g. https://news.example.org. */
  origin: string;
  /** BCP 47 language of the site (the `lang` attribute). */
  lang: string;
  listName: string;
  subject: string;
  intro: string;
  articles: EmailArticle[];
  /** The date line under the masthead, already formatted in the site's locale. */
  dateLine: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** Stand-ins for each recipient's own links, replaced by `personalise`. */
export const UNSUBSCRIBE_SLOT = '%%GAZETTE_UNSUBSCRIBE%%';
export const PREFERENCES_SLOT = '%%GAZETTE_PREFERENCES%%';

const INK = '#1a1a1a';
const MUTED = '#555555';
const PAPER = '#ffffff';
const PAGE = '#f3f1ec';
const RULE = '#dddddd';
const ACCENT = '#8a1c1c';
const SERIF = "Georgia, 'Times New Roman', Times, serif";
const SANS = "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

// Clients that read <style> (Apple Mail, iOS, Outlook.com, many Android clients) switch to the
// dark scheme; the others keep the light one written inline.
const DARK_CSS = `
:root { color-scheme: light dark; supported-color-schemes: light dark; }
@media (prefers-color-scheme: dark) {
  .g-page { background-color: #121212 !important; }
  .g-card { background-color: #1e1e1e !important; }
  .g-ink, .g-ink a { color: #f0f0f0 !important; }
  .g-muted { color: #b8b8b8 !important; }
  .g-accent { color: #f08a8a !important; }
  .g-rule { border-color: #3a3a3a !important; }
}
@media only screen and (max-width: 620px) {
  .g-card { width: 100% !important; }
  .g-pad { padding-left: 16px !important; padding-right: 16px !important; }
  .g-img { width: 100% !important; height: auto !important; }
}
`;

function Row(props: { children: ComponentChildren; style?: string; class?: string }) {
  return (
    <tr>
      <td class={`g-pad ${props.class ?? ''}`.trim()} style={`padding:0 32px;${props.style ?? ''}`}>
        {props.children}
      </td>
    </tr>
  );
}

function Story(props: { article: EmailArticle; first: boolean }) {
  const a = props.article;
  const width = 536;
  return (
    <Row style={`padding-top:24px;padding-bottom:24px;${props.first ? '' : `border-top:1px solid ${RULE};`}`} class="g-rule">
      {a.image ? (
        <a href={a.url} style="text-decoration:none;">
          <img
            class="g-img"
            src={a.image.src}
            alt={a.image.alt}
            width={width}
            height={Math.round((a.image.height / a.image.width) * width)}
            style="display:block;width:100%;max-width:536px;height:auto;border:0;margin:0 0 12px 0;"
          />
        </a>
      ) : null}
      <p
        class="g-accent"
        style={`margin:0 0 6px 0;font-family:${SANS};font-size:12px;letter-spacing:0.06em;text-transform:uppercase;color:${ACCENT};`}
      >
        {a.section}
      </p>
      <h2 class="g-ink" style={`margin:0 0 8px 0;font-family:${SERIF};font-size:22px;line-height:1.25;font-weight:bold;color:${INK};`}>
        <a href={a.url} class="g-ink" style={`color:${INK};text-decoration:none;`}>
          {a.headline}
        </a>
      </h2>
      {a.standfirst ? (
        <p class="g-ink" style={`margin:0 0 8px 0;font-family:${SERIF};font-size:17px;line-height:1.5;color:${INK};`}>
          {a.standfirst}
        </p>
      ) : null}
      <p class="g-muted" style={`margin:0;font-family:${SANS};font-size:14px;line-height:1.5;color:${MUTED};`}>
        {a.byline ? `${a.byline} · ` : ''}
        <a href={a.url} class="g-accent" style={`color:${ACCENT};text-decoration:underline;`}>
          Read the story
        </a>
      </p>
    </Row>
  );
}

function IssueEmail(props: IssueEmailInput) {
  const p = props;
  return (
    <html lang={p.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="x-apple-disable-message-reformatting" />
        <meta name="color-scheme" content="light dark" />
        <meta name="supported-color-schemes" content="light dark" />
        <title>{p.subject}</title>
        <style dangerouslySetInnerHTML={{ __html: DARK_CSS }} />
      </head>
      <body class="g-page" style={`margin:0;padding:0;background-color:${PAGE};`}>
        {/* The line mail clients show beside the subject in the inbox. */}
        <div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">{p.intro || p.articles[0]?.headline || p.subject}</div>
        <table role="presentation" class="g-page" width="100%" cellpadding="0" cellspacing="0" style={`background-color:${PAGE};`}>
          <tr>
            <td align="center" style="padding:24px 8px;">
              <table
                role="presentation"
                class="g-card"
                width="600"
                cellpadding="0"
                cellspacing="0"
                style={`width:600px;max-width:600px;background-color:${PAPER};`}
              >
                <Row style={`padding-top:28px;padding-bottom:16px;border-bottom:3px solid ${INK};`} class="g-rule">
                  <p class="g-ink" style={`margin:0;font-family:${SERIF};font-size:28px;font-weight:bold;color:${INK};`}>
                    <a href={p.origin} class="g-ink" style={`color:${INK};text-decoration:none;`}>
                      {p.siteName}
                    </a>
                  </p>
                  <p class="g-muted" style={`margin:4px 0 0 0;font-family:${SANS};font-size:14px;color:${MUTED};`}>
                    {p.listName} · {p.dateLine}
                  </p>
                </Row>
                {p.intro ? (
                  <Row style="padding-top:24px;">
                    {p.intro.split(/\n{2,}/).map((para) => (
                      <p class="g-ink" style={`margin:0 0 12px 0;font-family:${SERIF};font-size:17px;line-height:1.55;color:${INK};`}>
                        {para}
                      </p>
                    ))}
                  </Row>
                ) : null}
                {p.articles.map((a, i) => (
                  <Story article={a} first={i === 0} />
                ))}
                <Row style={`padding-top:20px;padding-bottom:28px;border-top:1px solid ${RULE};`} class="g-rule">
                  <p class="g-muted" style={`margin:0 0 8px 0;font-family:${SANS};font-size:13px;line-height:1.5;color:${MUTED};`}>
                    You receive {p.listName} from {p.siteName} because you subscribed and confirmed your address.
                  </p>
                  <p class="g-muted" style={`margin:0;font-family:${SANS};font-size:13px;line-height:1.5;color:${MUTED};`}>
                    <a href={PREFERENCES_SLOT} class="g-accent" style={`color:${ACCENT};text-decoration:underline;`}>
                      Manage your newsletters
                    </a>
                    {' · '}
                    <a href={UNSUBSCRIBE_SLOT} class="g-accent" style={`color:${ACCENT};text-decoration:underline;`}>
                      Unsubscribe
                    </a>
                  </p>
                </Row>
              </table>
            </td>
          </tr>
        </table>
      </body>
    </html>
  );
}

/** Wraps text at about 72 characters on spaces (long words and URLs stay whole). */
export function wrapText(text: string, width = 72): string {
  return text
    .split('\n')
    .map((line) => {
      const out: string[] = [];
      let current = '';
      for (const word of line.split(/ +/)) {
        if (current && current.length + 1 + word.length > width) {
          out.push(current);
          current = word;
        } else current = current ? `${current} ${word}` : word;
      }
      out.push(current);
      return out.join('\n');
    })
    .join('\n');
}

function plainText(p: IssueEmailInput): string {
  const lines: string[] = [p.siteName, `${p.listName} · ${p.dateLine}`, ''];
  if (p.intro) lines.push(wrapText(p.intro.trim()), '');
  for (const a of p.articles) {
    lines.push('----', '', a.section.toUpperCase(), wrapText(a.headline));
    if (a.standfirst) lines.push(wrapText(a.standfirst));
    if (a.byline) lines.push(a.byline);
    lines.push(a.url, '');
  }
  lines.push(
    '----',
    '',
    wrapText(`You receive ${p.listName} from ${p.siteName} because you subscribed and confirmed your address.`),
    '',
    `Manage your newsletters: ${PREFERENCES_SLOT}`,
    `Unsubscribe: ${UNSUBSCRIBE_SLOT}`,
    '',
  );
  return lines.join('\n');
}

/** The issue as HTML and text, with the recipient's links still as placeholders. */
export function renderIssueEmail(input: IssueEmailInput): RenderedEmail {
  return {
    subject: input.subject,
    html: `<!DOCTYPE html>${render(<IssueEmail {...input} />)}`,
    text: plainText(input),
  };
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One recipient's copy: their unsubscribe and preferences links where the placeholders stood. */
export function personalise(email: RenderedEmail, links: { unsubscribe: string; preferences: string }): RenderedEmail {
  const unsubscribeHtml = escapeAttr(links.unsubscribe);
  const preferencesHtml = escapeAttr(links.preferences);
  return {
    subject: email.subject,
    html: email.html.split(UNSUBSCRIBE_SLOT).join(unsubscribeHtml).split(PREFERENCES_SLOT).join(preferencesHtml),
    text: email.text.split(UNSUBSCRIBE_SLOT).join(links.unsubscribe).split(PREFERENCES_SLOT).join(links.preferences),
  };
}
