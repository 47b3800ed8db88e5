import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { notFound } from '../errors.js';
import { renderDocument } from '../web/render.js';

/** A positive integer id from a route parameter, else 404. */
export function idParam(value: unknown): number {
  const s = String(value ?? '');
  if (!/^\d{1,9}$/.test(s) || Number(s) < 1) throw notFound();
  return Number(s);
}

/** Scripts ask for JSON; forms get pages and redirects. */
export const wantsJson = (request: FastifyRequest) => String(request.headers.accept ?? '').includes('application/json');

export function sendHtml(reply: FastifyReply, page: VNode, status = 200) {
  return reply.code(status).type('text/html; charset=utf-8').send(renderDocument(page));
}

export const query = (request: FastifyRequest) => (request.query ?? {}) as Record<string, string | undefined>;
export const formBody = (request: FastifyRequest) =>
  (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
export const text = (v: unknown, max = 1000) => (typeof v === 'string' ? v.slice(0, max) : '');
