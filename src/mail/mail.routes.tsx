import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../errors.js';
import { formError } from '../newsroom/form.views.js';
import { sendHtml } from '../newsroom/http.js';
import { actorOf, csrfToken, requireRole } from '../web/auth.js';
import { formFields, query } from '../web/request.parse.js';
import { normaliseEmail } from './mail.address.js';
import { updateMailSettings } from './mail.service.js';
import { loadMailSettings, loadStoredMailSettings } from './mail.settings.js';
import { closeMailers, MailError, mailerFor } from './mail.transport.js';
import { redactSmtpUrl } from './mail.url.js';
import { type MailFormValues, MailSettingsPage } from './mail.views.js';

export const MailSettingsFormSchema = Type.Object({
  smtp_url: Type.String({ maxLength: 1000 }),
  from: Type.String({ maxLength: 300 }),
  rate: Type.String({ maxLength: 10 }),
});
const TestMailFormSchema = Type.Object({ to: Type.String({ maxLength: 300 }) });

const DONE: Record<string, string> = { saved: 'Mail settings saved.', sent: 'The test email was handed to the mail server.' };

/** /admin/newsletters/mail: administrators set the mail server (over GAZETTE_SMTP_URL) and send a test email. */
export async function mailRoutes(app: FastifyInstance) {
  const { db, config } = app.gazette;
  const admins = requireRole('admin');
  // Pooled connections end with the app.
  app.addHook('onClose', async () => closeMailers());

  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { error?: AppError; typed?: MailFormValues; testTo?: string } = {},
  ) => {
    const [actor, settings, csrf, stored, inForce] = await Promise.all([
      actorOf(request),
      app.gazette.settings(),
      csrfToken(request, reply),
      loadStoredMailSettings(db),
      loadMailSettings(db, config),
    ]);
    const done = query(request).done;
    const values = extra.typed
      ? { ...extra.typed, smtp_url: redactSmtpUrl(extra.typed.smtp_url) || extra.typed.smtp_url }
      : { smtp_url: redactSmtpUrl(stored.smtpUrl), from: stored.from, rate: String(stored.ratePerSecond) };
    return sendHtml(
      reply,
      <MailSettingsPage
        actor={actor}
        siteName={settings.siteName}
        csrf={csrf}
        values={values}
        inForce={{
          server: redactSmtpUrl(inForce.smtpUrl),
          from: inForce.from ?? '',
          source: inForce.source,
          env: redactSmtpUrl(config.smtpUrl),
        }}
        flash={done ? DONE[done] : undefined}
        error={extra.error && formError(extra.error)}
        testTo={extra.testTo}
      />,
      extra.error?.status,
    );
  };

  app.get('/admin/newsletters/mail', { preHandler: admins }, (request, reply) => show(request, reply));

  app.post('/admin/newsletters/mail', { preHandler: admins }, async (request, reply) => {
    const typed = formFields(MailSettingsFormSchema, request.body);
    try {
      await db.transaction().execute((trx) => updateMailSettings(trx, typed));
    } catch (error) {
      if (error instanceof AppError && error.status === 422) return show(request, reply, { error, typed });
      throw error;
    }
    return reply.redirect('/admin/newsletters/mail?done=saved', 303);
  });

  app.post('/admin/newsletters/mail/test', { preHandler: admins }, async (request, reply) => {
    const { to } = formFields(TestMailFormSchema, request.body);
    try {
      const address = (() => {
        try {
          return normaliseEmail(to);
        } catch (error) {
          throw error instanceof AppError ? new AppError('invalid', error.message, 'to') : error;
        }
      })();
      const mailer = await mailerFor(db, config);
      const { siteName } = await app.gazette.settings();
      await mailer.send({
        to: address,
        subject: `Test email from ${siteName}`,
        text: `This is a test email from ${siteName}. The mail settings work.`,
      });
    } catch (error) {
      if (error instanceof MailError) {
        return show(request, reply, {
          error: new AppError('invalid', `The mail server did not take the message: ${error.message}`, 'to'),
          testTo: to,
        });
      }
      if (error instanceof AppError && (error.status === 422 || error.code === 'mail_not_configured')) {
        return show(request, reply, { error, testTo: to });
      }
      throw error;
    }
    return reply.redirect('/admin/newsletters/mail?done=sent', 303);
  });
}
