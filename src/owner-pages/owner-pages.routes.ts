import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { logSafeError } from '../common/errors/log-safe.js';
import { RateLimiter } from '../common/http/rate-limit.js';
import { readOwnerForm } from './owner-form.js';
import { OwnerPagesService, type PageAnswer } from './owner-pages.service.js';
import { textForAcceptLanguage } from './texts/index.js';
import { OWNER_ASSETS } from './views/assets.js';
import { messagePage } from './views/layout.js';

/** Requests a minute from one client address to the owner pages (a repair page refreshing itself asks 12). */
export const OWNER_PAGE_REQUESTS_PER_MINUTE = 120;

/**
 * Pages for people, not API clients: nothing cached or indexed, no referrer leaks the token to
 * the sites the pages link to, nothing loaded or framed from elsewhere, forms post only here.
 */
const PAGE_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Robots-Tag': 'noindex, nofollow',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy':
    "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

type TokenRequest = FastifyRequest<{ Params: { token: string } }>;

const logger = new Logger('OwnerPages');

/**
 * The owner pages' routes under /o, outside the API (no /api/v1 prefix, no API key, no OpenAPI
 * entry): GET /o/<token> opens a page, POST /o/<token> sends its form, GET /o/<token>/live is the
 * repair page's refresh, /o/assets/ the stylesheet and script. One rate limit per client address.
 */
@Injectable()
export class OwnerPagesRoutes implements OnModuleInit {
  private readonly limiter = new RateLimiter(OWNER_PAGE_REQUESTS_PER_MINUTE);

  constructor(
    private readonly adapter: HttpAdapterHost,
    private readonly pages: OwnerPagesService,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapter.httpAdapter.getInstance<FastifyInstance>();
    const sweeper = setInterval(() => this.limiter.sweep(), 60_000);
    sweeper.unref();
    fastify.addHook('onClose', async () => clearInterval(sweeper));
    const limited = {
      onRequest: (req: FastifyRequest, reply: FastifyReply, done: () => void) => this.limit(req, reply, done),
    };
    fastify.get('/o/assets/:file', limited, (req, reply) => this.asset(req as never, reply));
    fastify.get('/o/:token', limited, (req: TokenRequest, reply) =>
      this.answer(req, reply, () =>
        this.pages.show(req.params.token, req.headers['accept-language'], req.method === 'GET'),
      ),
    );
    fastify.get('/o/:token/live', limited, (req: TokenRequest, reply) =>
      this.answer(req, reply, () => this.pages.live(req.params.token, req.headers['accept-language'])),
    );
    // the form routes: the only ones that take a form body (streaming-body.ts), read here with a small limit
    fastify.post('/o/:token', { ...limited, config: { formBody: true } }, (req: TokenRequest, reply) =>
      this.answer(req, reply, async () =>
        this.pages.submit(
          req.params.token,
          await readOwnerForm(req.body, req.headers['content-type']),
          req.headers['accept-language'],
        ),
      ),
    );
  }

  private limit(req: FastifyRequest, reply: FastifyReply, done: () => void): void {
    const { retryAfter } = this.limiter.consume(`ip:${req.ip}`);
    if (retryAfter === 0) return done();
    const text = textForAcceptLanguage(req.headers['accept-language']);
    reply.header('Retry-After', String(retryAfter));
    void this.send(reply, {
      kind: 'page',
      status: 429,
      html: messagePage(text, text.tooManyTitle, text.tooManyBody, 'warn'),
    });
  }

  private asset(req: FastifyRequest<{ Params: { file: string } }>, reply: FastifyReply) {
    const asset = OWNER_ASSETS.get(req.params.file);
    if (!asset) return reply.code(404).header('Cache-Control', 'no-store').type('text/plain').send('Not found\n');
    // the name changes with the content: a browser may keep it for good
    return reply
      .header('Cache-Control', 'public, max-age=31536000, immutable')
      .header('X-Content-Type-Options', 'nosniff')
      .type(asset.contentType)
      .send(asset.body);
  }

  private async answer(req: FastifyRequest, reply: FastifyReply, make: () => Promise<PageAnswer>) {
    let answer: PageAnswer;
    try {
      answer = await make();
    } catch (error) {
      logger.error({ msg: 'An owner page failed', err: logSafeError(error) });
      const text = textForAcceptLanguage(req.headers['accept-language']);
      answer = { kind: 'page', status: 500, html: messagePage(text, text.errorTitle, text.errorBody) };
    }
    return this.send(reply, answer);
  }

  private send(reply: FastifyReply, answer: PageAnswer) {
    reply.headers(PAGE_HEADERS);
    switch (answer.kind) {
      case 'redirect':
        return reply.redirect(answer.location, 302);
      case 'plain':
        return reply.code(answer.status).type('text/plain; charset=utf-8').send(answer.text);
      case 'fragment':
        return reply
          .code(200)
          .header('Live-Version', String(answer.version))
          .type('text/html; charset=utf-8')
          .send(answer.html);
      default:
        return reply.code(answer.status).type('text/html; charset=utf-8').send(answer.html);
    }
  }
}
