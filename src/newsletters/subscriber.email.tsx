import { render } from 'preact-render-to-string';
import type { MailMessage } from '../mail/mail.transport.js';
import type { NewsletterList } from './newsletter.table.js';

const FONT = 'font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Helvetica, Arial, sans-serif;';

function Shell(props: { siteName: string; title: string; children: preact.ComponentChildren }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{props.title}</title>
      </head>
      <body style={`margin:0;padding:24px;background:#f4f4f1;color:#1a1a1a;${FONT}`}>
        <div style="max-width:560px;margin:0 auto;background:#ffffff;padding:24px;border-radius:6px;line-height:1.5;">
          <p style="margin:0 0 16px;font-size:14px;color:#555555;">{props.siteName}</p>
          {props.children}
        </div>
      </body>
    </html>
  );
}

function Button(props: { href: string; children: string }) {
  return (
    <p style="margin:24px 0;">
      <a
        href={props.href}
        style="display:inline-block;background:#1a1a1a;color:#ffffff;padding:12px 20px;border-radius:4px;text-decoration:none;font-weight:bold;"
      >
        {props.children}
      </a>
    </p>
  );
}

const listNames = (lists: NewsletterList[]) => lists.map((l) => l.name).join(', ');

/** The double opt-in email: nothing is sent to the address until its link is followed. */
export function confirmationEmail(opts: { to: string; siteName: string; lists: NewsletterList[]; confirmUrl: string }): MailMessage {
  const subject = `Confirm your subscription to ${opts.siteName}`;
  const text = [
    `Please confirm that you want ${opts.siteName} newsletters at this address: ${listNames(opts.lists)}.`,
    '',
    'Confirm your subscription:',
    opts.confirmUrl,
    '',
    'If you did not ask for this, ignore this email: without confirmation we will not write again,',
    'and the address is deleted after 7 days.',
  ].join('\n');
  const html = `<!doctype html>${render(
    <Shell siteName={opts.siteName} title={subject}>
      <h1 style="font-size:22px;margin:0 0 12px;">Confirm your subscription</h1>
      <p>
        Please confirm that you want these newsletters at this address: <strong>{listNames(opts.lists)}</strong>.
      </p>
      <Button href={opts.confirmUrl}>Confirm subscription</Button>
      <p style="font-size:14px;color:#555555;">
        Or open this link: <a href={opts.confirmUrl}>{opts.confirmUrl}</a>
      </p>
      <p style="font-size:14px;color:#555555;">
        If you did not ask for this, ignore this email: without confirmation we will not write again, and the address is deleted after 7
        days.
      </p>
    </Shell>,
  )}`;
  return { to: opts.to, subject, text, html };
}

/** Sent instead when a confirmed address signs up again: the same answer on the site, and a way in for its owner. */
export function alreadySubscribedEmail(opts: { to: string; siteName: string; preferencesUrl: string }): MailMessage {
  const subject = `You already get ${opts.siteName} newsletters`;
  const text = [
    `Someone (probably you) asked to subscribe this address to ${opts.siteName} newsletters. It is subscribed already.`,
    '',
    'Choose your newsletters or unsubscribe here:',
    opts.preferencesUrl,
    '',
    'If it was not you, there is nothing to do.',
  ].join('\n');
  const html = `<!doctype html>${render(
    <Shell siteName={opts.siteName} title={subject}>
      <h1 style="font-size:22px;margin:0 0 12px;">You are already subscribed</h1>
      <p>Someone (probably you) asked to subscribe this address. It is subscribed already.</p>
      <Button href={opts.preferencesUrl}>Choose your newsletters</Button>
      <p style="font-size:14px;color:#555555;">If it was not you, there is nothing to do.</p>
    </Shell>,
  )}`;
  return { to: opts.to, subject, text, html };
}
