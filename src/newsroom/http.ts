import type { FastifyReply } from 'fastify';
import type { VNode } from 'preact';
import { renderDocument } from '../web/render.js';

export function sendHtml(reply: FastifyReply, page: VNode, status = 200) {
  return reply.code(status).type('text/html; charset=utf-8').send(renderDocument(page));
}
