import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { inspectImage } from '../media/image.js';
import { findMediaByIds } from '../media/media.service.js';
import { SITE_PATHS, versioned } from '../seo/site.assets.js';
import { saveSettings } from '../settings/settings.service.js';
import { resetLink } from '../users/reset.service.js';
import type { Actor } from '../users/user.table.js';
import { actorOf, csrfToken, requireRole } from '../web/auth.js';
import { formBody, idParam, query, text } from '../web/request.parse.js';
import { smallestJpeg } from './editor.side.js';
import { formError } from './form.views.js';
import { sendHtml } from './http.js';
import { uploadImage } from './library.service.js';
import { StaffPage } from './people.views.js';
import { SettingsPage } from './settings.views.js';
import { checkSiteImage, checkSiteSettings, SITE_IMAGE_SETTINGS, type SiteSettingsForm, settingsForm, timeZones } from './site-settings.js';
import { changeRole, inviteUser, issueStaffReset, listStaff, setActive } from './staff.service.js';
import { requireUploadRole, uploadOf } from './upload.js';

const DONE: Record<string, string> = {
  role: 'Role changed; their sessions ended.',
  deactivate: 'Account deactivated: their sessions and API tokens stopped working. Their bylines stay.',
  activate: 'Account reactivated.',
  saved: 'Settings saved.',
  logo: 'Logo updated.',
  'podcast-artwork': 'Podcast artwork updated.',
  'site-image': 'Site image updated.',
};

/** Staff accounts and site settings: administrators only. */
export async function newsroomStaffRoutes(app: FastifyInstance) {
  const { db, mediaRoot } = app.gazette;
  const admins = requireRole('admin');

  async function common(request: FastifyRequest, reply: FastifyReply) {
    const [actor, settings, csrf] = await Promise.all([actorOf(request), app.gazette.settings(), csrfToken(request, reply)]);
    const done = query(request).done;
    return { actor, siteName: settings.siteName, settings, csrf, flash: done ? DONE[done] : undefined };
  }

  const showStaff = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: {
      error?: AppError;
      typed?: Record<string, string>;
      invited?: { email: string; password: string };
      reset?: { email: string; link: string };
    } = {},
  ) => {
    const c = await common(request, reply);
    return sendHtml(
      reply,
      <StaffPage
        {...c}
        users={await listStaff(db)}
        error={extra.error && formError(extra.error)}
        typed={extra.typed}
        invited={extra.invited}
        reset={extra.reset}
      />,
      extra.error?.status,
    );
  };
  /** Runs a change to an account; a refusal (last administrator, yourself, no such user) is shown on the staff page. */
  const change = async (request: FastifyRequest, reply: FastifyReply, done: string, run: (actor: Actor) => Promise<void>) => {
    try {
      await run(await actorOf(request));
    } catch (error) {
      if (error instanceof AppError && error.status < 500) return showStaff(request, reply, { error });
      throw error;
    }
    return reply.redirect(`/admin/users?done=${done}`, 303);
  };
  app.get('/admin/users', { preHandler: admins }, (request, reply) => showStaff(request, reply));
  app.post('/admin/users', { preHandler: admins }, async (request, reply) => {
    const actor = await actorOf(request);
    const b = formBody(request);
    const typed = { name: text(b.name, 200), email: text(b.email, 300), role: text(b.role, 20) };
    try {
      const invited = await db.transaction().execute((trx) => inviteUser(trx, { actor, ...typed }));
      // The password is shown once, on this answer, never in a URL.
      return showStaff(request, reply, { invited });
    } catch (error) {
      if (error instanceof AppError && error.status < 500) return showStaff(request, reply, { error, typed });
      throw error;
    }
  });
  app.post<{ Params: { id: string } }>('/admin/users/:id/role', { preHandler: admins }, async (request, reply) => {
    const id = idParam(request.params.id);
    const role = text(formBody(request).role, 20);
    return change(request, reply, 'role', (actor) => db.transaction().execute((trx) => changeRole(trx, { actor, id, role })));
  });
  for (const [path, active] of [
    ['deactivate', false],
    ['activate', true],
  ] as const) {
    app.post<{ Params: { id: string } }>(`/admin/users/:id/${path}`, { preHandler: admins }, async (request, reply) => {
      const id = idParam(request.params.id);
      return change(request, reply, path, (actor) => db.transaction().execute((trx) => setActive(trx, { actor, id, active })));
    });
  }
  app.post<{ Params: { id: string } }>('/admin/users/:id/reset', { preHandler: admins }, async (request, reply) => {
    const actor = await actorOf(request);
    const id = idParam(request.params.id);
    try {
      const issued = await db.transaction().execute((trx) => issueStaffReset(trx, { actor, id }));
      const { siteUrl } = await app.gazette.settings();
      // Shown once, on this answer: never in a redirect's address, never logged.
      const link = resetLink(issued.token, siteUrl, `${request.protocol}://${request.host}`);
      return showStaff(request, reply, { reset: { email: issued.email, link } });
    } catch (error) {
      if (error instanceof AppError && error.status < 500) return showStaff(request, reply, { error });
      throw error;
    }
  });

  const showSettings = async (request: FastifyRequest, reply: FastifyReply, extra: { error?: AppError; typed?: SiteSettingsForm } = {}) => {
    const c = await common(request, reply);
    const logoId = c.settings.logo?.mediaId;
    const logo = logoId ? ((await findMediaByIds(db, [logoId])).get(logoId) ?? null) : null;
    return sendHtml(
      reply,
      <SettingsPage
        {...c}
        values={extra.typed ?? settingsForm(c.settings)}
        logo={logo}
        images={{
          'podcast-artwork': { src: versioned(c.settings, SITE_PATHS.artwork), uploaded: Boolean(c.settings.podcastArtwork) },
          'site-image': { src: versioned(c.settings, SITE_PATHS.siteImage), uploaded: Boolean(c.settings.siteImage) },
        }}
        zones={timeZones()}
        error={extra.error && formError(extra.error)}
      />,
      extra.error?.status,
    );
  };
  app.get('/admin/settings', { preHandler: admins }, (request, reply) => showSettings(request, reply));
  app.post('/admin/settings', { preHandler: admins }, async (request, reply) => {
    const b = formBody(request);
    const typed: SiteSettingsForm = {
      siteName: text(b.siteName, 300),
      siteDescription: text(b.siteDescription, 1000),
      siteUrl: text(b.siteUrl, 300),
      locale: text(b.locale, 50),
      timeZone: text(b.timeZone, 100),
      wordsPerMinute: text(b.wordsPerMinute, 10),
      podcastOwnerEmail: text(b.podcastOwnerEmail, 300),
      websubHub: text(b.websubHub, 2100),
    };
    try {
      const changes = checkSiteSettings(typed);
      await db.transaction().execute((trx) => saveSettings(trx, changes));
    } catch (error) {
      if (error instanceof AppError && error.status < 500) return showSettings(request, reply, { error, typed });
      throw error;
    }
    app.gazette.invalidateSettings();
    return reply.redirect('/admin/settings?done=saved', 303);
  });
  app.post('/admin/settings/logo', { preHandler: requireUploadRole(['admin'], '/admin/settings') }, async (request, reply) => {
    const actor = await actorOf(request);
    const { file } = uploadOf(request);
    try {
      const id = await uploadImage(db, { actor, file, mediaRoot, meta: { alt: 'Logo', caption: '', credit: '' } });
      const media = (await findMediaByIds(db, [id])).get(id);
      const url = media ? smallestJpeg(media) : undefined;
      if (!media || !url) throw new AppError('invalid_image', 'The logo could not be stored.', 'file');
      await db.transaction().execute((trx) => saveSettings(trx, { logo: { mediaId: id, url, width: media.width, height: media.height } }));
    } catch (error) {
      if (error instanceof AppError && error.status < 500) return showSettings(request, reply, { error });
      throw error;
    }
    app.gazette.invalidateSettings();
    return reply.redirect('/admin/settings?done=logo', 303);
  });
  app.post('/admin/settings/logo/remove', { preHandler: admins }, async (_request, reply) => {
    await db.transaction().execute((trx) => saveSettings(trx, { logo: null }));
    app.gazette.invalidateSettings();
    return reply.redirect('/admin/settings?done=saved', 303);
  });
  // Podcast artwork and site image: an upload replaces the drawn default until it is removed.
  for (const kind of SITE_IMAGE_SETTINGS) {
    app.post(`/admin/settings/${kind.action}`, { preHandler: requireUploadRole(['admin'], '/admin/settings') }, async (request, reply) => {
      const actor = await actorOf(request);
      const { file } = uploadOf(request);
      try {
        // Too small an image is refused before it is stored in the media library (an unreadable
        // file is left to the upload, which says what is wrong with it).
        const size = file && !file.truncated ? await inspectImage(file.buffer).catch(() => undefined) : undefined;
        if (size) checkSiteImage(kind, size);
        const id = await uploadImage(db, { actor, file, mediaRoot, meta: { alt: kind.title, caption: '', credit: '' } });
        const media = (await findMediaByIds(db, [id])).get(id);
        if (!media) throw new AppError('invalid_image', `The ${kind.title.toLowerCase()} could not be stored.`, 'file');
        checkSiteImage(kind, media);
        await db.transaction().execute((trx) => saveSettings(trx, { [kind.setting]: { mediaId: id } }));
      } catch (error) {
        if (error instanceof AppError && error.status < 500) return showSettings(request, reply, { error });
        throw error;
      }
      app.gazette.invalidateSettings();
      return reply.redirect(`/admin/settings?done=${kind.action}`, 303);
    });
    app.post(`/admin/settings/${kind.action}/remove`, { preHandler: admins }, async (_request, reply) => {
      await db.transaction().execute((trx) => saveSettings(trx, { [kind.setting]: null }));
      app.gazette.invalidateSettings();
      return reply.redirect('/admin/settings?done=saved', 303);
    });
  }
}
